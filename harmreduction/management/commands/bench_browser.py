"""Live search as a peer feels it, in Chromium: keystroke to results on screen.

Serves the app with gunicorn (bench settings, DEBUG off) on loopback, signs in
as the demo peer, and for each query types its last character into the search
box and waits for htmx to settle the new results. Prints the median of
keystroke→rendered and of request→rendered (the part after the debounce).
"""

import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PORT = 8732
QUERIES = ["methadone", "naloxone", "syringe", "buprenorphine", "wound", "shelter", "detox", "testing",
           "walk", "spanish", "clinic", "harm", "needle", "free", "outreach", "pharmacy", "sharps",
           "fentanyl", "counsel", "housing"]

MEASURE = """
([selector, text]) => new Promise((resolve) => {
  const input = document.querySelector(selector);
  let typed, sent;
  const onRequest = () => { sent = performance.now(); };
  const onSettle = () => {
    document.body.removeEventListener("htmx:beforeRequest", onRequest);
    document.body.removeEventListener("htmx:afterSettle", onSettle);
    requestAnimationFrame(() => {
      const done = performance.now();
      resolve({total: done - typed, server: done - sent});
    });
  };
  document.body.addEventListener("htmx:beforeRequest", onRequest);
  document.body.addEventListener("htmx:afterSettle", onSettle);
  input.focus();
  input.value = text;
  typed = performance.now();
  input.dispatchEvent(new Event("input", {bubbles: true}));
})
"""


class Command(BaseCommand):
    help = "Median live-search latency in Chromium (keystroke to results rendered)."

    def add_arguments(self, parser):
        parser.add_argument("--page", default="/directory/")
        parser.add_argument("--input", default="input[type=search]")

    def handle(self, *args, page, input, **options):
        from playwright.sync_api import sync_playwright

        from harmreduction.management.commands.demo_data import DEMO_PASSWORD

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "harmreduction.settings_bench", "DEBUG": "0",
               "SECRET_KEY": settings.SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "harmreduction.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2",
             "--log-level", "warning"], env=env, start_new_session=True,
        )
        base = f"http://127.0.0.1:{PORT}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise CommandError("gunicorn did not start")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                # The session cookie is Secure in production settings; plain http on loopback here.
                context = browser.new_context(viewport={"width": 810, "height": 1080}, base_url=base,
                                              ignore_https_errors=True)
                tab = context.new_page()
                tab.goto("/login/")
                tab.fill("#id_username", "peer")
                tab.fill("#id_password", DEMO_PASSWORD)
                tab.click("button[type=submit]")
                tab.goto(page)
                if tab.url.endswith("/login/") or "/login/" in tab.url:
                    raise CommandError("could not sign in (is the demo loaded?)")
                totals, servers = [], []
                for query in QUERIES:
                    result = tab.evaluate(MEASURE, [input, query])
                    totals.append(result["total"])
                    servers.append(result["server"])
                browser.close()
            self.stdout.write(
                f"Live search on {page}: keystroke→rendered median {statistics.median(totals):.0f} ms "
                f"(request→rendered {statistics.median(servers):.0f} ms, the rest is the debounce), "
                f"{len(QUERIES)} queries"
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
