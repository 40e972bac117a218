"""Server-side figures for every main page: time, queries and compressed size.

Runs in-process through Django's test client (the whole middleware stack,
sessions in the database), against whatever DATABASE_URL points at. Prints
figures; never asserts: targets are read by people (docs/performance.md).
"""

import gzip
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import NoReverseMatch, reverse

from harmreduction.models import User


@dataclass
class Page:
    label: str
    username: str
    url: str
    htmx: bool = False


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def pages() -> list[Page]:
    """The pages a peer, supervisor or admin opens most, with realistic parameters."""
    from sessions_app.models import CheckIn, Participant

    checkin = CheckIn.objects.filter(peer__username="peer").order_by("-pk").first()
    participant = Participant.objects.filter(checkins__peer__username="peer").order_by("pk").first()
    found = [
        Page("home", "peer", "/"),
        Page("check-in form", "peer", reverse("sessions_app:checkin_new")),
        Page("my check-ins", "peer", reverse("sessions_app:checkin_list")),
        Page("a check-in", "peer", checkin.get_absolute_url()),
        Page("participant page", "peer", participant.get_absolute_url()),
        Page("review queue", "supervisor", reverse("sessions_app:review_queue")),
        Page("dashboard (team)", "supervisor", reverse("sessions_app:dashboard")),
        Page("dashboard (organization)", "admin", reverse("sessions_app:dashboard")),
    ]
    found += extra_pages()
    return found


def extra_pages() -> list[Page]:
    """Library and directory pages, when those features are installed."""
    candidates = [
        ("library index", "peer", "resources:library", "", False),
        ("library search", "peer", "resources:library", "?q=naloxone", False),
        ("library search (fragment)", "peer", "resources:library", "?q=naloxone", True),
        ("directory search", "peer", "resources:directory", "?q=methadone", False),
        ("directory, no filters", "peer", "resources:directory", "", False),
        ("directory with filters", "peer", "resources:directory", "?q=clinic&kind=naloxone&walk_in=1", False),
        ("directory search (fragment)", "peer", "resources:directory", "?q=methadone", True),
    ]
    found = []
    for label, user, name, query, htmx in candidates:
        try:
            found.append(Page(label, user, reverse(name) + query, htmx))
        except NoReverseMatch:
            continue
    return found


class Command(BaseCommand):
    help = "Print server time (median, p95), queries and compressed size of every main page."

    def add_arguments(self, parser):
        parser.add_argument("--checkins", type=int, default=100_000)
        parser.add_argument("--directory-size", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--skip-load", action="store_true", help="Use the data already there.")

    def handle(self, *args, checkins, directory_size, requests, skip_load, **options):
        setup_test_environment()  # lets the test client collect templates and contexts cheaply
        if not skip_load:
            started = time.perf_counter()
            load = {"checkins": checkins, "force": True, "verbosity": 0}
            if "directory_size" in _demo_options():
                load["directory_size"] = directory_size
            call_command("demo_data", **load)
            with connection.cursor() as cursor:
                # Fresh statistics for the planner, as autovacuum (PostgreSQL) would gather.
                cursor.execute("ANALYZE")
            self.stdout.write(f"Loaded demo data in {time.perf_counter() - started:.0f} s")
        vendor = connection.vendor
        self.stdout.write(f"\nDatabase: {vendor}; {requests} requests per page after 3 warm-ups\n")
        self.stdout.write(f"{'page':<30} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'KB gz':>6}")
        clients = {}
        for page in pages():
            client = clients.get(page.username)
            if client is None:
                client = clients[page.username] = Client()
                client.force_login(User.objects.get(username=page.username))
            headers = {"HX-Request": "true"} if page.htmx else {}
            for _ in range(3):
                response = client.get(page.url, headers=headers)
            assert response.status_code == 200, (page.url, response.status_code)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(page.url, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.url, headers=headers)
            p95 = statistics.quantiles(times, n=20)[-1]
            self.stdout.write(
                f"{page.label:<30} {statistics.median(times):>9.1f} {p95:>7.1f} "
                f"{len(queries):>7} {gz(response.content) / 1024:>6.1f}"
            )
        self.first_visit(clients["peer"])

    def first_visit(self, client):
        """What a tablet downloads the first time: login page, home, our CSS and JS (compressed)."""
        anonymous = Client()
        html = gz(anonymous.get("/login/").content) + gz(client.get("/").content)
        css = sum(gz(open(finders.find(p), "rb").read()) for p in ["css/app.css"])
        js_files = [p for p in ["vendor/htmx-2.0.10.min.js", "js/checkin-form.js"] if finders.find(p)]
        js = sum(gz(open(finders.find(p), "rb").read()) for p in js_files)
        self.stdout.write(
            f"\nFirst visit (login + home + CSS + JS, gzip): {(html + css + js) / 1024:.1f} KB "
            f"(HTML {html / 1024:.1f}, CSS {css / 1024:.1f}, JS {js / 1024:.1f} KB in {len(js_files)} files)"
        )
        self.stdout.write(f"DEBUG={settings.DEBUG}")


def _demo_options() -> set[str]:
    from harmreduction.management.commands.demo_data import Command as Demo

    parser = Demo().create_parser("manage.py", "demo_data")
    return {action.dest for action in parser._actions}
