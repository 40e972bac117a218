"""The installable app without signal (issue 11, items 3, 4, 6 and 7; docs/offline.md).

A peer signs in with signal: the service worker keeps the library, the words
page, a blank check-in form and the directory's offline copy. Then the signal
goes (`context.set_offline`): each opens from the tablet, and anything else
shows our own offline page. Other roles keep only what they may open; sign-out
drops the copy; a page with participant data is never kept; a new release
replaces the cache.
"""

import re
import time

import pytest
from django.apps import apps

from demo.sample_directory import load_sample_directory
from harmreduction import app_shell
from resources import content
from resources.service_kinds import load_service_kinds
from sessions_app.models import CheckIn, ContactMethod, Participant
from tests.browser.conftest import sign_in, sign_out
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_offline_queue import READ_EVERY_STORE, tablet  # noqa: F401 (fixture)

WAIT = 60  # s: a shared, slow machine; each wait is for something the page shows or keeps

CACHE_NAMES = "() => caches.keys()"
KEPT = """async () => {
  const hit = await caches.match('/offline/copy.json');
  return hit ? await hit.json() : null;
}"""


@pytest.fixture
def everything(db, choice_lists):  # noqa: F811
    # live_server's transactional tests empty the tables the data migrations filled.
    content.load(apps)
    load_service_kinds()
    load_sample_directory()


def wait_for(page, script, test=bool, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if test(value):
            return value
        assert time.monotonic() < deadline, f"waited {timeout} s; last: {value!r}"
        page.wait_for_timeout(200)


def wait_for_copy(page):
    """Until the worker has kept this person's pages (the list goes in last)."""
    return wait_for(page, KEPT)


def worker_problems(context):
    """Errors the service worker logs (the page fixture watches the pages)."""
    problems = []

    def watch(worker):
        worker.on("console", lambda msg: msg.type == "error" and problems.append(f"worker: {msg.text}"))

    context.on("serviceworker", watch)
    for worker in context.service_workers:
        watch(worker)
    return problems


def test_it_opens_the_kept_pages_without_signal(page, peer, everything):
    problems = worker_problems(page.context)
    sign_in(page, "peer")
    kept = wait_for_copy(page)
    assert kept["user"] == peer.pk
    # Every page on the list was kept: none refused, nothing the peer may not open.
    assert kept["kept"] and sorted(kept["kept"]) == sorted(kept["urls"])
    assert {"/library/", "/library/words/", "/checkins/new/", "/directory/offline/"} <= set(kept["urls"])
    assert "/library/naloxone-nasal-spray/show/" in kept["urls"]

    page.context.set_offline(True)
    page.goto("/library/naloxone-nasal-spray/")
    assert page.get_by_role("heading", name="Giving naloxone nasal spray").is_visible()
    page.get_by_role("link", name="Show to participant").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/")
    assert page.get_by_text("Second dose, other nostril.").is_visible()
    # "Español" without signal too: each language of the show screen is kept (not the English again).
    assert "/library/naloxone-nasal-spray/show/?lang=es" in kept["urls"]
    page.get_by_role("link", name="Español").click()
    page.wait_for_url("**/library/naloxone-nasal-spray/show/?lang=es")
    assert page.get_by_text("Otra dosis, en la otra fosa nasal.").is_visible()

    page.goto("/library/")
    assert page.get_by_role("heading", name="Overdose response").is_visible()
    page.goto("/library/words/")
    assert page.get_by_role("heading", name=re.compile("Words")).first.is_visible()

    # The check-in form: blank, with a key of its own each time it opens.
    page.goto("/checkins/new/")
    assert page.get_by_role("heading", name="New check-in").is_visible()
    assert page.get_by_label("Participant code").input_value() == ""
    first_key = page.locator('input[name="key"]').input_value()
    page.goto("/checkins/new/?referral=3")
    assert page.locator('input[name="key"]').input_value() not in ("", first_key)

    # The directory's copy: searched and filtered on the tablet.
    page.goto("/directory/offline/")
    assert page.get_by_text(re.compile(r"Offline copy from \w{3} \d+, \d{4}, \d\d:\d\d")).is_visible()
    rows = page.locator("#offline-results li.result")
    total = rows.count()
    assert total >= 10
    # Core kinds first: the first row is a syringe or MAT/MOUD service.
    assert re.search(r"PC-SSP|PC-MAT", rows.first.get_attribute("data-terms"))
    page.get_by_label("Search services, places, languages").fill("syringes")
    visible = page.locator("#offline-results li.result:visible")
    assert 0 < visible.count() < total
    assert "Division Street Syringe Exchange" in page.locator("#offline-results").inner_text()
    assert re.match(r"\d+ services? match", page.locator("#offline-count").inner_text())
    page.get_by_label("Search services, places, languages").fill("")
    assert visible.count() == total
    page.locator("#offline-directory-form").get_by_text("Walk-in", exact=True).click()
    walk_ins = visible.count()
    assert 0 < walk_ins < total
    assert all(row.get_attribute("data-walkin") is not None for row in visible.all())
    page.get_by_label("Search services, places, languages").fill("zzzzqqq")
    assert visible.count() == 0
    assert page.get_by_text("No services in this copy match").is_visible()

    # Anything not kept: our own page, never the browser's.
    page.goto("/checkins/")
    assert page.get_by_role("heading", name="No signal right now").is_visible()
    assert page.get_by_text(re.compile(r"Copy on this tablet taken")).is_visible()
    assert page.get_by_role("link", name="Directory without signal").is_visible()
    page.goto("/directory/1/")
    assert page.get_by_role("heading", name="No signal right now").is_visible()
    page.context.set_offline(False)
    assert not problems, problems


@pytest.mark.parametrize("role", ["content_admin", "supervisor"])
def test_it_keeps_only_what_each_role_may_open(page, role, request, everything):
    user = request.getfixturevalue(role)
    problems = worker_problems(page.context)
    sign_in(page, user.username)
    kept = wait_for_copy(page)
    assert sorted(kept["kept"]) == sorted(kept["urls"])
    assert ("/checkins/new/" in kept["kept"]) == user.has_perm("sessions_app.add_checkin")
    # The page fixture fails the test on any console error (a refused page would log one).
    assert not problems, problems


def test_it_never_keeps_participant_data_and_drops_the_copy_at_sign_out(page, peer, everything):
    marker = "Marker-7Q4Z-never-cached"
    participant = Participant.objects.create(code="Quince-731", created_by=peer)
    checkin = CheckIn.objects.create(peer=peer, participant=participant, method=ContactMethod.objects.first(),
                                     note=f"Talked about {marker}.")
    sign_in(page, "peer")
    wait_for_copy(page)
    for url in (checkin.get_absolute_url(), f"/participants/{participant.pk}/", "/checkins/", "/follow-ups/",
                "/feedback/", "/checkins/new/"):
        page.goto(url)
    assert page.get_by_role("heading", name="New check-in").is_visible()
    stores = page.evaluate(READ_EVERY_STORE)
    assert stores["caches"], "the copy is in Cache Storage"
    for entry in stores["caches"]:
        assert marker not in entry["body"] and "Quince-731" not in entry["body"], entry["url"]
        path = re.sub(r"^https?://[^/]+", "", entry["url"])
        assert not re.match(r"/(checkins/(?!new/$)|participants/|review/|dashboard/|follow-ups/|feedback/)", path)

    names = page.evaluate(CACHE_NAMES)
    assert any(name.startswith(f"pc-user-{peer.pk}-") for name in names)
    sign_out(page)
    page.wait_for_url("**/login/")
    names = wait_for(page, CACHE_NAMES, lambda names: not any(n.startswith("pc-user-") for n in names))
    # The shell stays (it carries nobody's data): the offline page still opens.
    assert any(name.startswith("pc-shell-") for name in names)
    page.context.set_offline(True)
    page.goto("/library/")
    assert page.get_by_role("heading", name="No signal right now").is_visible()
    page.context.set_offline(False)


def test_a_new_release_replaces_the_cached_copy(page, peer, everything, monkeypatch):
    sign_in(page, "peer")
    wait_for_copy(page)
    old = app_shell.worker_version()
    assert set(page.evaluate(CACHE_NAMES)) >= {f"pc-shell-{old}", f"pc-user-{peer.pk}-{old}"}

    monkeypatch.setattr(app_shell, "worker_version", lambda: "next-release")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    names = wait_for(page, CACHE_NAMES, lambda names: "pc-shell-next-release" in names and not any(
        n.endswith(old) for n in names))
    assert not any(old in name for name in names)
    page.reload()
    wait_for(page, CACHE_NAMES, lambda names: f"pc-user-{peer.pk}-next-release" in names)
    assert wait_for_copy(page)["version"] == "next-release"


def test_a_checkin_opened_without_signal_is_typed_sealed_and_sent(tablet, peer, everything):  # noqa: F811
    """The form opened from the tablet's copy: a typed code, the coach off, a referral found in
    the directory's copy; sealed on Save, and saved once the signal is back."""
    from resources.models import Service

    page = tablet
    Participant.objects.create(code="Juniper-55", created_by=peer)
    sign_in(page, "peer")
    wait_for_copy(page)
    page.context.set_offline(True)
    page.goto("/checkins/new/")
    page.get_by_label("Street outreach").click()
    # The kept form knows no codes (none are kept on the tablet): taken as typed, checked when sent.
    assert page.locator("#known-participants option").count() == 0
    page.get_by_label("Participant code").fill("Juniper-55")
    page.get_by_label("Note").fill("Talked about the addict in the camp.")
    page.get_by_text("The language coach is off without signal").first.wait_for(timeout=WAIT * 1000)

    page.get_by_label("Find a service to refer to").fill("syringes")
    page.get_by_text("searching the directory's copy kept on this tablet").wait_for(timeout=WAIT * 1000)
    page.get_by_role("button", name="Add Division Street Syringe Exchange").click()
    row = page.locator("#referral-rows .referral-row")
    assert row.count() == 1
    assert row.get_by_role("link").inner_text() == "Division Street Syringe Exchange"
    assert row.get_by_label("Where the referral to Division Street Syringe Exchange stands").input_value() == "offered"
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("This check-in is locked on this tablet").wait_for(timeout=WAIT * 1000)
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)
    page.locator("#offline-queue[data-synced][hidden]").wait_for(state="attached", timeout=WAIT * 1000)
    checkin = CheckIn.objects.get()
    assert checkin.peer == peer and "camp" in checkin.note and checkin.participant.code == "Juniper-55"
    exchange = Service.objects.get(name="Division Street Syringe Exchange")
    assert [r.service for r in checkin.referrals.all()] == [exchange]


def test_it_keeps_only_the_shell_for_a_visitor_who_has_not_signed_in(page, everything):
    page.goto("/login/")
    names = wait_for(page, CACHE_NAMES, lambda names: any(n.startswith("pc-shell-") for n in names))
    assert not any(name.startswith("pc-user-") for name in names)
    urls = wait_for(page, """async () => {
      const cache = await caches.open((await caches.keys()).find(n => n.startsWith('pc-shell-')));
      return (await cache.keys()).map(r => new URL(r.url).pathname);
    }""", lambda urls: "/offline/" in urls)
    assert all(url.startswith("/static/") or url in ("/offline/", "/manifest.webmanifest") for url in urls), urls
    # The offline page was fetched without cookies: nobody's name, no token in it.
    body = page.evaluate("async () => (await caches.match('/offline/')).text()")
    assert "csrfmiddlewaretoken" not in body and "Sign out" not in body
