"""What the gunicorn-based bench commands share: a server on loopback and a signed-in cookie.

Not a command (the leading underscore): bench_throughput, bench_browser and
bench_lighthouse import it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import CommandError

from harmreduction.models import User


def session_cookie(username: str) -> tuple[str, str]:
    """A session for this demo user, made directly (no login form): (cookie name, value).

    Production settings mark the cookie Secure, which a browser keeps from
    plain http; the bench serves loopback over http, so it hands the cookie over itself.
    """
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "harmreduction.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


@contextlib.contextmanager
def gunicorn(port: int, workers: int):
    """gunicorn with the bench settings (production settings plus /bench/baseline/), stopped on exit."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "harmreduction.settings_bench",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "harmreduction.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(workers), "--log-level", "warning"],
        env=env, start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise CommandError("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def check_signed_in(base: str, path: str, cookie: str) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or "/login/" in response.url:
            raise CommandError(f"{path} answered {response.status} at {response.url}")
