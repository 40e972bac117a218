"""Server-side figures for every main page: time, queries and compressed size.

Runs in-process through Django's test client (the whole middleware stack,
sessions in the database), against whatever DATABASE_URL points at. Prints
figures; never asserts: targets are read by people (docs/performance.md).

With --small-first it loads a small demo first and counts each page's queries
there, then tops the data up to full size (demo_data only adds what is
missing) and counts again: "queries constant in data size" is then read off
two columns of the same table.
"""

import gzip
import io
import os
import re
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from harmreduction.app_shell import OFFLINE_SCRIPTS
from harmreduction.models import User

# Targets from issue 8 (docs/performance.md), printed beside the figures.
TARGET_HTML_KB = 14
TARGET_FRAGMENT_KB = 5
TARGET_P95_MS = 25
TARGET_FIRST_VISIT_KB = 50
TARGET_JS_KB = 25


@dataclass
class Page:
    label: str
    username: str
    url: str
    htmx: bool = False
    # The admin changelist is the untuned anchor, not a page held to the targets.
    anchor: bool = False
    # Empty the cache before every request (not timed): the directory's result rows,
    # chips and languages drawn afresh, as for the first peer to see those services.
    cold: bool = False


def machine_speed_ms() -> float:
    """Median CPU time of a fixed, allocation-heavy piece of pure Python (5 runs)."""
    times = []
    for _ in range(5):
        started = time.process_time()
        rows = [{"n": i, "s": str(i)} for i in range(200_000)]
        sum(len(row["s"]) for row in rows if row["n"] % 3)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def pages() -> list[Page]:
    """The pages a peer, supervisor or admin opens most, with realistic parameters."""
    from resources.models import Card, Service
    from sessions_app.models import CheckIn, Participant

    checkin = CheckIn.objects.filter(peer__username="peer").order_by("-pk").first()
    # The peer's participant with the most check-ins: the heaviest participant page.
    participant = (
        Participant.objects.filter(checkins__peer__username="peer")
        .annotate(n=Count("checkins"))
        .order_by("-n", "pk")
        .first()
    )
    card = Card.objects.order_by("category", "order", "pk").first()
    # A generated service (the bulk of the 10,000) with everything a service page shows.
    service = Service.objects.listed().filter(name__contains="Methadone").order_by("pk").first() or (
        Service.objects.listed().order_by("pk").first()
    )
    directory = reverse("resources:directory")
    library = reverse("resources:library")
    return [
        Page("home", "peer", reverse("home")),
        Page("library index", "peer", library),
        Page("library search", "peer", library + "?q=naloxone"),
        Page("library search (fragment)", "peer", library + "?q=naloxone", htmx=True),
        Page("a card", "peer", card.get_absolute_url()),
        Page("directory, no filters", "peer", directory),
        Page("directory search", "peer", directory + "?q=methadone"),
        Page("directory search (fragment)", "peer", directory + "?q=methadone", htmx=True),
        Page("directory search, cold cache", "peer", directory + "?q=methadone", cold=True),
        Page("directory kind+walk-in", "peer", directory + "?kind=PC-SSP&walkin=1"),
        Page("directory medication+lang", "peer", directory + "?medication=BU&lang=es"),
        Page("directory open now", "peer", directory + "?open=1"),
        Page("directory q+open+pay", "peer", directory + "?q=clinic&open=1&pay=MD"),
        Page("directory q+open+pay (frag)", "peer", directory + "?q=clinic&open=1&pay=MD", htmx=True),
        Page("directory page 50", "peer", directory + "?page=50"),
        Page("a service", "peer", reverse("resources:service_detail", args=[service.pk])),
        Page("check-in form", "peer", reverse("sessions_app:checkin_new")),
        Page("my check-ins", "peer", reverse("sessions_app:checkin_list")),
        Page("a check-in", "peer", checkin.get_absolute_url()),
        Page("participant page", "peer", participant.get_absolute_url()),
        Page("review queue", "supervisor", reverse("sessions_app:review_queue")),
        Page("dashboard (team)", "supervisor", reverse("sessions_app:dashboard")),
        Page("dashboard (organization)", "admin", reverse("sessions_app:dashboard")),
        # Never cached (a report is counted afresh): the dashboard above is, after its first request.
        Page("funder report (team)", "supervisor", reverse("sessions_app:funder_report")),
        Page("funder report (organization)", "admin", reverse("sessions_app:funder_report")),
        Page("admin changelist q=methadone", "admin", "/admin/resources/service/?q=methadone", anchor=True),
    ]


def check_codes_exist(page_list: list[Page]) -> list[str]:
    """Filter codes in the URLs that the data does not know (a typo would measure an unfiltered page)."""
    from resources.models import Language, TaxonomyTerm

    known = set(TaxonomyTerm.objects.values_list("code", flat=True)) | set(
        Language.objects.values_list("code", flat=True)
    )
    missing = []
    for page in page_list:
        for name, value in re.findall(r"(kind|medication|pay|lang)=([\w-]+)", page.url):
            if value not in known:
                missing.append(f"{page.label}: {name}={value}")
    return missing


class Command(BaseCommand):
    help = "Print server time (median, p95), queries and compressed size of every main page."

    def add_arguments(self, parser):
        parser.add_argument("--checkins", type=int, default=100_000)
        parser.add_argument("--directory-size", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--skip-load", action="store_true", help="Use the data already there.")
        parser.add_argument(
            "--small-first", action="store_true",
            help="Count queries on a small demo first (200 check-ins, 100 services), then load full size.",
        )
        parser.add_argument("--only", default="", help="Only pages whose label contains this text.")

    def handle(self, *args, checkins, directory_size, requests, skip_load, small_first, only, **options):
        # No setup_test_environment(): its instrumented template rendering copies every
        # context for the test client, a cost production never pays.
        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on; figures are not production-like (see docs/performance.md).")
        small_queries: dict[str, int] = {}
        if small_first and not skip_load:
            self.load(200, 100)
            for page in self.selected(only):
                small_queries[page.label] = self.measure(page, 1)[2]
        if not skip_load:
            self.load(checkins, directory_size)
        self.report(requests, only, small_queries)

    def load(self, checkins, directory_size):
        started = time.perf_counter()
        call_command(
            "demo_data", checkins=checkins, directory_size=directory_size, force=True, stdout=io.StringIO()
        )
        # Fresh clients for the loaded data (demo_data --reset would also end their sessions).
        self._clients = {}
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load on PostgreSQL: fresh statistics for the
            # planner and a visibility map, without which no index-only scan is index-only.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        self.stdout.write(
            f"Loaded demo data ({checkins} check-ins, {directory_size} generated services) "
            f"in {time.perf_counter() - started:.0f} s"
        )

    def selected(self, only: str) -> list[Page]:
        return [page for page in pages() if only in page.label]

    def client(self, username: str) -> Client:
        if not hasattr(self, "_clients"):
            self._clients = {}
        if username not in self._clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self._clients[username] = client
        return self._clients[username]

    def measure(self, page: Page, requests: int):
        client = self.client(page.username)
        headers = {"HX-Request": "true"} if page.htmx else {}
        for _ in range(3):
            response = client.get(page.url, headers=headers)
        assert response.status_code == 200, (page.url, response.status_code)
        times, cpu = [], []
        for _ in range(requests):
            if page.cold:
                cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(page.url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if page.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, headers=headers)
        self._cpu = statistics.median(cpu)
        return times, response, len(queries)

    def report(self, requests, only, small_queries):
        page_list = self.selected(only)
        for problem in check_codes_exist(page_list):
            self.stderr.write(f"Warning: unknown filter code, {problem}")
        counts = {
            "services": _count("resources_service"),
            "check-ins": _count("sessions_app_checkin"),
        }
        self.stdout.write(
            f"\nDatabase: {connection.vendor}; {counts['services']} services, {counts['check-ins']} check-ins; "
            f"{requests} requests per page after 3 warm-ups; DEBUG={settings.DEBUG}; "
            # Two shared cores: a busy machine shows in every figure, so say how busy it was.
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
            # Shared machines differ from day to day: a fixed piece of Python, timed, says how
            # fast this one is now, so runs on different days can be compared.
            f"machine speed: a fixed Python workload takes {machine_speed_ms():.0f} ms\n"
        )
        # CPU ms: this process's CPU time (median), which waiting for a busy core does not
        # inflate; on SQLite it includes the queries, on PostgreSQL not the server's side.
        header = f"{'page':<30} {'median ms':>9} {'p95 ms':>7} {'CPU ms':>6} {'queries':>7} {'KB gz':>6}"
        if small_queries:
            header += f" {'q small':>7}"
        self.stdout.write(header + "  target")
        results = {}
        for page in page_list:
            times, response, queries = self.measure(page, requests)
            median = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            size = gz(response.content) / 1024
            results[page.label] = median
            limit = TARGET_FRAGMENT_KB if page.htmx else TARGET_HTML_KB
            if page.anchor:
                verdict = "(anchor)"
            else:
                misses = []
                if p95 > TARGET_P95_MS:
                    misses.append("p95")
                if size > limit:
                    misses.append("size")
                if small_queries and small_queries.get(page.label) != queries:
                    misses.append("queries grow")
                verdict = "MISS " + ",".join(misses) if misses else "ok"
            line = f"{page.label:<30} {median:>9.1f} {p95:>7.1f} {self._cpu:>6.1f} {queries:>7} {size:>6.1f}"
            if small_queries:
                line += f" {small_queries.get(page.label, '-'):>7}"
            self.stdout.write(f"{line}  {verdict}")
        if "admin changelist q=methadone" in results and "directory search" in results:
            ratio = results["admin changelist q=methadone"] / results["directory search"]
            self.stdout.write(
                f"\nAnchor: Django admin changelist ?q=methadone takes {ratio:.1f}x the directory search "
                f"(median {results['admin changelist q=methadone']:.1f} ms vs {results['directory search']:.1f} ms)"
            )
        if not only:
            self.first_visit()

    def first_visit(self):
        """What a tablet downloads the first time: login page, home, and every CSS and JS file home loads."""
        client = self.client("peer")
        login = Client().get(reverse("login")).content
        home = client.get(reverse("home")).content
        assets = set()
        for body in (login, home):
            assets |= set(re.findall(rb'<(?:script|link)[^>]+(?:src|href)="([^"]+\.(?:js|css))"', body))
        sizes = {"css": 0, "js": 0}
        names = []
        for url in sorted(assets):
            path = url.decode().removeprefix(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                             else "/" + settings.STATIC_URL)
            found = _static_file(path)
            sizes["css" if path.endswith(".css") else "js"] += gz(found)
            names.append(path)
        html = gz(login) + gz(home)
        total = html + sizes["css"] + sizes["js"]
        self.stdout.write(
            f"\nFirst visit (login + home + their CSS and JS, gzip): {total / 1024:.1f} KB "
            f"(target {TARGET_FIRST_VISIT_KB}): HTML {html / 1024:.1f}, CSS {sizes['css'] / 1024:.1f}, "
            f"JS {sizes['js'] / 1024:.1f} KB; files: {', '.join(names)}"
        )
        every_js = sum(gz(_static_file(p)) for p in _all_js())
        self.stdout.write(
            f"All our page JavaScript together (any page, gzip): {every_js / 1024:.1f} KB (target {TARGET_JS_KB}; "
            "the worker and offline scripts are counted apart by bench_offline)"
        )


def _static_file(path: str) -> bytes:
    """A static file's bytes by its served name (hashed in production, plain in development)."""
    if settings.STATIC_ROOT and (settings.STATIC_ROOT / path).exists():
        return (settings.STATIC_ROOT / path).read_bytes()
    with open(finders.find(path), "rb") as handle:
        return handle.read()


# The service worker and the scripts that only matter without signal, counted apart (bench_offline).
OFFLINE_JS = OFFLINE_SCRIPTS


def _all_js() -> list[str]:
    # Ours only (static/): the admin's scripts are loaded by the admin alone.
    found = []
    for root in settings.STATICFILES_DIRS:
        found += [str(p.relative_to(root)) for p in root.rglob("*.js")]
    return sorted(set(found) - set(OFFLINE_JS))


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (a fixed table name)
        return cursor.fetchone()[0]
