"""The installable app, seen from the server (docs/offline.md): the worker, the
manifest, the offline page, and which pages each person may keep on a tablet."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from harmreduction import app_shell
from resources.models import Card
from sessions_app.models import CheckIn, ContactMethod, Draft, Participant


@pytest.fixture
def cast(peer, supervisor, content_admin):
    return {"peer": peer, "supervisor": supervisor, "content_admin": content_admin}


def test_it_serves_the_worker_from_the_root_with_its_version(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    version = app_shell.worker_version()
    assert f'var VERSION = "{version}";' in body
    assert "__" not in body  # every placeholder written in
    assert json.dumps(reverse("offline")) in body
    assert "/static/css/app.css" in body


def test_it_changes_the_version_with_a_release(settings):
    settings.DEBUG = True
    before = app_shell.worker_version()
    settings.RELEASE = "2027.1"
    assert app_shell.worker_version() != before


def test_it_allows_workers_and_the_manifest_from_this_site_only(client, db):
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_it_serves_a_manifest_with_png_icons(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL).lstrip("/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            with open(path, "rb") as file:
                header = file.read(24)
            size = int(icon["sizes"].split("x")[0])
            assert header[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(header[16:20]) == size and int.from_bytes(header[20:24]) == size


def test_it_links_the_manifest_and_worker_on_every_page(client, peer):
    anonymous = client.get("/login/").content.decode()
    assert 'rel="manifest"' in anonymous and 'data-worker="/sw.js"' in anonymous
    assert "data-copy=" not in anonymous  # nothing kept for a visitor who has not signed in
    client.force_login(peer)
    page = client.get("/library/").content.decode()
    assert f'data-copy="/offline/copy.json" data-user="{peer.pk}"' in page


def test_it_shows_the_offline_page_without_anyones_name(client, peer):
    client.force_login(peer)
    response = client.get("/offline/")
    assert "No signal right now" in response.content.decode()
    # The worker fetches it without cookies; even when signed in nothing personal is in it
    # beyond the usual top bar, and it never tells the worker someone signed out.
    assert "js/app.js" not in response.content.decode()


def test_the_worker_reads_the_queue_where_the_page_keeps_it(client, db):
    """Background Sync: the worker opens the page's IndexedDB store and posts to the sync URL."""
    body = client.get("/sw.js").content.decode()
    assert f'var QUEUE_DB = "{app_shell.QUEUE_DB}", QUEUE_STORE = "{app_shell.QUEUE_STORE}", ' \
           'SYNC_URL = "/checkins/offline/";' in body
    page_script = (settings.BASE_DIR / "static/js/offline-queue.js").read_text()
    assert f'indexedDB.open("{app_shell.QUEUE_DB}", 1)' in page_script
    assert f'var STORE = "{app_shell.QUEUE_STORE}";' in page_script
    assert 'sync.register("send-checkins")' in page_script and 'event.tag === "send-checkins"' in body


def test_it_gives_the_worker_a_csrf_token_with_the_list_never_to_keep(client, peer):
    client.force_login(peer)
    response = client.get("/offline/copy.json")
    assert "no-store" in response["Cache-Control"]
    token = response.json()["csrf"]
    # The token the worker posts with passes the sync URL's CSRF check (then: not a sealed check-in).
    client.handler.enforce_csrf_checks = True
    def post(token):
        return client.post("/checkins/offline/", "{}", content_type="application/json", headers={"X-CSRFToken": token})

    assert post(token).status_code == 400 and post("x" * 64).status_code == 403


@pytest.mark.parametrize("role", ["peer", "supervisor", "content_admin"])
def test_it_lists_only_pages_each_role_may_open(client, cast, role):
    user = cast[role]
    client.force_login(user)
    listed = client.get("/offline/copy.json").json()
    assert listed["user"] == user.pk and listed["version"] == app_shell.worker_version()
    urls = listed["urls"]
    assert urls, role
    for url in urls:
        response = client.get(url, headers={"X-Offline-Copy": "1"})
        assert response.status_code == 200, (role, url)
        assert response["X-Offline-Copy"] == "1", (role, url)
    assert ("/checkins/new/" in urls) == user.has_perm("sessions_app.add_checkin")
    assert "/checkins/new/" not in urls or role != "content_admin"
    showable = Card.objects.showable()
    assert showable.exists()
    for card in Card.objects.all():
        assert f"/library/{card.slug}/" in urls
        assert (f"/library/{card.slug}/show/" in urls) == showable.filter(pk=card.pk).exists()
    for private in ("/checkins/", "/participants/", "/review/", "/dashboard/", "/follow-ups/", "/feedback/"):
        assert not any(url.startswith(private) and url != "/checkins/new/" for url in urls)


def test_it_marks_a_page_fit_to_keep_only_when_the_worker_asks(client, peer):
    client.force_login(peer)
    assert "X-Offline-Copy" not in client.get("/library/")
    assert client.get("/library/", headers={"X-Offline-Copy": "1"})["X-Offline-Copy"] == "1"
    # Pages with participant data never say so, even when asked.
    participant = Participant.objects.create(code="Cedar-101", created_by=peer)
    checkin = CheckIn.objects.create(peer=peer, participant=participant, method=ContactMethod.objects.first(),
                                     note="A note.")
    for url in (checkin.get_absolute_url(), "/checkins/", "/follow-ups/", "/feedback/",
                f"/participants/{participant.pk}/"):
        response = client.get(url, headers={"X-Offline-Copy": "1"})
        assert "X-Offline-Copy" not in response, url
        assert "no-store" in response["Cache-Control"], url


def test_it_keeps_a_blank_check_in_form_without_codes_or_drafts(client, peer):
    participant = Participant.objects.create(code="Cedar-101", created_by=peer)
    CheckIn.objects.create(peer=peer, participant=participant, method=ContactMethod.objects.first(), note="A note.")
    Draft.objects.create(user=peer, data={"note": ["Half a sentence about Cedar"]})
    client.force_login(peer)
    online = client.get("/checkins/new/").content.decode()
    assert "Cedar-101" in online and "Half a sentence" in online
    kept = client.get("/checkins/new/", headers={"X-Offline-Copy": "1"})
    body = kept.content.decode()
    assert kept["X-Offline-Copy"] == "1"
    assert "Cedar-101" not in body and "Half a sentence" not in body
    assert "data-fresh-key" in body and "data-offline-key" in body
    assert "We brought back" not in body
    # The draft is still there for the person's own next visit.
    assert "We brought back" in client.get("/checkins/new/").content.decode()


def test_it_asks_the_browser_to_drop_cached_pages_at_sign_out(client, peer):
    client.force_login(peer)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'


def test_it_keeps_no_session_clock_in_a_kept_copy(client, peer):
    # Opened later without signal, session.js would count down from the copy's moment and
    # reload the page at that deadline, throwing away a check-in being typed.
    client.force_login(peer)
    online = client.get("/checkins/new/").content.decode()
    assert "data-session-idle-timeout" in online and 'id="session-warning"' in online
    kept = client.get("/checkins/new/", headers={"X-Offline-Copy": "1"}).content.decode()
    assert "data-session-idle-timeout" not in kept and 'id="session-warning"' not in kept
