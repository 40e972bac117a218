"""The app without signal, measured (issue 11; docs/offline.md, docs/performance.md).

- The offline directory copy at the directory's size (run after `bench`, which
  loads 10,000 generated services): services kept, raw and gzip bytes.
- Script sizes, gzip: every page's JavaScript (target 25 KB) and, counted
  apart, the service worker and the offline scripts (target 12 KB).
- In Chromium against gunicorn (perf.settings, DEBUG off): a library card
  opened from the worker's copy without signal, against the same card online,
  in the same run; a check-in saved (tap to the saved page) and a live
  directory search (keystroke to results) with 0, 150 and 600 ms of emulated
  round-trip latency, as multiples of the 0 ms figure.

Prints figures and ratios; asserts nothing about time.
"""

import gzip
import re
import shutil
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from harmreduction.models import User
from perf.management.commands.bench import OFFLINE_JS, TARGET_JS_KB, _all_js, _static_file
from perf.management.commands.bench_browser import MEASURE
from perf.server import gunicorn, session_cookie
from resources.models import Card, Service

PORT = 8733
TARGET_OFFLINE_JS_KB = 12
TARGET_DIRECTORY_KB = 300
ROUNDS = 7
SEARCHES = ["methadone", "naloxone", "syringe", "wound", "shelter"]

KEPT = ("async () => { const hit = await caches.match('/offline/copy.json'); "
        "return hit ? (await hit.json()).kept : null; }")
LOAD_MS = "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


class Command(BaseCommand):
    help = "The app without signal: offline directory size, script sizes, cached page vs online, latency."

    def handle(self, *args, **options):
        self.directory_size()
        self.script_sizes()
        self.in_chromium()

    def directory_size(self):
        client = Client()
        client.force_login(User.objects.get(username="peer"))
        started = time.perf_counter()
        response = client.get("/directory/offline/")
        took = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(f"/directory/offline/ answered {response.status_code}")
        body = response.content
        kept = body.count(b'<li class="result" data-pk=')
        self.stdout.write(
            f"Offline directory: {kept} of {Service.objects.listed().count()} listed services kept; "
            f"{len(body) / 1024:.0f} KB raw, {gz(body) / 1024:.0f} KB gzip (target about {TARGET_DIRECTORY_KB}); "
            f"rendered in {took * 1000:.0f} ms (once an hour per signed-in tablet at most)"
        )

    def script_sizes(self):
        page_js = sum(gz(_static_file(path)) for path in _all_js())
        worker = Client().get("/sw.js").content
        offline = gz(worker) + sum(gz(_static_file(path)) for path in OFFLINE_JS if path != "js/sw.js")
        self.stdout.write(
            f"Page JavaScript, gzip: {page_js / 1024:.1f} KB (target {TARGET_JS_KB}); "
            f"service worker and offline scripts, counted apart: {offline / 1024:.1f} KB "
            f"(target {TARGET_OFFLINE_JS_KB}; {', '.join(OFFLINE_JS)})"
        )

    def in_chromium(self):
        from playwright.sync_api import sync_playwright

        name, value = session_cookie("peer")
        card = Card.objects.in_reading_order().first()
        card_url = f"/library/{card.slug}/"
        with gunicorn(PORT, 2) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                context = browser.new_context(viewport={"width": 810, "height": 1080}, base_url=server.url,
                                              service_workers="allow")
                context.add_cookies([{"name": name, "value": value, "url": server.url}])
                tab = context.new_page()
                tab.goto("/")
                if "/login/" in tab.url:
                    raise CommandError("could not sign in (is the demo loaded?)")
                deadline = time.monotonic() + 300
                while not tab.evaluate(KEPT):
                    if time.monotonic() > deadline:
                        raise CommandError("the service worker kept no copy within 5 minutes")
                    tab.wait_for_timeout(250)
                online = self.loads(tab, card_url)
                context.set_offline(True)
                offline = self.loads(tab, card_url)
                context.set_offline(False)
                self.stdout.write(
                    f"A library card: online {statistics.median(online):.0f} ms, from the tablet's copy without "
                    f"signal {statistics.median(offline):.0f} ms (median of {ROUNDS} loads each, to the load "
                    f"event): {statistics.median(offline) / statistics.median(online):.2f} of online"
                )
                cdp = context.new_cdp_session(tab)
                cdp.send("Network.enable")
                saves, searches = {}, {}
                # One of each first, unmeasured: the first save and search warm the server's caches.
                self.save(tab)
                tab.goto("/directory/")
                tab.evaluate(MEASURE, ["input[type=search]", "clinic"])
                for latency in (0, 150, 600):
                    cdp.send("Network.emulateNetworkConditions", {
                        "offline": False, "latency": latency, "downloadThroughput": -1, "uploadThroughput": -1,
                    })
                    saves[latency] = statistics.median(self.save(tab) for _ in range(5))
                    tab.goto("/directory/")
                    searches[latency] = statistics.median(
                        tab.evaluate(MEASURE, ["input[type=search]", query])["total"] for query in SEARCHES
                    )
                for label, figures in (("Check-in save (tap to saved page)", saves),
                                       ("Live directory search (keystroke to results)", searches)):
                    self.stdout.write(f"{label}: " + "; ".join(
                        f"{latency} ms latency {ms:.0f} ms ({ms / figures[0]:.1f}× of 0 ms)"
                        for latency, ms in figures.items()
                    ))
            finally:
                browser.close()

    def loads(self, tab, url) -> list[float]:
        times = []
        for _ in range(ROUNDS):
            tab.goto(url)
            tab.wait_for_load_state("load")
            times.append(tab.evaluate(LOAD_MS))
        return times

    def save(self, tab) -> float:
        tab.goto("/checkins/new/")
        tab.get_by_label("Street outreach").click()
        tab.get_by_label("Note").fill("Bench: a short note.")
        started = time.perf_counter()
        tab.get_by_role("button", name="Save check-in").click()
        tab.wait_for_url(re.compile(r"/checkins/\d+/"), timeout=60_000)
        tab.wait_for_load_state("load")
        return (time.perf_counter() - started) * 1000
