"""Live search as a peer feels it, in Chromium: keystroke to results on screen.

Serves the app with gunicorn (perf.settings, DEBUG off) on loopback, signs in
as the demo peer, and for each query types its last character into the search
box and waits for htmx to settle the new results. Prints the median of
keystroke→rendered (debounce included) and of request→rendered (after it).

The reference, measured in the same run and interleaved with the searches: a
box added to the same page with the same hx-trigger, fetching the signed-in
floor (/bench/baseline/: the middleware, the session and the user, no page)
into a div. What the search costs beyond it is the directory's own work, so
the ratio of the medians holds across machines where the milliseconds do not.
"""

import shutil
import statistics

from django.core.management.base import BaseCommand, CommandError

from perf.server import gunicorn, session_cookie

PORT = 8732
QUERIES = ["methadone", "naloxone", "syringe", "buprenorphine", "wound", "shelter", "detox", "testing",
           "walk", "spanish", "clinic", "harm", "needle", "free", "outreach", "pharmacy", "sharps",
           "fentanyl", "counsel", "housing"]

# Types the whole query at once (as a paste or the last keystroke) and times until htmx
# has swapped and settled the results and the browser has painted the next frame.
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


# The reference box: the search box's trigger, the floor's URL, a target of its own.
ADD_REFERENCE = """
([trigger]) => {
  const box = document.createElement("input");
  box.type = "search";
  box.name = "q";
  box.id = "bench-reference";
  box.setAttribute("hx-get", "/bench/baseline/");
  box.setAttribute("hx-trigger", trigger);
  box.setAttribute("hx-target", "#bench-reference-out");
  const out = document.createElement("div");
  out.id = "bench-reference-out";
  document.body.append(box, out);
  window.htmx.process(box);
}
"""


class Command(BaseCommand):
    help = "Median live-search latency in Chromium (keystroke to results rendered)."

    def add_arguments(self, parser):
        parser.add_argument("--page", default="/directory/")
        parser.add_argument("--input", default="input[type=search]")

    def handle(self, *args, page, input, **options):
        from playwright.sync_api import sync_playwright

        name, value = session_cookie("peer")
        with gunicorn(PORT, 2) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                context = browser.new_context(viewport={"width": 810, "height": 1080}, base_url=server.url)
                context.add_cookies([{"name": name, "value": value, "url": server.url}])
                tab = context.new_page()
                tab.goto(page)
                if "/login/" in tab.url:
                    raise CommandError("could not sign in (is the demo loaded?)")
                trigger = tab.get_attribute(input, "hx-trigger") or ""
                tab.evaluate(ADD_REFERENCE, [trigger])
                totals, servers, references = [], [], []
                for query in QUERIES:
                    result = tab.evaluate(MEASURE, [input, query])
                    totals.append(result["total"])
                    servers.append(result["server"])
                    references.append(tab.evaluate(MEASURE, ["#bench-reference", query])["total"])
            finally:
                browser.close()
        self.stdout.write(
            f"Live search on {page} (hx-trigger \"{trigger}\"), {len(QUERIES)} queries: "
            f"keystroke→rendered median {statistics.median(totals):.0f} ms, max {max(totals):.0f} ms "
            f"(target 150); request→rendered median {statistics.median(servers):.0f} ms, "
            f"max {max(servers):.0f} ms"
        )
        reference = statistics.median(references)
        self.stdout.write(
            f"Reference (the same trigger fetching the signed-in floor, interleaved): keystroke→rendered "
            f"median {reference:.0f} ms; the search takes {statistics.median(totals) / reference:.2f}x the reference"
        )
