"""Saving a check-in without signal (issue 11, items 2, 5, 6 and the participant code of 7).

The form is open when the signal drops (the common case: opened online). The
page seals the check-in with the server's public key and keeps only that on the
tablet; it is sent when the signal is back. `context.set_offline` cuts the
network as a dead zone would; the sealed copy is read back from every store the
page can reach, and opened with the server's key to prove it is really there.
"""

import base64
import json
import re
import uuid

import pytest

from sessions_app.models import CheckIn, Participant, ReturnedCheckIn
from sessions_app.sealed import open_sealed
from tests.browser.conftest import CHECKIN_PAGE, CHROMIUM, TABLET, sign_in, sign_out
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)

# What a page without signal legitimately logs: the failed requests themselves.
NO_SIGNAL_NOISE = re.compile(r"net::ERR_(INTERNET_DISCONNECTED|FAILED)|htmx:(sendError|sendAbort|afterRequest)")
WAIT = 30_000  # ms: a shared, slow machine; every wait is for something the page shows

READ_EVERY_STORE = """async () => {
  const ask = (request) => new Promise((ok, fail) => { request.onsuccess = () => ok(request.result);
                                                       request.onerror = () => fail(request.error); });
  const out = {indexedDB: [], caches: [], localStorage: {}, sessionStorage: {}};
  for (const info of await indexedDB.databases()) {
    const db = await ask(indexedDB.open(info.name));
    for (const name of db.objectStoreNames) {
      const rows = await ask(db.transaction(name).objectStore(name).getAll());
      out.indexedDB.push({db: info.name, store: name, rows});
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      out.caches.push({url: request.url, body: await (await cache.match(request)).text()});
    }
  }
  for (const [name, area] of [["localStorage", localStorage], ["sessionStorage", sessionStorage]]) {
    for (let i = 0; i < area.length; i++) out[name][area.key(i)] = area.getItem(area.key(i));
  }
  return out;
}"""


def watch(page, problems):
    def on_console(msg):
        if msg.type == "error" and not NO_SIGNAL_NOISE.search(msg.text):
            problems.append(f"console: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return page


CSP_WATCH = ("document.addEventListener('securitypolicyviolation', e => "
             "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture
def tablet(browser, live_server):
    """A tablet's browser: a page that fails its test on a CSP violation or a script error."""
    context = browser.new_context(viewport=TABLET, base_url=live_server.url, has_touch=True)
    context.add_init_script(CSP_WATCH)
    problems = []
    yield watch(context.new_page(), problems)
    context.close()
    assert not problems, problems


@pytest.fixture
def code(peer):
    return Participant.objects.create(code="Cedar-482", created_by=peer).code


def fill_checkin(page, note, participant_code=""):
    page.goto("/checkins/new/")
    page.get_by_label("Street outreach").click()
    if participant_code:
        page.get_by_label("Participant code").fill(participant_code)
    page.get_by_label("Note").fill(note)


def save_without_signal(page):
    page.context.set_offline(True)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("This check-in is locked on this tablet").wait_for(timeout=WAIT)


def waiting(page):
    return page.locator("#offline-queue")


def sealed_rows(page):
    stores = page.evaluate(READ_EVERY_STORE)["indexedDB"]
    return [row for store in stores for row in store["rows"]]


def wait_until_sent(page):
    # A pass over the queue has ended (the page drew the line without the attribute) with nothing left to show.
    page.locator("#offline-queue[data-synced][hidden]").wait_for(state="attached", timeout=WAIT)
    assert sealed_rows(page) == []


def test_it_keeps_a_checkin_sealed_without_signal_and_sends_it_when_the_signal_is_back(tablet, peer, code,
                                                                                      choice_lists):  # noqa: F811
    page = tablet
    marker = f"marker-{uuid.uuid4().hex}"
    sign_in(page, "peer")
    fill_checkin(page, f"Talked about {marker} and warm socks.", participant_code=code)
    page.get_by_text("Draft kept at").wait_for(timeout=WAIT)

    # The signal drops mid-sentence: the status line says so at once, never "Draft kept".
    page.context.set_offline(True)
    page.get_by_label("Note").press_sequentially(" More.")
    status = page.locator("#draft-status")
    status.get_by_text("Not sent yet: no signal.").wait_for(timeout=WAIT)
    assert "Draft kept" not in status.inner_text()

    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("This check-in is locked on this tablet").wait_for(timeout=WAIT)
    assert waiting(page).inner_text().startswith("1 check-in waiting to send.")
    # The form is blank for the next person; nothing of this one is on the page.
    assert page.get_by_label("Note").input_value() == ""
    assert page.get_by_label("Participant code").input_value() == ""
    assert marker not in page.content() and code not in page.locator("form.checkin-form").inner_html()

    # Nothing readable anywhere the page can store things.
    everything = json.dumps(page.evaluate(READ_EVERY_STORE))
    assert marker not in everything and code not in everything
    [row] = sealed_rows(page)
    assert row["user"] == str(peer.pk) and set(row["sealed"]) == {"v", "kid", "key", "iv", "data"}
    for part in ("key", "iv", "data"):
        raw = base64.b64decode(row["sealed"][part])
        assert marker.encode() not in raw and code.encode() not in raw
    # It is all there, for the server's key only.
    fields = dict(open_sealed(json.dumps(row["sealed"]).encode())["fields"])
    assert marker in fields["note"] and fields["participant_code"] == code
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    wait_until_sent(page)
    checkin = CheckIn.objects.get()
    assert marker in checkin.note and checkin.participant.code == code and checkin.peer == peer


def test_it_neither_shows_nor_sends_a_queue_to_another_person(tablet, peer, peer2, choice_lists):  # noqa: F811
    page = tablet
    sign_in(page, "peer")
    fill_checkin(page, "Jordan's check-in, saved in a dead zone.")
    save_without_signal(page)
    # Signal back, but the queue is held off the network while Jordan signs out.
    sent = []
    page.context.route("**/checkins/offline/", lambda route: route.abort())
    page.context.set_offline(False)
    sign_out(page)
    page.wait_for_url("**/login/**")
    page.context.unroute("**/checkins/offline/")

    page.on("request", lambda request: "/checkins/offline/" in request.url and sent.append(request.url))
    sign_in(page, "peer2")
    page.goto("/checkins/")
    # The page has looked at the queue (and found nothing of peer2's to send).
    page.locator("#offline-queue[data-synced]").wait_for(state="attached", timeout=WAIT)
    assert waiting(page).is_hidden() and sent == [] and not CheckIn.objects.exists()
    assert len(sealed_rows(page)) == 1  # still on the tablet, Jordan's to send

    # Jordan signs in again: the queue survived signing out and goes now.
    sign_out(page)
    page.wait_for_url("**/login/**")
    sign_in(page, "peer")
    wait_until_sent(page)
    assert CheckIn.objects.get().peer == peer and len(sent) == 1


def test_it_returns_a_mistyped_participant_code_to_its_author(tablet, peer, code, choice_lists):  # noqa: F811
    page = tablet
    sign_in(page, "peer")
    # Offline nothing can check the code: it is taken as typed and checked at sync.
    fill_checkin(page, "Typed the code from memory.", participant_code="Cedar-428")
    save_without_signal(page)
    page.context.set_offline(False)
    waiting(page).get_by_text("needs another look").wait_for(timeout=WAIT)
    assert sealed_rows(page) == [] and not CheckIn.objects.exists()

    waiting(page).get_by_role("link", name="open it").click()
    page.get_by_role("heading", name="A check-in to look at again").wait_for(timeout=WAIT)
    assert page.get_by_label("Note").input_value() == "Typed the code from memory."
    assert page.get_by_text("No participant has that code").is_visible()
    page.get_by_label("Participant code").fill(code)
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE, timeout=WAIT)
    assert page.get_by_text("Check-in saved").is_visible()
    checkin = CheckIn.objects.get()
    assert checkin.note == "Typed the code from memory." and checkin.participant.code == code
    assert not ReturnedCheckIn.objects.waiting_for(peer).exists()


@pytest.mark.parametrize("latency_ms", [600, 1500])
def test_it_saves_each_checkin_once_on_a_slow_connection_with_or_without_signal(tablet, peer, choice_lists,  # noqa: F811
                                                                               latency_ms):
    page = tablet
    sign_in(page, "peer")
    # Chromium's network emulation, as in test_checkin_latency.py; it also takes the signal away
    # (with emulation on, it decides, not context.set_offline).
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def network(offline):
        cdp.send("Network.emulateNetworkConditions", {
            "offline": offline, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1,
        })

    network(offline=False)
    fill_checkin(page, "Saved with a slow signal.")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(CHECKIN_PAGE, timeout=WAIT)
    assert page.get_by_text("Check-in saved").is_visible()
    assert sealed_rows(page) == []

    fill_checkin(page, "Saved with no signal at all.")
    network(offline=True)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("This check-in is locked on this tablet").wait_for(timeout=WAIT)
    network(offline=False)
    # The `online` event or the next page load sends it; here, the next page.
    page.goto("/checkins/")
    wait_until_sent(page)
    assert sorted(CheckIn.objects.values_list("note", flat=True)) == [
        "Saved with a slow signal.", "Saved with no signal at all."]


def test_it_keeps_the_queue_through_a_browser_restart(playwright_dirs, live_server, peer, choice_lists):  # noqa: F811
    launch, profile = playwright_dirs
    problems = []
    context = launch(profile)
    page = watch(context.pages[0] if context.pages else context.new_page(), problems)
    sign_in(page, "peer")
    fill_checkin(page, "Kept through a restart.")
    save_without_signal(page)
    context.close()  # the tablet's browser is closed, still without signal

    context = launch(profile)
    page = watch(context.pages[0] if context.pages else context.new_page(), problems)
    page.goto("/checkins/")  # signed in still: the session cookie outlives the browser
    wait_until_sent(page)
    context.close()
    assert CheckIn.objects.get().note == "Kept through a restart."
    assert not problems, problems


@pytest.fixture
def playwright_dirs(browser, live_server, tmp_path):
    """Launch a browser that keeps its profile (storage, cookies) in a folder, like a tablet's."""
    playwright = browser.browser_type

    def launch(profile):
        context = playwright.launch_persistent_context(
            profile, executable_path=CHROMIUM, viewport=TABLET, base_url=live_server.url, has_touch=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context.add_init_script(CSP_WATCH)
        return context

    return launch, tmp_path / "profile"
