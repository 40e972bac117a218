"""Playwright driving Debian's Chromium at a tablet viewport.

Every page fails its test on a CSP violation or a console error; `check_a11y`
runs axe-core (with the target-size rule on) and fails on any violation.
"""

import contextlib
import os
import re
import shutil
import threading
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import testcases
from playwright.sync_api import sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
TABLET = {"width": 810, "height": 1080}
BENIGN_HTMX = re.compile(r"^htmx:(sendAbort|afterRequest), ")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # live_server's requests run on another thread, so the test's rows
            # must be committed; the tables are emptied after each test and
            # migrate's post_migrate hooks (roles) run again.
            item.add_marker(pytest.mark.django_db(transaction=True))


class _OneRequestAtATimeOnSQLite(ThreadedWSGIServer):
    """live_server hands its threads the test's one in-memory SQLite connection.
    Two requests at once (an autosave still running when "Save" is tapped) would
    interleave their transactions on that connection and fail at random; on
    SQLite the requests take turns, on PostgreSQL each thread has its own
    connection and they run side by side as in production."""

    def set_app(self, application):
        from django.db import connection

        lock = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

        def one_at_a_time(environ, start_response):
            with _in_flight.counting(), lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        super().set_app(one_at_a_time)


class _InFlight:
    """How many requests live_server is answering: the tables are emptied only when none is.

    A page's service worker keeps working in the background (it keeps the person's
    pages for use without signal, docs/offline.md); a request it started may still
    be running on the server when the test has ended and its browser is closed.
    On SQLite emptying the tables then fails ("database table is locked").
    """

    def __init__(self):
        self.count, self.lock = 0, threading.Lock()

    @contextlib.contextmanager
    def counting(self):
        with self.lock:
            self.count += 1
        try:
            yield
        finally:
            with self.lock:
                self.count -= 1

    def wait_until_idle(self, timeout: float = 30) -> None:
        deadline, quiet = time.monotonic() + timeout, 0
        while quiet < 3 and time.monotonic() < deadline:
            quiet = quiet + 1 if self.count == 0 else 0
            time.sleep(0.1)


_in_flight = _InFlight()


@pytest.fixture(autouse=True)
def _live_server_idle_before_the_tables_are_emptied(request):
    # Autouse, so set up before `page` and the other browser fixtures and torn down
    # after them: their browser is closed by then, and what it started has ended.
    yield
    if "live_server" in request.fixturenames:
        _in_flight.wait_until_idle()


testcases.LiveServerThread.server_class = _OneRequestAtATimeOnSQLite


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop on the test thread; the ORM calls
    # the tests make there are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, has_touch=True)
    page = context.new_page()
    problems = []

    def on_console(msg):
        # Leaving a page while an autosave is in flight makes the browser abort that
        # request, and htmx logs the abort as an error: expected, not a fault. A
        # request that really fails still shows as htmx:responseError or sendError.
        if msg.type == "error" and not BENIGN_HTMX.match(msg.text):
            problems.append(f"console: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    # Chromium reports a CSP violation as a console error too; listening for the
    # DOM event as well catches it even when the console message is suppressed.
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # Where the browser was when the test failed, for CI logs.
        print(f"\nThe page was {page.url}:\n{page.locator('body').inner_text()[:3000]}")
    context.close()
    assert not problems, problems


_axe = Axe()


def check_a11y(page):
    results = _axe.run(page, options={"rules": {"target-size": {"enabled": True}}})
    assert results.violations_count == 0, results.generate_report()


# A saved check-in's page (a glob such as "**/checkins/*/" also matches /login/?next=/checkins/new/).
CHECKIN_PAGE = re.compile(r"/checkins/\d+/(#.*)?$")


def sign_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Wait until the sign-in has landed ("**/" would already match the sign-in page itself).
    page.wait_for_url(lambda url: "/login/" not in url)


def open_account_menu(page):
    """The top bar folds "Your sessions" and "Sign out" into the account menu (one row on a tablet)."""
    menu = page.locator(".account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def sign_out(page):
    open_account_menu(page)
    page.get_by_role("button", name="Sign out").click()


def load_search_synonyms():
    """The synonym list the data migrations seed (0008, and 0014's Spanish words).

    Browser tests empty the tables after each test, data migrations' rows
    included: a test whose search relies on a synonym ("Vivitrol" is
    naltrexone, "metadona" is methadone) loads them again, so it sees the same
    list whichever test ran before it.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("resources.migrations.0008_search_synonyms_and_ranking").seed_synonyms(apps, None)
    importlib.import_module("resources.migrations.0014_spanish_synonyms").add_spanish_synonyms(apps, None)
