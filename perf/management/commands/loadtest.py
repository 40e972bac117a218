"""Load and fault test: simulated peers and supervisors against gunicorn + PostgreSQL.

`make loadtest` runs it. It drops and recreates a PostgreSQL database whose
name ends in `_load` on a loopback address (nothing else: it refuses any
other database), migrates it, loads the demo plus load-test accounts, collects
static files and starts gunicorn with production settings on 127.0.0.1.

Phase 1 (steady): N simulated people for a fixed time, each waiting a moment
between requests like a person on a tablet: peers log check-ins (open the
form, submit it with its idempotency key, follow the redirect) and search the
directory (a full page, or the HTMX fragment as they type); supervisors open
the review queue, a check-in, and post feedback. Reported: requests/s, p50,
p95, p99 per kind and overall, errors.

Phase 2 (fault, skipped with --no-restart): the same load, and PostgreSQL is
restarted partway through. Reported: errors during the outage, the time from
the restart to the first check-in saved again, whether the gunicorn workers
survived, and every check-in key answered with success (302 to its page)
counted in the database afterwards. A submit that failed is retried with the
same key, as a tablet would, so retries can never make duplicates.

With --servers 2 (or more) it starts that many gunicorns on consecutive
ports, and every person's requests go to each in turn, as a load balancer
without sticky sessions would send them: a session made on one is used on
the other. Give them a shared cache (CACHE_URL, a Redis database of its own)
to test the scaled-out deployment (docs/deploy.md, "Scaling out").

Loopback only, bounded in time; gunicorn is stopped at the end.
"""

import contextlib
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.sample_checkins import load_sample_checkins
from harmreduction.models import AuditEvent, Team, User
from harmreduction.roles import PEER, SUPERVISOR
from perf.server import HOST, gunicorn, production_env, signed_in_session
from resources.models import Service
from sessions_app.models import CheckIn

SEARCH_WORDS = ["naloxone", "methadone", "syringe", "wound", "testing", "shelter", "buprenorphine", "clinic",
                "walk-in", "detox", "housing", "Spanish"]
FEEDBACK = ["Thank you for writing this up so clearly.", "What did they say they wanted to try next?",
            "Good call offering the referral."]


@dataclass
class Sample:
    kind: str
    started: float
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    given_up: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """One simulated person: their own cookies, one request at a time, a new connection per request.

    gunicorn's sync workers close the connection after each response anyway.
    With several servers, each request goes to the next one in turn.
    """

    def __init__(self, ports: list[int], cookies: dict[str, str], results: Results):
        self.ports = ports
        self.turn = random.randrange(len(ports))
        self.cookies = dict(cookies)
        self.results = results

    def request(self, kind: str, method: str, path: str, *, data: dict | None = None,
                headers: dict | None = None, expect: int = 200) -> tuple[int, str, str]:
        """Returns (status, location, body); records a Sample. Network errors count as errors (status 0)."""
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        status, location, text = 0, "", ""
        try:
            self.turn += 1
            conn = http.client.HTTPConnection(HOST, self.ports[self.turn % len(self.ports)], timeout=15)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                status = response.status
                location = response.getheader("Location", "")
                for header in response.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as error:
            text = f"{type(error).__name__}: {error}"
        seconds = time.monotonic() - started
        ok = status == expect
        if ok and expect == 302 and "/login/" in location:
            ok = False  # signed out: the load test's sessions must hold
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        detail = "" if ok else f"{status} {location} {' '.join((title.group(1) if title else text).split())[:120]}"
        self.results.add(Sample(kind, started, seconds, ok, detail))
        return status, location, text


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else ""


class Person(threading.Thread):
    def __init__(self, browser: Browser, stop_at: float, think: float, seed: int):
        super().__init__(daemon=True)
        self.browser = browser
        self.stop_at = stop_at
        self.think = think
        self.rng = random.Random(seed)

    def pause(self) -> None:
        time.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    def running(self) -> bool:
        return time.monotonic() < self.stop_at

    def run(self) -> None:
        # People arrive over the first few seconds, not all in the same instant.
        time.sleep(self.rng.uniform(0, 5))
        while self.running():
            self.step()


class Peer(Person):
    def step(self) -> None:
        if self.rng.random() < 0.5:
            self.check_in()
        else:
            self.search()

    def check_in(self) -> None:
        b = self.browser
        status, _, html = b.request("check-in form", "GET", "/checkins/new/")
        if status != 200:
            self.pause()
            return
        key = _field(html, "key") or str(uuid.uuid4())
        methods = re.findall(r'name="method" value="(\d+)"', html)
        supplies = re.findall(r'name="(supply_\d+)"', html)
        data = {
            "csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"),
            "key": key,
            "happened_at": time.strftime("%Y-%m-%dT%H:%M"),
            "method": self.rng.choice(methods) if methods else "",
            "note": "Load test: talked for a while, took supplies for friends.",
        }
        if self.rng.random() < 0.2:
            data["new_participant"] = "on"
        for name in self.rng.sample(supplies, min(len(supplies), self.rng.randint(1, 2))):
            data[name] = str(self.rng.randint(1, 5))
        self.pause()  # typing
        # A failed submit is sent again with the same key, as a tablet would when the network is back.
        while True:
            status, location, _ = b.request("check-in submit", "POST", "/checkins/new/", data=data, expect=302)
            if status == 302 and re.fullmatch(r"/checkins/\d+/", location):
                with b.results.lock:
                    b.results.acknowledged.add(key)
                b.request("check-in page", "GET", location)
                break
            if not self.running():
                with b.results.lock:
                    b.results.given_up.add(key)
                break
            time.sleep(0.5)
        self.pause()

    def search(self) -> None:
        b = self.browser
        word = self.rng.choice(SEARCH_WORDS)
        if self.rng.random() < 0.4:
            b.request("directory page", "GET", "/directory/?" + urllib.parse.urlencode({"q": word}))
            self.pause()
            return
        # Typing in the search box: htmx asks for the results fragment as the words grow.
        for end in (3, len(word)):
            b.request("directory fragment", "GET", "/directory/?" + urllib.parse.urlencode({"q": word[:end]}),
                      headers={"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": "/directory/"})
            self.pause()


class Supervisor(Person):
    def step(self) -> None:
        b = self.browser
        status, _, html = b.request("review queue", "GET", "/review/")
        self.pause()
        links = re.findall(r'href="(/review/\d+/)"', html) if status == 200 else []
        if not links:
            return
        path = self.rng.choice(links)
        status, _, html = b.request("review page", "GET", path)
        if status != 200:
            self.pause()
            return
        self.pause()  # reading and writing
        data = {"csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"), "text": self.rng.choice(FEEDBACK)}
        if self.rng.random() < 0.3:
            data["mark_reviewed"] = "on"
        status, location, _ = b.request("feedback submit", "POST", path, data=data, expect=302)
        if status == 302:
            b.request("review page" if location == path else "review queue", "GET", location)
        self.pause()


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    # Nearest rank: the smallest value with at least `share` of all values at or below it.
    index = min(len(sorted_values) - 1, max(0, math.ceil(share * len(sorted_values)) - 1))
    return sorted_values[index]


def summarize(samples: list[Sample], seconds: float) -> list[dict]:
    kinds = sorted({s.kind for s in samples})
    rows = []
    for kind in [*kinds, "all"]:
        chosen = [s for s in samples if kind in ("all", s.kind)]
        times = sorted(s.seconds * 1000 for s in chosen)
        rows.append({
            "kind": kind, "requests": len(chosen), "per_second": len(chosen) / seconds,
            "p50_ms": percentile(times, 0.50), "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99), "errors": sum(not s.ok for s in chosen),
        })
    return rows


def worker_pids(master: int) -> set[int]:
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.add(int(stat.parent.name))
    return pids


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU time of these processes so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_backends(name: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving this database (pid -> seconds)."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f" {name} ".encode() in cmdline.read_bytes():
                found[int(cmdline.parent.name)] = cpu_seconds({int(cmdline.parent.name)})
        except OSError:
            continue
    return found


class Command(BaseCommand):
    help = "Load and fault test against gunicorn + a fresh PostgreSQL database ending in _load (make loadtest)."
    # Django's system checks connect to the database (a GeneratedField asks the server's
    # version), which does not exist yet: this command creates it. The checks run in its
    # migrate step instead, once the database is there.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="Simulated people (default 50).")
        parser.add_argument("--supervisors", type=int, default=10, help="How many of them supervise (default 10).")
        parser.add_argument("--seconds", type=int, default=60, help="Length of each phase (default 60).")
        parser.add_argument("--think", type=float, default=2.0,
                            help="Mean pause between a person's requests, seconds (default 2).")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5: 2 × cores + 1).")
        parser.add_argument("--port", type=int, default=8741)
        parser.add_argument("--servers", type=int, default=1,
                            help="gunicorn instances on consecutive ports from --port, each request to the next "
                                 "(default 1). Set CACHE_URL for the cache they share.")
        parser.add_argument("--checkins", type=int, default=4000, help="Check-ins loaded before the run.")
        parser.add_argument("--directory-size", type=int, default=300, help="Services generated before the run.")
        parser.add_argument("--no-restart", action="store_true", help="Skip phase 2 (the PostgreSQL restart).")
        parser.add_argument("--restart-after", type=int, default=20,
                            help="Seconds into phase 2 when PostgreSQL is restarted (default 20).")
        parser.add_argument("--restart-command", default="",
                            help="The fault to inject (a shell command); default: restart the local cluster with "
                                 "pg_ctlcluster. Other platforms: e.g. 'systemctl restart postgresql'.")
        parser.add_argument("--json", default="", help="Also write the results to this file.")

    def handle(self, *args, **options):
        if options["supervisors"] >= options["users"]:
            raise CommandError("--supervisors must be fewer than --users.")
        db = settings.DATABASES["default"]
        self._check_database(db)
        self.port = options["port"]
        self.ports = [self.port + n for n in range(options["servers"])]
        self._prepare(db, options)
        peers, supervisors = self._accounts(options["users"], options["supervisors"], options["checkins"])
        cookies = {user.pk: {settings.SESSION_COOKIE_NAME: signed_in_session(user)} for user in [*peers, *supervisors]}

        log_path = Path("/tmp") / f"loadtest-gunicorn-{os.getpid()}.log"
        report = {"settings": {k: options[k] for k in ("users", "supervisors", "seconds", "think", "workers",
                                                       "checkins", "directory_size", "servers")},
                  "database": db["NAME"], "cache": settings.CACHES["default"]["BACKEND"], "cores": os.cpu_count()}
        # The product's own settings (not perf.settings): what is served is exactly what production serves.
        with open(log_path, "w") as log, contextlib.ExitStack() as servers:
            self.servers = [
                servers.enter_context(gunicorn(port, options["workers"], log=log,
                                               settings_module="harmreduction.settings",
                                               env={"LOG_LEVEL": "WARNING"})).process
                for port in self.ports
            ]
            workers_before = self._workers()
            self._warm_up(peers, supervisors, cookies)
            report["steady"] = self._phase("Phase 1: steady load", peers, supervisors, cookies, options)
            if not options["no_restart"]:
                title = "PostgreSQL restarted" if not options["restart_command"] else "fault injected"
                report["fault"] = self._phase(f"Phase 2: {title} during the load", peers, supervisors,
                                              cookies, options, restart_after=options["restart_after"])
            workers_after = self._workers()
            masters_alive = all(server.poll() is None for server in self.servers)
            report["workers"] = {"before": len(workers_before), "after": len(workers_after),
                                 "same_processes": workers_before == workers_after,
                                 "master_alive": masters_alive}
            self.stdout.write(f"gunicorn: {len(self.servers)} server(s), {len(workers_before)} workers before, "
                              f"{len(workers_after)} after, same processes: {workers_before == workers_after}, "
                              f"master alive: {masters_alive} (log {log_path})")
        log_text = log_path.read_text()
        # The last line of each traceback: what the failed requests met.
        raised: dict[str, int] = {}
        for line in re.findall(r"^([\w.]+(?:Error|Exception): .*)$", log_text, re.M):
            raised[line[:160]] = raised.get(line[:160], 0) + 1
        report["server_log"] = {"raised": raised, "tracebacks": log_text.count("Traceback"),
                                "worker_timeouts": log_text.count("WORKER TIMEOUT"),
                                "worker_boots": log_text.count("Booting worker")}
        log = report["server_log"]
        self.stdout.write(f"gunicorn log: {log['tracebacks']} tracebacks, {log['worker_timeouts']} worker timeouts, "
                          f"{log['worker_boots']} workers booted again")
        for line, count in raised.items():
            self.stdout.write(f"  {count} × {line}")
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(report, indent=2, default=str))
        failed = report["steady"]["errors"] > 0 or report["steady"]["stored_without_audit_line"] > 0
        # A check-in acknowledged and not in the database is lost, outage or not.
        failed |= report["steady"]["acknowledged"] != report["steady"]["stored"]
        if "fault" in report:
            fault = report["fault"]
            failed |= fault["acknowledged"] != fault["stored"] or fault["recovered_after_s"] is None
            failed |= fault["stored_without_audit_line"] > 0
            failed |= not report["workers"]["master_alive"]
        if failed:
            raise CommandError("The load test found a problem (see above).")

    def _workers(self) -> set[int]:
        return set().union(*(worker_pids(server.pid) for server in self.servers))

    # -- set-up ---------------------------------------------------------------

    def _check_database(self, db: dict) -> None:
        # This command drops the database it is given: only ever a loopback one named for the purpose.
        if "postgresql" not in db["ENGINE"]:
            raise CommandError("The load test needs PostgreSQL: set DATABASE_URL (make loadtest does).")
        if db["HOST"] not in ("127.0.0.1", "localhost", "::1") or not db["NAME"].endswith("_load"):
            raise CommandError(f"Refusing to drop {db['NAME']!r} on {db['HOST']!r}: the load test only uses a "
                               "loopback database whose name ends in _load.")

    def _prepare(self, db: dict, options: dict) -> None:
        import psycopg

        started = time.monotonic()
        connection.close()
        with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                             dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        # perf.settings: production's with DEBUG off, plus the demo app whose demo_data this needs.
        env = production_env("perf.settings")
        for step in (["migrate", "--noinput", "-v0"],
                     ["demo_data", "--force", "--checkins", "1000", "--directory-size",
                      str(options["directory_size"])],
                     ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([*manage, *step], env=env, check=True, stdout=subprocess.DEVNULL)
        self.stdout.write(f"Fresh database {db['NAME']}: migrated, demo loaded, static collected "
                          f"in {time.monotonic() - started:.0f} s.")

    def _accounts(self, users: int, supervisors: int, checkins: int) -> tuple[list[User], list[User]]:
        """Load-test accounts (no password: they never sign in, their sessions are made directly)."""
        peer_group, supervisor_group = Group.objects.get(name=PEER), Group.objects.get(name=SUPERVISOR)
        leads = []
        for n in range(supervisors):
            lead = User.objects.create(username=f"load-supervisor-{n + 1:02}", first_name=f"Lead {n + 1}")
            lead.groups.add(supervisor_group)
            lead.team = Team.objects.create(name=f"Load team {n + 1}", supervisor=lead)
            lead.save(update_fields=["team"])
            leads.append(lead)
        peers = []
        for n in range(users - supervisors):
            peer = User.objects.create(username=f"load-peer-{n + 1:02}", first_name=f"Peer {n + 1}",
                                       team=leads[n % supervisors].team)
            peer.groups.add(peer_group)
            peers.append(peer)
        for user in [*leads, *peers]:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        peers = list(User.objects.filter(pk__in=[p.pk for p in peers]).select_related("team__supervisor"))
        missing = checkins - CheckIn.objects.count()
        if missing > 0:
            load_sample_checkins(peers, missing, seed=11)
        self.stdout.write(f"{CheckIn.objects.count()} check-ins, {Service.objects.count()} services, "
                          f"{len(peers)} peers and {len(leads)} supervisors on {len(leads)} teams.")
        return peers, leads

    def _warm_up(self, peers, supervisors, cookies) -> None:
        """A few rounds of every path, not counted: each worker compiles its templates and opens its
        database connection once, as it would long before the morning's first check-in."""
        results = Results()
        stop_at = time.monotonic() + 60
        people = [Peer(Browser(self.ports, cookies[u.pk], results), stop_at, 0, seed=u.pk) for u in peers[:5]]
        people += [Supervisor(Browser(self.ports, cookies[u.pk], results), stop_at, 0, seed=u.pk)
                   for u in supervisors[:5]]

        def rounds(person: Person) -> None:
            for _ in range(4):
                person.step()

        threads = [threading.Thread(target=rounds, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        failed = [s.detail for s in results.samples if not s.ok]
        if failed:
            raise CommandError(f"Warm-up failed: {failed[:3]}")
        self.stdout.write(f"Warm-up: {len(results.samples)} requests (not counted).")

    # -- a phase --------------------------------------------------------------

    def _phase(self, title, peers, supervisors, cookies, options, restart_after: int | None = None) -> dict:
        results = Results()
        seconds = options["seconds"]
        started = time.monotonic()
        stop_at = started + seconds
        people = [Peer(Browser(self.ports, cookies[u.pk], results), stop_at, options["think"], seed=u.pk)
                  for u in peers]
        people += [Supervisor(Browser(self.ports, cookies[u.pk], results), stop_at, options["think"], seed=u.pk)
                   for u in supervisors]
        workers = self._workers()
        cpu_before = cpu_seconds(workers), time.process_time(), os.getloadavg()[0]
        db_name = connection.settings_dict["NAME"]
        db_before = database_backends(db_name)
        db_seen = dict(db_before)

        def sample_database() -> None:
            # Backends come and go (CONN_MAX_AGE, a restart): keep the last CPU figure of each.
            while time.monotonic() < stop_at + 1:
                db_seen.update(database_backends(db_name))
                time.sleep(0.5)

        threading.Thread(target=sample_database, daemon=True).start()
        for person in people:
            person.start()
        restart = {}
        health: list[tuple[float, int]] = []
        if restart_after is not None:
            # What a load balancer would see: /healthz polled five times a second.
            def poll_health() -> None:
                while time.monotonic() < stop_at:
                    polled = time.monotonic()
                    try:
                        conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                        conn.request("GET", "/healthz")
                        status = conn.getresponse().status
                        conn.close()
                    except (OSError, http.client.HTTPException):
                        status = 0
                    health.append((polled, status))
                    time.sleep(0.2)

            threading.Thread(target=poll_health, daemon=True).start()
            time.sleep(max(0, started + restart_after - time.monotonic()))
            restart["issued"] = time.monotonic()
            command = options["restart_command"] or (
                f"pg_ctlcluster --skip-systemctl-redirect {sorted(os.listdir('/etc/postgresql'))[-1]} main restart")
            self.stdout.write(f"{restart_after} s in: {command}")
            subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
            restart["returned"] = time.monotonic()
        for person in people:
            person.join(timeout=seconds + 60)
        elapsed = time.monotonic() - started
        # Where the time went: the app's own CPU per request, the load generator's, and the machine's load.
        server_cpu = cpu_seconds(workers) - cpu_before[0]
        client_cpu = time.process_time() - cpu_before[1]
        db_seen.update(database_backends(db_name))
        # Sampled twice a second: the last half second of a backend that ended is missed (a lower bound).
        db_cpu = sum(cpu - db_before.get(pid, 0) for pid, cpu in db_seen.items())
        load_average = os.getloadavg()[0]

        rows = summarize(results.samples, elapsed)
        self.stdout.write(self.style.MIGRATE_HEADING(
            f"{title}: {len(people)} people ({len(supervisors)} supervisors), {elapsed:.0f} s, "
            f"{len(self.ports)} × {options['workers']} gunicorn workers, think time {options['think']} s"))
        self.stdout.write(f"{'kind':<20}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
                          f"{'errors':>8}")
        for row in rows:
            self.stdout.write(f"{row['kind']:<20}{row['requests']:>9}{row['per_second']:>8.1f}{row['p50_ms']:>9.0f}"
                              f"{row['p95_ms']:>9.0f}{row['p99_ms']:>9.0f}{row['errors']:>8}")
        requests = len(results.samples) or 1
        self.stdout.write(f"CPU: gunicorn workers {server_cpu:.1f} s "
                          f"({server_cpu / requests * 1000:.0f} ms a request), PostgreSQL backends "
                          f"{db_cpu:.1f} s ({db_cpu / requests * 1000:.0f} ms a request), "
                          f"load generator {client_cpu:.1f} s; load average {cpu_before[2]:.1f} before, "
                          f"{load_average:.1f} after ({os.cpu_count()} cores, shared)")
        errors = [s for s in results.samples if not s.ok]
        for detail in sorted({s.detail for s in errors})[:5]:
            self.stdout.write(f"  error: {detail}")

        # The restart broke this process's connection too; health checks only run per request.
        connection.close()
        acknowledged = results.acknowledged
        stored = CheckIn.objects.filter(key__in=acknowledged).count()
        given_up_stored = CheckIn.objects.filter(key__in=results.given_up).count()
        # Every stored check-in has its "create" line in the audit log (HIPAA), outage or not.
        made = {str(pk) for pk in CheckIn.objects.filter(key__in=acknowledged | results.given_up)
                .values_list("pk", flat=True)}
        audited = set(AuditEvent.objects.filter(action="create", object_type="sessions_app.checkin",
                                                object_id__in=made).values_list("object_id", flat=True))
        unaudited = len(made - audited)
        # Per second of the phase: requests started, of those slower than 500 ms, errors (shows stalls).
        timeline = [[0, 0, 0] for _ in range(int(elapsed) + 1)]
        for sample in results.samples:
            second = timeline[min(len(timeline) - 1, int(sample.started - started))]
            second[0] += 1
            second[1] += sample.seconds > 0.5
            second[2] += not sample.ok
        summary = {"rows": rows, "errors": len(errors), "timeline": timeline, "server_cpu_s": server_cpu,
                   "client_cpu_s": client_cpu, "database_cpu_s": db_cpu,
                   "load_average": [cpu_before[2], load_average], "acknowledged": len(acknowledged),
                   "stored": stored,
                   "given_up": len(results.given_up), "given_up_stored": given_up_stored,
                   "stored_without_audit_line": unaudited}
        self.stdout.write(f"Check-ins acknowledged (302 to the check-in): {len(acknowledged)}; "
                          f"of those in the database: {stored}. Still failing when the phase ended: "
                          f"{len(results.given_up)} (of those stored anyway: {given_up_stored}). "
                          f"Stored without their audit line: {unaudited}.")
        if restart:
            summary.update(self._recovery(results.samples, restart, errors, health))
        return summary

    def _recovery(self, samples: list[Sample], restart: dict, errors: list[Sample], health) -> dict:
        issued = restart["issued"]
        down = [t - issued for t, status in health if status != 200 and t >= issued - 1]
        healthy_again = next((t - issued for t, status in health if status == 200 and down and t - issued > down[0]),
                             None)
        saved_after = sorted(s.started + s.seconds for s in samples
                             if s.kind == "check-in submit" and s.ok and s.started >= issued)
        first_saved = saved_after[0] - issued if saved_after else None
        outage = [s for s in errors if s.started + s.seconds >= issued - 1]
        last_error = max((s.started + s.seconds for s in outage), default=issued) - issued
        figures = {"restart_command_s": restart["returned"] - issued, "recovered_after_s": first_saved,
                   "last_error_after_s": last_error, "errors_during_outage": len(outage),
                   "healthz_not_ok_s": [down[0], down[-1]] if down else None, "healthz_ok_again_s": healthy_again}
        self.stdout.write(
            f"The restart command took {figures['restart_command_s']:.1f} s; first check-in saved "
            + (f"{first_saved:.1f} s" if first_saved is not None else "NEVER")
            + f" after the restart began; {len(outage)} errors, the last {last_error:.1f} s after it began.")
        if down:
            self.stdout.write(f"/healthz: not 200 from {down[0]:.1f} s to {down[-1]:.1f} s after the restart began "
                              f"({len(down)} polls), 200 again at {healthy_again or 0:.1f} s.")
        else:
            self.stdout.write("/healthz: 200 throughout (polled every 0.2 s).")
        return figures
