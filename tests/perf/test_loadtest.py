"""The load test's own safety and arithmetic (the run itself is `make loadtest`, not part of the suite)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from perf.management.commands.loadtest import Command, Sample, percentile, summarize


@pytest.mark.parametrize("db", [
    {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "NAME": "companion"},
    {"ENGINE": "django.db.backends.postgresql", "HOST": "db.internal", "NAME": "companion_load"},
    {"ENGINE": "django.db.backends.sqlite3", "HOST": "", "NAME": "db_load"},
])
def test_it_refuses_to_drop_any_database_but_a_local_load_one(db):
    # It drops and recreates its database: a production name or host must never get that far.
    with pytest.raises(CommandError):
        Command()._check_database(db)


def test_it_accepts_a_loopback_database_named_for_the_load_test():
    Command()._check_database({"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
                               "NAME": "companion_load"})


def test_it_takes_nearest_rank_percentiles():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)) == (50, 95, 99)
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def test_it_counts_errors_and_rates_per_kind_and_overall():
    samples = [Sample("a", 0, 0.010, True), Sample("a", 0, 0.030, False), Sample("b", 0, 0.020, True)]
    rows = {row["kind"]: row for row in summarize(samples, seconds=2)}
    assert rows["a"]["requests"] == 2 and rows["a"]["errors"] == 1 and rows["a"]["per_second"] == 1
    assert rows["all"]["requests"] == 3 and rows["all"]["errors"] == 1
    assert rows["all"]["p50_ms"] == pytest.approx(20)


def test_it_starts_before_its_database_exists():
    # Nothing listens on port 1: any connection fails at once. Django's system checks
    # connect (a GeneratedField asks for the server's version), so when they ran before
    # the command, a database it had yet to create stopped it there. Now the command
    # itself answers: here its first check of the arguments, before any connection.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "perf.settings",
           "DATABASE_URL": "postgres://postgres@127.0.0.1:1/not_made_yet_load"}
    result = subprocess.run(
        [sys.executable, "manage.py", "loadtest", "--users", "5", "--supervisors", "10"],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "--supervisors must be fewer than --users." in result.stderr, result.stderr


def test_it_sends_each_request_of_a_person_to_the_next_server():
    # --servers 2: no sticky sessions, so every session is used on both servers.
    import http.server
    import threading

    from perf.management.commands.loadtest import Browser, Results

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.server.server_address[1])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    servers = [http.server.HTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ports = [server.server_address[1] for server in servers]
        browser = Browser(ports, {}, Results())
        for _ in range(4):
            browser.request("page", "GET", "/")
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert sorted(seen) == sorted(ports * 2)
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))
