"""The screenshots in docs/, taken as a peer sees the pages on an 820×1180 portrait tablet.

Serves the app with gunicorn (perf.settings, DEBUG off) on loopback, signs in
as the demo peer and saves, in docs/: home.png, directory.png (a search typed)
and checkin-form.png (a check-in being written: a supply, a referral found by
typing, the language coach's hint beside the note, Save at the bottom).
Needs the demo data and collected static files:

    DJANGO_SETTINGS_MODULE=perf.settings DATABASE_URL=sqlite:////tmp/shots.sqlite3 \\
      STATIC_ROOT=/tmp/shots-static sh -c 'manage.py migrate && manage.py demo_data && \\
      manage.py collectstatic --noinput && manage.py screenshots'
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from perf.server import gunicorn, session_cookie

PORT = 8733
PORTRAIT = {"width": 820, "height": 1180}


class Command(BaseCommand):
    help = "Screenshots of the main pages at 820×1180 (docs/*.png)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.BASE_DIR / "docs"))

    def handle(self, *args, out, **options):
        from playwright.sync_api import sync_playwright

        out = Path(out)
        name, value = session_cookie("peer")
        with gunicorn(PORT, 2) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                context = browser.new_context(viewport=PORTRAIT, base_url=server.url, has_touch=True,
                                              is_mobile=True)
                context.add_cookies([{"name": name, "value": value, "url": server.url}])
                tab = context.new_page()
                self.home(tab, out / "home.png")
                self.directory(tab, out / "directory.png")
                self.checkin_form(tab, out / "checkin-form.png")
            finally:
                browser.close()

    def discard_draft(self, tab) -> None:
        discard = tab.get_by_role("button", name="Start over (discard the draft)")
        if discard.count():
            discard.click()
            tab.wait_for_load_state()

    def shoot(self, tab, path: Path) -> None:
        tab.screenshot(path=path)
        self.stdout.write(f"Saved {path}")

    def home(self, tab, path: Path) -> None:
        tab.goto("/")
        if "/login/" in tab.url:
            raise CommandError("could not sign in (is the demo loaded?)")
        self.shoot(tab, path)

    def directory(self, tab, path: Path) -> None:
        tab.goto("/directory/")
        tab.get_by_label("Search services, places, languages").press_sequentially("methadone", delay=30)
        tab.wait_for_url("**q=methadone**")
        tab.locator("#results .result").first.wait_for()
        self.shoot(tab, path)

    def checkin_form(self, tab, path: Path) -> None:
        tab.goto("/checkins/new/")
        self.discard_draft(tab)
        tab.get_by_label("Street outreach").check()
        tab.get_by_role("button", name="One more Naloxone kits").click()
        tab.get_by_role("button", name="One more Naloxone kits").click()
        tab.get_by_label("Find a service to refer to").press_sequentially("methadone", delay=30)
        tab.locator(".referral-results li").first.get_by_role("button").click()
        tab.locator(".referral-row").first.wait_for()
        tab.get_by_label("Note").press_sequentially("Talked about a clean start; he said he is an addict.",
                                                  delay=10)
        tab.locator("#coach-note li").first.wait_for()
        tab.get_by_role("group", name="Referrals offered").evaluate("el => el.scrollIntoView()")
        self.shoot(tab, path)
        # Leave no draft behind in the demo.
        tab.goto("/checkins/new/")
        self.discard_draft(tab)
