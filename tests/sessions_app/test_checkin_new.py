import pytest
from django.db import OperationalError
from django.urls import reverse

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, Draft, Participant
from tests.conftest import PASSWORD
from tests.sessions_app.conftest import form_data

URL = reverse("sessions_app:checkin_new")


def test_it_shows_the_form_with_a_fresh_key(client, peer):
    client.force_login(peer)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'name="key"' in response.content
    assert b"Naloxone kits" in response.content
    assert b"Street outreach" in response.content


def test_it_saves_an_anonymous_checkin_with_one_supply(client, peer, outreach, naloxone):
    client.force_login(peer)
    response = client.post(URL, form_data(outreach, **{f"supply_{naloxone.pk}": "2"}))
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"] == checkin.get_absolute_url()
    assert checkin.peer == peer and checkin.participant is None
    assert [(s.item, s.count) for s in checkin.supplies.all()] == [(naloxone, 2)]
    assert AuditEvent.objects.filter(action="create", object_id=str(checkin.pk)).exists()


def test_it_makes_a_code_for_a_new_participant(client, peer, outreach):
    client.force_login(peer)
    client.post(URL, form_data(outreach, new_participant="on", preferred_name="Dee", note="First time meeting."))
    participant = Participant.objects.get()
    assert participant.preferred_name == "Dee" and participant.created_by == peer
    assert "-" in participant.code and len(participant.code) <= 20
    assert CheckIn.objects.get().participant == participant


def test_it_finds_a_participant_by_code_in_any_case(client, peer, outreach, cedar):
    client.force_login(peer)
    client.post(URL, form_data(outreach, participant_code="cedar-101"))
    assert CheckIn.objects.get().participant == cedar


def test_it_saves_once_when_submitted_twice(client, peer, outreach):
    client.force_login(peer)
    data = form_data(outreach, note="Double tap.")
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert CheckIn.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_it_stores_nothing_when_the_audit_line_cannot_be_written(client, peer, outreach, monkeypatch):
    # The database going away between the check-in and its audit line (a restart under load):
    # the peer sees an error, nothing is half-stored, and the retry with the same key saves both.
    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.force_login(peer)
    data = form_data(outreach, note="Saved on the second try.")
    monkeypatch.setattr(AuditEvent, "record", database_gone)
    with pytest.raises(OperationalError):
        client.post(URL, data)
    assert not CheckIn.objects.exists()

    monkeypatch.undo()
    client.post(URL, data)
    checkin = CheckIn.objects.get()
    assert AuditEvent.objects.filter(action="create", object_id=str(checkin.pk)).count() == 1


def test_it_keeps_everything_typed_when_something_is_wrong(client, peer, outreach, naloxone):
    client.force_login(peer)
    data = form_data(outreach, participant_code="Nobody-999", note="A long note I do not want to lose.",
                     goals="Get a ride Tuesday", **{f"supply_{naloxone.pk}": "3"})
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No participant has that code" in body
    assert "A long note I do not want to lose." in body
    assert "Get a ride Tuesday" in body
    assert 'value="Nobody-999"' in body and f'name="supply_{naloxone.pk}" value="3"' in body
    assert f'value="{data["key"]}"' in body
    assert CheckIn.objects.count() == 0


def test_it_requires_how_we_met(client, peer):
    client.force_login(peer)
    response = client.post(URL, {"key": "not-a-uuid", "happened_at": "2026-11-20T14:30", "note": "hi"})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert CheckIn.objects.count() == 0


def test_it_is_for_people_who_log_contacts(client, content_admin):
    client.force_login(content_admin)
    assert client.get(URL).status_code == 403


def test_it_keeps_a_draft_and_brings_it_back_after_signing_in_again(client, peer, outreach):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="Half-typed thought"),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="draft-status"' in response.content and b"<html" not in response.content
    # The session runs out; the peer signs in again.
    client.logout()
    client.post(reverse("login"), {"username": "peer", "password": PASSWORD})
    response = client.get(URL)
    assert b"Half-typed thought" in response.content
    assert b"We brought back the check-in you were writing" in response.content
    client.post(URL, form_data(outreach, note="Half-typed thought, finished."))
    assert not Draft.objects.filter(user=peer).exists()


def test_it_discards_a_draft(client, peer, outreach):
    client.force_login(peer)
    client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="Never mind"))
    client.post(reverse("sessions_app:checkin_draft_discard"))
    assert b"Never mind" not in client.get(URL).content


@pytest.mark.parametrize("name", ["checkin_draft", "checkin_draft_discard"])
def test_it_refuses_get_on_changes(client, peer, name):
    client.force_login(peer)
    assert client.get(reverse(f"sessions_app:{name}")).status_code == 405
