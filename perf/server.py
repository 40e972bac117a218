"""What the bench commands and the load test share: gunicorn on loopback and signed-in sessions.

One copy: bench_throughput, bench_browser, bench_lighthouse and loadtest
import it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from harmreduction.middleware import LAST_SEEN, STARTED
from harmreduction.models import User

HOST = "127.0.0.1"


def login_backend() -> str:
    """The backend login() records in a session: the first of AUTHENTICATION_BACKENDS able to load a user.

    The same choice as Django's test Client.force_login (axes' backend, first in
    the list, has no get_user), read from the settings so it follows them.
    """
    for path in settings.AUTHENTICATION_BACKENDS:
        if hasattr(load_backend(path), "get_user"):
            return path
    raise ImproperlyConfigured("No authentication backend in AUTHENTICATION_BACKENDS can load a user.")


def signed_in_session(user: User) -> str:
    """A session for this user as login() leaves it, idle and absolute clocks included: its key.

    Made directly, without the sign-in pages: the sign-in form, the two-step
    code and the sign-in pause are not what is measured and must not be tripped.
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = login_backend()
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[STARTED] = session[LAST_SEEN] = time.time()
    session.create()
    return session.session_key


def session_cookie(username: str) -> tuple[str, str]:
    """(cookie name, value) of a new session for this demo user.

    Production settings mark the cookie Secure, which a browser keeps from
    plain http; the bench serves loopback over http, so it hands the cookie over itself.
    """
    return settings.SESSION_COOKIE_NAME, signed_in_session(User.objects.get(username=username))


def production_env(settings_module: str) -> dict[str, str]:
    """The environment of a production-like process on loopback: DEBUG off, plain http, no two-step."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        # Sessions made by signed_in_session never did the code step; the OTP middleware still runs.
        "TWO_FACTOR_REQUIRED_ROLES": "",
    }


@dataclass
class Server:
    process: subprocess.Popen
    url: str


@contextlib.contextmanager
def gunicorn(port: int, workers: int, *, settings_module: str = "perf.settings", timeout: int = 30,
             log=None, env: dict | None = None):
    """gunicorn on 127.0.0.1 with production-like settings, up (its /healthz answers 200), stopped on exit.

    settings_module: perf.settings for the benchmarks (two bench-only URLs),
    harmreduction.settings for the load test (the product exactly). log: a file
    for gunicorn's output, else this process's.
    """
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "harmreduction.wsgi", "-b", f"{HOST}:{port}", "-w", str(workers),
         "--timeout", str(timeout), "--log-level", "warning"],
        env={**production_env(settings_module), **(env or {})}, start_new_session=True,
        stdout=log, stderr=subprocess.STDOUT if log else None,
    )
    try:
        _wait_until_up(server, f"http://{HOST}:{port}")
        yield Server(server, f"http://{HOST}:{port}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_until_up(server: subprocess.Popen, url: str) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with status {server.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError("gunicorn did not start")


def check_page(url: str, cookie: str = "") -> None:
    """The page answers 200 itself (not the sign-in page): what wrk measures is the page."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        if response.status != 200 or "/login/" in response.url:
            raise CommandError(f"{url} answered {response.status} at {response.url}")
