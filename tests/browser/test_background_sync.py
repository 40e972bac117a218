"""Background Sync: the service worker sends the sealed check-ins (issue 11, item 5; docs/offline.md).

A check-in is sealed without signal, then every page of the site is closed, so
no page can send it. The signal comes back and the browser wakes the worker
with a `sync` event, fired here through the DevTools protocol
(`ServiceWorker.dispatchSyncEvent`), as Chromium does on its own when it sees
the network back.
"""

import time
import uuid

from harmreduction import app_shell
from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn
from tests.browser.conftest import sign_in
from tests.browser.test_app_offline import wait_for_copy
from tests.browser.test_checkin import choice_lists  # noqa: F401 (fixture)
from tests.browser.test_offline_queue import (
    fill_checkin,
    save_without_signal,
    tablet,  # noqa: F401 (fixture)
    wait_until_sent,
)
from tests.sessions_app.test_checkin_offline import seal

WAIT = 60  # s: a shared, slow machine

QUEUE = """([db, name]) => new Promise((ok, fail) => {
  const open = indexedDB.open(db, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(name, {keyPath: 'key'});
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction(name).objectStore(name).getAll();
    request.onsuccess = () => { open.result.close(); ok(request.result); };
    request.onerror = () => fail(request.error);
  };
})"""


def eventually(check, what, page):
    """Until check() holds; the waits go through Playwright, which delivers its events meanwhile."""
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"waited {WAIT} s for {what}"
        page.wait_for_timeout(200)


def worker_ready(page):
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def fire_sync(context, origin):
    """The browser's `sync` event for "send-checkins", with no page of the site open."""
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    eventually(lambda: any(not r["isDeleted"] for r in registrations), "the worker's registration", blank)
    [registration] = {r["registrationId"] for r in registrations if not r["isDeleted"]}
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": origin, "registrationId": registration, "tag": "send-checkins", "lastChance": False,
    })
    return blank


PUT = """([item, db, name]) => new Promise((ok, fail) => {
  const open = indexedDB.open(db, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(name, {keyPath: 'key'});
  open.onsuccess = () => {
    const tx = open.result.transaction(name, 'readwrite');
    tx.objectStore(name).put(item);
    tx.oncomplete = () => { open.result.close(); ok(); };
    tx.onerror = () => fail(tx.error);
  };
})"""


def queued(context):
    """The sealed check-ins, read by the worker itself (no page of the site is open)."""
    return context.service_workers[0].evaluate(QUEUE, [app_shell.QUEUE_DB, app_shell.QUEUE_STORE])


def queued_users(context):
    return [item["user"] for item in queued(context)]


def put(context, item):
    context.service_workers[0].evaluate(PUT, [item, app_shell.QUEUE_DB, app_shell.QUEUE_STORE])


def test_the_worker_sends_a_checkin_sealed_without_signal_after_the_page_is_closed(tablet, peer,  # noqa: F811
                                                                                   choice_lists, live_server):  # noqa: F811
    page, context = tablet, tablet.context
    marker = f"marker-{uuid.uuid4().hex}"
    sign_in_and_wait(page, "peer")
    wait_for_copy(page)
    fill_checkin(page, f"Talked about {marker} under the bridge.")
    save_without_signal(page)
    assert page.evaluate("() => navigator.serviceWorker.ready.then(r => r.sync.getTags())") == ["send-checkins"]
    page.close()  # no page can send it now
    [item] = queued(context)
    assert not CheckIn.objects.exists()
    context.set_offline(False)

    blank = fire_sync(context, live_server.url)
    eventually(lambda: CheckIn.objects.exists(), "the check-in to be saved", blank)
    eventually(lambda: queued_users(context) == [], "the queue to be empty", blank)
    checkin = CheckIn.objects.get()
    assert checkin.peer == peer and marker in checkin.note
    # The token the worker asked for is not kept with the copy's list.
    kept = context.service_workers[0].evaluate("() => caches.match('/offline/copy.json').then(hit => hit.json())")
    assert kept["user"] == peer.pk and "csrf" not in kept

    # Page and worker sent the same item at once: the later post is "already saved" and
    # drops it too, worker or page, without a second check-in.
    put(context, item)
    fire_sync(context, live_server.url)
    eventually(lambda: queued(context) == [], "the worker to drop the item already saved", blank)
    put(context, item)
    page = context.new_page()
    page.goto("/checkins/")
    wait_until_sent(page)
    assert CheckIn.objects.count() == 1
    assert not AuditEvent.objects.filter(action__icontains="refused").exists()


def test_the_worker_never_sends_another_persons_checkin(tablet, peer, peer2,  # noqa: F811
                                                        choice_lists, live_server):  # noqa: F811
    page, context = tablet, tablet.context
    sign_in_and_wait(page, "peer2")
    # Jordan's check-in, sealed on this tablet before Sam signed in (sealed as the page seals it).
    jordans = str(uuid.uuid4())
    envelope = seal({"key": jordans, "note": "Jordan's check-in."}, author=peer.pk)
    put(context, {"key": jordans, "user": str(peer.pk), "sealed": envelope, "queued_at": "2026-12-01T22:00:00Z"})
    fill_checkin(page, "Sam's check-in, saved in a dead zone.")
    save_without_signal(page)
    page.close()
    assert sorted(queued_users(context)) == sorted([str(peer.pk), str(peer2.pk)])
    context.set_offline(False)

    blank = fire_sync(context, live_server.url)
    # Sam's goes; Jordan's stays on the tablet for Jordan, never sent from Sam's session
    # (the server would refuse it and audit the refusal).
    eventually(lambda: queued_users(context) == [str(peer.pk)], "Sam's check-in to leave the queue", blank)
    [checkin] = CheckIn.objects.all()
    assert checkin.peer == peer2 and "Sam's check-in" in checkin.note
    assert not AuditEvent.objects.filter(action__icontains="refused").exists()


def sign_in_and_wait(page, username):
    sign_in(page, username)
    worker_ready(page)
