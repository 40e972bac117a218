"""Fill the database with a demo: one user per role on two teams.

Idempotent: running it again resets the demo users' passwords and groups and
adds nothing twice. Later features add their sample data below.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.sample_checkins import load_sample_checkins, set_demo_funders
from demo.sample_directory import generate_services, load_sample_directory
from harmreduction.models import Team, User
from harmreduction.roles import CONTENT_ADMIN, PEER, SUPERVISOR
from sessions_app.models import CheckIn

DEMO_PASSWORD = "where-theyre-at"

# username, first name, role, team, is superuser
DEMO_USERS = [
    ("peer", "Jordan", PEER, "Outreach East", False),
    ("peer2", "Sam", PEER, "Drop-in West", False),
    ("supervisor", "Alex", SUPERVISOR, "Outreach East", False),
    ("admin", "Robin", CONTENT_ADMIN, None, True),
]


class Command(BaseCommand):
    help = "Load demo users (one per role on two teams). Refuses to run with DEBUG off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument(
            "--checkins", type=int, default=200,
            help="Sample check-ins to have in all (default 200; more for benchmarks).",
        )
        parser.add_argument(
            "--directory-size", type=int, default=0, metavar="N",
            help="Also generate N sample directory services (for benchmarks).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, checkins=200, directory_size=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_data creates accounts with a published password; "
                "it refuses to run with DEBUG off. Use --force if you really mean it."
            )
        for username, first_name, role, team_name, superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = first_name
            user.is_staff = superuser or role == CONTENT_ADMIN
            user.is_superuser = superuser
            user.team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            if role == SUPERVISOR:
                Team.objects.filter(pk=user.team_id).update(supervisor=user)

        samples = load_sample_directory()
        self.stdout.write(f"Directory: {samples} sample services around Portland, Oregon.")
        if directory_size > 0:
            added = generate_services(directory_size)
            self.stdout.write(f"Directory: {added} generated services added ({directory_size} wanted).")
        set_demo_funders()
        # After the directory: sample check-ins refer people to its sample services.
        peers = list(User.objects.filter(username__in=["peer", "peer2"]).select_related("team__supervisor"))
        missing = checkins - CheckIn.objects.filter(peer__in=peers).count()
        if missing > 0:
            made = load_sample_checkins(peers, missing)
            self.stdout.write(f"Check-ins: {made} sample check-ins over the last 90 days.")

        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _, role, team_name, superuser in DEMO_USERS:
            extra = f", {team_name}" if team_name else ""
            extra += ", superuser" if superuser else ""
            self.stdout.write(f"  {username:<11} {role}{extra}")
