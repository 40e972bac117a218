"""Requests per second under gunicorn: search page against a trivial signed-in view.

Starts gunicorn on 127.0.0.1 with perf.settings (DEBUG off), signs a demo
peer in by making a session directly, loads both URLs with wrk in turn and
prints requests/s, latency and their ratio. Loopback only; bounded in time.
"""

import re
import shutil
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from perf.server import check_page, gunicorn, session_cookie

PORT = 8731


class Command(BaseCommand):
    help = "Throughput of the search page relative to a trivial signed-in view (gunicorn + wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10)
        parser.add_argument("--connections", type=int, default=8)
        # Two cores: two workers, so neither URL is starved by the other's processes.
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--search", default="/directory/?q=methadone")

    def handle(self, *args, seconds, connections, workers, search, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk; `make bench` does it).")
        name, value = session_cookie("peer")
        cookie = f"{name}={value}"
        with gunicorn(PORT, workers) as server:
            results = {}
            for label, path in (("trivial signed-in view", "/bench/baseline/"), ("search page", search)):
                check_page(server.url + path, cookie)
                out = subprocess.run(
                    [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}",
                     server.url + path],
                    capture_output=True, text=True, timeout=seconds + 30, check=True,
                ).stdout
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
                p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                results[label] = rps
                self.stdout.write(f"{label:<24} {path:<26} {rps:>8.0f} req/s  p50 {p50:>8}  p99 {p99:>8}  "
                                  f"non-2xx {errors.group(1) if errors else 0}")
            ratio = results["search page"] / results["trivial signed-in view"]
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            self.stdout.write(f"search / trivial view: {ratio:.0%} (target 50%; {workers} gunicorn workers, "
                              f"{connections} connections, {seconds} s each, database {engine})")
