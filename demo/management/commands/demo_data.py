"""Fill the database with a demo: one user per role on two teams.

`make run` calls it on every start, so it never writes over what someone
changed: the demo users are made only when missing, the sample directory is
loaded only into an empty directory and the library's seed only into an empty
library, and sample check-ins are topped up, never replaced. `--reset` puts it
all back on purpose: the demo users' passwords and roles, the sample services
as first written and the library's seed cards and terms.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.sample_checkins import load_possible_duplicates, load_sample_checkins, set_demo_funders
from demo.sample_directory import generate_services, load_sample_directory
from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from resources import content
from resources.models import Card, Service
from sessions_app.models import CheckIn

DEMO_PASSWORD = "where-theyre-at"

# username, first name, role, team, is superuser
DEMO_USERS = [
    ("peer", "Jordan", PEER, "Outreach East", False),
    ("peer2", "Sam", PEER, "Drop-in West", False),
    ("supervisor", "Alex", SUPERVISOR, "Outreach East", False),
    ("content", "Kai", CONTENT_ADMIN, None, False),
    ("admin", "Robin", CONTENT_ADMIN, None, True),
]


class Command(BaseCommand):
    help = "Load demo users (one per role on two teams). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--reset", action="store_true",
            help="Put the demo back as first loaded: demo users' passwords and roles, the sample "
                 "services and the library's seed cards and terms (edits to them are lost).",
        )
        parser.add_argument(
            "--checkins", type=int, default=200,
            help="Sample check-ins to have in all (default 200; more for benchmarks).",
        )
        parser.add_argument(
            "--directory-size", type=int, default=0, metavar="N",
            help="Also generate N sample directory services (for benchmarks).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, reset=False, checkins=200, directory_size=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_data creates accounts with a published password; "
                "it refuses to run with DEBUG off. Use --force if you really mean it."
            )
        for username, first_name, role, team_name, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if not (created or reset):
                continue  # someone may have changed its password or role since
            user.first_name = first_name
            user.is_staff = superuser or role == CONTENT_ADMIN
            user.is_superuser = superuser
            user.team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if role == SUPERVISOR:
                Team.objects.filter(pk=user.team_id).update(supervisor=user)

        if reset or not Service.objects.exists():
            samples = load_sample_directory()
            self.stdout.write(f"Directory: {samples} sample services around Portland, Oregon.")
        else:
            self.stdout.write("Directory: not empty, left as it is (--reset reloads the sample services).")
        if directory_size > 0:
            added = generate_services(directory_size)
            self.stdout.write(f"Directory: {added} generated services added ({directory_size} wanted).")
        if reset or not Card.objects.exists():
            # The library's seed comes by migration; this restores it (or refills a flushed database).
            content.load(apps)
            self.stdout.write("Library: the seed cards and terms loaded.")
        set_demo_funders()
        # After the directory: sample check-ins refer people to its sample services.
        peers = list(User.objects.filter(username__in=["peer", "peer2"]).select_related("team__supervisor"))
        missing = checkins - CheckIn.objects.filter(peer__in=peers).count()
        if missing > 0:
            made = load_sample_checkins(peers, missing)
            self.stdout.write(f"Check-ins: {made} sample check-ins over the last 90 days.")
        load_possible_duplicates(peers)

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _, role, team_name, superuser in DEMO_USERS:
            extra = f", {team_name}" if team_name else ""
            extra += ", superuser" if superuser else ""
            self.stdout.write(f"  {username:<11} {role}{extra}")
