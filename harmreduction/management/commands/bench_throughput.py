"""Requests per second under gunicorn: search page against a trivial signed-in view.

Starts gunicorn on 127.0.0.1 with the bench settings (DEBUG off), signs a demo
peer in by making a session directly, loads both URLs with wrk in turn and
prints requests/s, latency and their ratio. Loopback only; bounded in time.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError

from harmreduction.models import User

PORT = 8731


class Command(BaseCommand):
    help = "Throughput of the search page relative to a trivial signed-in view (gunicorn + wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--search", default="/directory/?q=methadone")

    def handle(self, *args, seconds, connections, workers, search, **options):
        wrk = shutil.which("wrk")
        if not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk; `make bench` does it).")
        user = User.objects.get(username="peer")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "harmreduction.settings_bench", "DEBUG": "0",
               "SECRET_KEY": settings.SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "harmreduction.wsgi", "-b", f"127.0.0.1:{PORT}",
             "-w", str(workers), "--log-level", "warning"],
            env=env, start_new_session=True,
        )
        try:
            self._wait_until_up()
            results = {}
            for label, path in (("trivial signed-in view", "/bench/baseline/"), ("search page", search)):
                self._check(path, cookie)
                out = subprocess.run(
                    [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}",
                     f"http://127.0.0.1:{PORT}{path}"],
                    capture_output=True, text=True, timeout=seconds + 30, check=True,
                ).stdout
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                p50 = re.search(r"50%\s+(\S+)", out).group(1)
                p99 = re.search(r"99%\s+(\S+)", out).group(1)
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                results[label] = rps
                self.stdout.write(f"{label:<24} {path:<32} {rps:>8.0f} req/s  p50 {p50:>8}  p99 {p99:>8}  "
                                  f"non-2xx {errors.group(1) if errors else 0}")
            ratio = results["search page"] / results["trivial signed-in view"]
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            self.stdout.write(f"search / trivial view: {ratio:.0%} ({workers} gunicorn workers, "
                              f"{connections} connections, {seconds} s each, database {engine})")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)

    def _wait_until_up(self):
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def _check(self, path, cookie):
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=10) as response:
            if response.status != 200 or "/login/" in response.url:
                raise CommandError(f"{path} answered {response.status} at {response.url}")
