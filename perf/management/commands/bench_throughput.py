"""Requests per second under gunicorn and wrk: pages between the stack's ceiling and the signed-in floor.

Starts gunicorn on 127.0.0.1 with perf.settings (DEBUG off), signs a demo peer
in by making a session directly, and loads each URL with wrk in turn:

- the ceiling: a plain Django "hello" view asked without a cookie (no session,
  no database): the most this gunicorn, Django and middleware can serve;
- the floor: a trivial signed-in view (the session and user lookups every page pays);
- the pages: home and the directory search.

Prints requests/s and latency of each, and each one's time as a multiple of
the floor's, measured in the same run: the machine's speed changes from day
to day, the ratios much less. Loopback only; bounded in time.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from perf.server import check_page, gunicorn, session_cookie

PORT = 8731
CEILING = "plain hello (ceiling)"
FLOOR = "signed-in floor"


@dataclass
class Load:
    requests_per_second: float
    p50: str
    p99: str
    non_2xx: int


def parse_wrk(output: str) -> Load:
    """The figures of one `wrk --latency` run."""
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1),
        p99=re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1),
        non_2xx=int(errors.group(1)) if errors else 0,
    )


def times_floor(loads: dict[str, Load]) -> dict[str, float]:
    """Each URL's time per request as a multiple of the floor's.

    wrk keeps the same number of connections busy on every URL, so the server
    is saturated and its time per request is 1 / (requests per second).
    """
    floor = loads[FLOOR].requests_per_second
    return {label: floor / load.requests_per_second for label, load in loads.items()}


class Command(BaseCommand):
    help = "Throughput of the main pages between a plain hello view and a trivial signed-in view (gunicorn + wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10, help="wrk's run on each URL (default 10).")
        parser.add_argument("--connections", type=int, default=8)
        # Two cores: two workers, so neither URL is starved by the other's processes.
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--search", default="/directory/?q=methadone")

    def handle(self, *args, seconds, connections, workers, search, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk; `make bench` does it).")
        cookie = "=".join(session_cookie("peer"))
        urls = [
            (CEILING, "/bench/hello/", ""),
            (FLOOR, "/bench/baseline/", cookie),
            ("home", "/", cookie),
            ("search page", search, cookie),
        ]
        loads = {}
        with gunicorn(PORT, workers) as server:
            for label, path, url_cookie in urls:
                check_page(server.url + path, url_cookie)
                headers = ["-H", f"Cookie: {url_cookie}"] if url_cookie else []
                out = subprocess.run(
                    [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, server.url + path],
                    capture_output=True, text=True, timeout=seconds + 30, check=True,
                ).stdout
                loads[label] = parse_wrk(out)
        multiples = times_floor(loads)
        self.stdout.write(f"{'':<24} {'URL':<26} {'req/s':>8}  {'p50':>8}  {'p99':>8}  non-2xx  time per request")
        for label, path, _ in urls:
            load = loads[label]
            self.stdout.write(
                f"{label:<24} {path:<26} {load.requests_per_second:>8.0f}  {load.p50:>8}  {load.p99:>8}  "
                f"{load.non_2xx:>7}  {multiples[label]:.2f}x floor"
            )
        ratio = loads["search page"].requests_per_second / loads[FLOOR].requests_per_second
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        # CACHE_URL moves the session read (and the shared rows) to Redis: say which this run measured.
        cache = "Redis (CACHE_URL), sessions cached_db" if settings.CACHE_URL else "LocMem, sessions in the database"
        self.stdout.write(
            f"search / floor: {ratio:.0%} of the floor's requests/s (target 50%); the floor serves "
            f"{loads[FLOOR].requests_per_second / loads[CEILING].requests_per_second:.0%} of the ceiling's "
            f"(target 33%). {workers} gunicorn workers, {connections} connections, {seconds} s each, "
            f"database {engine}, cache {cache}"
        )
