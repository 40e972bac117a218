"""Check-ins saved without signal arrive sealed (issue 11, items 5, 7 and 8).

`seal()` below builds what static/js/offline-queue.js sends; the browser tests
(tests/browser/test_offline_queue.py) prove the two agree.
"""

import base64
import gzip
import json
import os
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.test import Client
from django.urls import reverse

from harmreduction.app_shell import OFFLINE_SCRIPTS
from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, Draft, Participant, ReturnedCheckIn
from sessions_app.sealed import OAEP, SEALED_MAX_BYTES, _key_from_pem, current_key
from tests.sessions_app.conftest import form_data

URL = reverse("sessions_app:checkin_offline")


def seal(fields: dict | list, author: int, pem: str | None = None, kid: str | None = None, **payload_extra) -> dict:
    """A sealed check-in as the browser makes it: AES-256-GCM, the key wrapped with RSA-OAEP-256."""
    key = _key_from_pem(pem.encode()) if pem else current_key()
    kid = kid or key.kid
    pairs = list(fields.items()) if isinstance(fields, dict) else fields
    plain = json.dumps({"v": 1, "author": author, "captured_at": "2026-11-20T22:31:00.000Z",
                        "fields": [[k, v] for k, v in pairs], **payload_extra}).encode()
    aes_key, iv = AESGCM.generate_key(bit_length=256), os.urandom(12)
    return {
        "v": 1, "kid": kid,
        "key": base64.b64encode(key.private.public_key().encrypt(aes_key, OAEP)).decode(),
        "iv": base64.b64encode(iv).decode(),
        "data": base64.b64encode(AESGCM(aes_key).encrypt(iv, plain, kid.encode())).decode(),
    }


def send(client, envelope):
    body = envelope if isinstance(envelope, bytes | str) else json.dumps(envelope)
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def signed_in(client, peer):
    client.force_login(peer)
    return client


def test_it_saves_a_sealed_checkin_like_an_online_save(signed_in, peer, outreach, naloxone):
    data = form_data(outreach, note="Offline: warm socks.", **{f"supply_{naloxone.pk}": "3"})
    response = send(signed_in, seal(data, peer.pk))
    checkin = CheckIn.objects.get()
    assert response.status_code == 201
    assert response.json() == {"status": "saved", "url": checkin.get_absolute_url()}
    assert checkin.peer == peer and str(checkin.key) == data["key"] and checkin.note == "Offline: warm socks."
    assert [(s.item, s.count) for s in checkin.supplies.all()] == [(naloxone, 3)]
    assert AuditEvent.objects.filter(action="create", object_id=str(checkin.pk), user=peer).exists()


def test_it_saves_once_when_the_same_sealed_checkin_comes_twice(signed_in, peer, outreach):
    envelope = seal(form_data(outreach, note="Sent, answer lost, sent again."), peer.pk)
    first, second = send(signed_in, envelope), send(signed_in, envelope)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"status": "already saved", "url": CheckIn.objects.get().get_absolute_url()}


def test_it_meets_the_online_save_of_the_same_form(signed_in, peer, outreach):
    # The save reached the server but its answer did not reach the tablet, which sealed it.
    data = form_data(outreach, note="Saved, then sealed.")
    signed_in.post(reverse("sessions_app:checkin_new"), data)
    response = send(signed_in, seal(data, peer.pk))
    assert response.status_code == 200 and response.json()["status"] == "already saved"
    assert CheckIn.objects.count() == 1


def test_it_drops_the_draft_autosaved_from_the_same_form(signed_in, peer, outreach):
    data = form_data(outreach, note="Typed with signal, saved without.")
    Draft.objects.create(user=peer, data={"key": [data["key"]], "note": ["Typed with signal"]})
    send(signed_in, seal(data, peer.pk))
    assert not Draft.objects.exists()


def test_it_keeps_a_draft_of_another_checkin(signed_in, peer, outreach):
    Draft.objects.create(user=peer, data={"key": [str(uuid.uuid4())], "note": ["The next one"]})
    send(signed_in, seal(form_data(outreach), peer.pk))
    assert Draft.objects.count() == 1


def test_it_returns_a_mistyped_participant_code_to_its_author(signed_in, peer, outreach, cedar):
    data = form_data(outreach, participant_code="Cedar-110", note="Code typed without signal.")
    response = send(signed_in, seal(data, peer.pk))
    returned = ReturnedCheckIn.objects.get()
    assert response.status_code == 200
    assert response.json() == {"status": "returned", "url": returned.get_absolute_url()}
    assert not CheckIn.objects.exists()
    assert returned.user == peer and str(returned.sealed_key) == data["key"]
    assert returned.data["note"] == ["Code typed without signal."]
    assert AuditEvent.objects.filter(action="returned to author", object_id=str(returned.pk)).exists()
    # Sent again (the answer was lost): still one to fix.
    assert send(signed_in, seal(data, peer.pk)).json()["status"] == "returned"
    assert ReturnedCheckIn.objects.count() == 1


def test_it_accepts_a_typed_code_that_exists(signed_in, peer, outreach, cedar):
    send(signed_in, seal(form_data(outreach, participant_code="cedar-101"), peer.pk))
    assert CheckIn.objects.get().participant == cedar


def test_it_returns_other_content_under_a_saved_key(signed_in, peer, outreach):
    data = form_data(outreach, note="The first one.")
    signed_in.post(reverse("sessions_app:checkin_new"), data)
    response = send(signed_in, seal({**data, "note": "Another one, same form."}, peer.pk))
    assert response.json()["status"] == "returned"
    assert CheckIn.objects.get().note == "The first one."
    assert ReturnedCheckIn.objects.get().data["note"] == ["Another one, same form."]


@pytest.mark.parametrize("damage", ["data", "key", "iv"])
def test_it_refuses_a_tampered_checkin(signed_in, peer, outreach, damage):
    envelope = seal(form_data(outreach), peer.pk)
    raw = bytearray(base64.b64decode(envelope[damage]))
    raw[len(raw) // 2] ^= 1
    envelope[damage] = base64.b64encode(bytes(raw)).decode()
    response = send(signed_in, envelope)
    assert response.status_code == 400 and response.json()["status"] == "refused"
    assert not CheckIn.objects.exists() and not ReturnedCheckIn.objects.exists()
    assert AuditEvent.objects.filter(action="offline check-in refused", user=peer).exists()


def test_it_refuses_a_truncated_checkin(signed_in, peer, outreach):
    envelope = seal(form_data(outreach), peer.pk)
    envelope["data"] = envelope["data"][: len(envelope["data"]) // 2 // 4 * 4]
    assert send(signed_in, envelope).status_code == 400
    assert send(signed_in, json.dumps(seal(form_data(outreach), peer.pk))[:200]).status_code == 400
    assert not CheckIn.objects.exists()


def test_it_refuses_a_key_it_does_not_hold(signed_in, peer, outreach, offline_pems):
    # Sealed to a key this server never had, under its own id or under ours.
    foreign = offline_pems[1]
    assert send(signed_in, seal(form_data(outreach), peer.pk, pem=foreign)).status_code == 400
    assert send(signed_in, seal(form_data(outreach), peer.pk, pem=foreign, kid=current_key().kid)).status_code == 400
    assert not CheckIn.objects.exists()


def test_it_opens_a_checkin_sealed_to_the_previous_key_during_a_rotation(signed_in, peer, outreach, settings,
                                                                         offline_pems):
    old_key = offline_pems[0]
    settings.OFFLINE_PRIVATE_KEYS = [offline_pems[1], old_key]
    assert current_key().kid == _key_from_pem(offline_pems[1].encode()).kid
    assert send(signed_in, seal(form_data(outreach), peer.pk, pem=old_key)).status_code == 201


def test_it_refuses_another_persons_checkin(signed_in, peer, peer2, outreach):
    response = send(signed_in, seal(form_data(outreach), peer2.pk))
    assert response.status_code == 403
    assert not CheckIn.objects.exists() and not ReturnedCheckIn.objects.exists()
    assert AuditEvent.objects.filter(action="refused", user=peer).exists()


def test_it_refuses_an_author_that_is_not_a_number(signed_in, peer, outreach):
    assert send(signed_in, seal(form_data(outreach), True)).status_code == 400


def test_it_refuses_what_is_too_large(signed_in, peer, outreach):
    assert send(signed_in, b"x" * (SEALED_MAX_BYTES + 1)).status_code == 413
    # Sealed, small enough, but more fields than a check-in holds.
    many = [("topics", "health")] * 101 + list(form_data(outreach).items())
    assert send(signed_in, seal(many, peer.pk)).status_code == 413
    assert not CheckIn.objects.exists() and not ReturnedCheckIn.objects.exists()


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"v": 2}', b'{"v": 1, "kid": "x"}'])
def test_it_refuses_what_is_not_a_sealed_checkin(signed_in, body):
    response = send(signed_in, body)
    assert response.status_code == 400 and "message" in response.json()


def test_it_refuses_a_sealed_checkin_without_a_key(signed_in, peer, outreach):
    data = form_data(outreach)
    del data["key"]
    assert send(signed_in, seal(data, peer.pk)).status_code == 400


def test_it_slows_down_a_flood(signed_in, peer, outreach, settings):
    settings.OFFLINE_SYNC_LIMIT = 2
    statuses = [send(signed_in, seal(form_data(outreach), peer.pk)).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert CheckIn.objects.count() == 2


def test_it_bounds_how_many_wait_to_be_fixed(signed_in, peer, outreach, settings):
    settings.OFFLINE_RETURNED_MAX = 1
    bad = [seal(form_data(outreach, participant_code="Nobody-000"), peer.pk) for _ in range(2)]
    assert [send(signed_in, b).status_code for b in bad] == [200, 429]
    assert ReturnedCheckIn.objects.count() == 1


def test_it_is_post_only(signed_in):
    assert signed_in.get(URL).status_code == 405


def test_it_is_for_those_who_write_checkins(client, content_admin, peer, outreach):
    client.force_login(content_admin)
    assert send(client, seal(form_data(outreach), content_admin.pk)).status_code == 403


def test_it_needs_the_csrf_token(peer, outreach):
    client = Client(enforce_csrf_checks=True)
    client.force_login(peer)
    assert send(client, seal(form_data(outreach), peer.pk)).status_code == 403


# The returned check-in, opened by its author to fix.


@pytest.fixture
def returned(signed_in, peer, outreach, cedar):
    send(signed_in, seal(form_data(outreach, participant_code="Cedar-110", note="Fix my code."), peer.pk))
    return ReturnedCheckIn.objects.get()


def test_it_lists_returned_checkins_on_the_new_checkin_form(signed_in, returned):
    response = signed_in.get(reverse("sessions_app:checkin_new"))
    assert "1 check-in you saved without signal needs another look" in response.content.decode()
    assert returned.get_absolute_url() in response.content.decode()


def test_it_shows_a_returned_checkin_with_what_to_fix(signed_in, returned):
    response = signed_in.get(returned.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fix my code." in page and 'value="Cedar-110"' in page
    assert "No participant has that code" in page
    # Its own key, and no autosave: the draft in progress (if any) stays as it is.
    assert f'value="{returned.key}"' in page and reverse("sessions_app:checkin_draft") not in page
    assert AuditEvent.objects.filter(action="view", object_id=str(returned.pk)).exists()


def test_it_saves_a_fixed_checkin_once(signed_in, peer, returned, outreach):
    data = form_data(outreach, participant_code="Cedar-101", note="Fix my code.", key=str(returned.key))
    first = signed_in.post(returned.get_absolute_url(), data)
    second = signed_in.post(returned.get_absolute_url(), data)
    checkin = CheckIn.objects.get()
    assert first["Location"] == second["Location"] == checkin.get_absolute_url()
    assert checkin.key == returned.key and checkin.participant.code == "Cedar-101"
    returned.refresh_from_db()
    assert returned.checkin == checkin and returned.data == {}
    assert not ReturnedCheckIn.objects.waiting_for(peer).exists()
    # The sealed one sent again later (its answer was lost) stays fixed.
    assert send(signed_in, seal(form_data(outreach, key=str(returned.sealed_key)), peer.pk)).json()["status"] == \
        "returned"
    assert CheckIn.objects.count() == 1 and ReturnedCheckIn.objects.count() == 1


def test_it_keeps_a_returned_checkin_that_still_needs_work(signed_in, returned, outreach):
    response = signed_in.post(returned.get_absolute_url(), form_data(outreach, participant_code="Cedar-111"))
    assert response.status_code == 200 and "No participant has that code" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_shows_a_returned_checkin_to_its_author_only(client, peer2, returned):
    client.force_login(peer2)
    assert client.get(returned.get_absolute_url()).status_code == 404


# Where the form's script goes after a save.


def test_it_goes_to_the_checkin_saved_under_a_key(signed_in, peer, checkin):
    response = signed_in.get(reverse("sessions_app:checkin_saved", args=[checkin.key]))
    assert response.status_code == 302 and response["Location"] == checkin.get_absolute_url()


def test_it_goes_back_to_the_form_when_nothing_was_saved(client, peer2, checkin):
    client.force_login(peer2)
    response = client.get(reverse("sessions_app:checkin_saved", args=[checkin.key]))
    assert response["Location"] == reverse("sessions_app:checkin_new")


def test_it_hands_the_form_the_public_key_only(signed_in):
    page = signed_in.get(reverse("sessions_app:checkin_new")).content.decode()
    assert f'data-offline-key="{current_key().spki}"' in page and f'data-offline-kid="{current_key().kid}"' in page
    assert "PRIVATE" not in page


def test_it_offers_no_offline_save_without_a_key(signed_in, settings):
    settings.OFFLINE_PRIVATE_KEYS = []
    assert "data-offline-key" not in signed_in.get(reverse("sessions_app:checkin_new")).content.decode()


def test_it_makes_a_development_key_on_first_use(settings, tmp_path):
    settings.OFFLINE_PRIVATE_KEYS = []
    settings.OFFLINE_DEV_KEY_FILE = tmp_path / "key.pem"
    first = current_key()
    assert (tmp_path / "key.pem").stat().st_mode & 0o777 == 0o600
    assert current_key().kid == first.kid


def test_it_has_a_participant_for_a_new_code_made_offline(signed_in, peer, outreach):
    send(signed_in, seal(form_data(outreach, new_participant="on", participant_code="Fern-555"), peer.pk))
    assert Participant.objects.get().code == "Fern-555" and CheckIn.objects.get().participant.code == "Fern-555"


def test_it_keeps_the_scripts_within_their_budget():
    # Page scripts at most 25 KB compressed in all; the worker and the offline scripts
    # (the queue among them) counted apart, at most 12 KB together.
    static = settings.BASE_DIR / "static"
    size = {str(path.relative_to(static)): len(gzip.compress(path.read_bytes(), 9)) for path in static.glob("*/*.js")}
    offline = {name: size.pop(name) for name in OFFLINE_SCRIPTS}
    assert sum(offline.values()) <= 12 * 1024, offline
    assert sum(size.values()) <= 25 * 1024, size
