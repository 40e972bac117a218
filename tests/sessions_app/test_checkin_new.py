import re

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
    assert "Choose how you met: everything you wrote is still here." in response.content.decode()
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


def test_it_brings_the_draft_back_after_an_idle_sign_out(client, peer, outreach):
    from harmreduction.middleware import LAST_SEEN

    client.force_login(peer)
    client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="Typed before the tablet slept"),
                headers={"HX-Request": "true"})
    session = client.session
    session[LAST_SEEN] -= 20 * 60
    session.save()
    # The tablet wakes up: the session has run out, so sign in again and go back.
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(reverse("login"), {"username": "peer", "password": PASSWORD, "next": URL}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Typed before the tablet slept" in response.content.decode()


# Bad input (issue 7): a clear message, and nothing typed is lost.


def test_it_keeps_an_over_long_note_and_everything_else_as_typed(client, peer, outreach, naloxone, cedar):
    client.force_login(peer)
    note = "They talked about the week. " * 400  # 11,199 characters once stripped: over the 10,000 limit
    data = form_data(outreach, participant_code="Cedar-101", note=note, goals="Find a warm place",
                     follow_up_on="2026-11-27", follow_up_note="Bring socks", topics=["principles"],
                     duration_minutes="25", **{f"supply_{naloxone.pk}": "3"})
    response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"This is {len(note.strip())} characters long; the limit is 10000. Please shorten it" in body
    assert "everything you wrote is still here" in body
    assert note.strip() in body  # the long text itself, to trim
    assert "Find a warm place" in body and 'value="Cedar-101"' in body
    assert 'value="2026-11-27"' in body and 'value="Bring socks"' in body
    assert 'value="25"' in body and f'name="supply_{naloxone.pk}" value="3"' in body
    assert re.search(r'<input type="checkbox" name="topics" value="principles"[^>]* checked', body)
    assert f'value="{data["key"]}"' in body
    assert CheckIn.objects.count() == 0


def test_it_limits_goals(client, peer, outreach):
    client.force_login(peer)
    response = client.post(URL, form_data(outreach, goals="g" * 2001, note="Short."))
    assert b"This is 2001 characters long; the limit is 2000." in response.content
    assert ("g" * 2001).encode() in response.content
    assert CheckIn.objects.count() == 0


def test_it_takes_a_note_at_the_limit(client, peer, outreach):
    client.force_login(peer)
    assert client.post(URL, form_data(outreach, note="n" * 10_000)).status_code == 302
    assert len(CheckIn.objects.get().note) == 10_000


def test_it_refuses_a_nul_character_with_a_message(client, peer, outreach):
    client.force_login(peer)
    response = client.post(URL, form_data(outreach, note="A note\x00 with a NUL.", preferred_name="Dee"))
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "1999-12-31T10:00", "0001-01-01T00:00"])
def test_it_refuses_a_date_no_check_in_can_have(client, peer, outreach, when):
    # The end of 9999 once overflowed turning local time into UTC (a 500 on SQLite).
    client.force_login(peer)
    response = client.post(URL, form_data(outreach, happened_at=when, note="Kept."))
    assert response.status_code == 200
    assert b"A check-in happens between Jan 1, 2000 and today." in response.content
    assert b"Kept." in response.content


def test_it_keeps_a_draft_with_a_nul_character(client, peer, outreach):
    # PostgreSQL's jsonb cannot hold NUL: the autosave was a 500 and lost the draft.
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_draft"), {"note": "typed\x00 so far", "goals\x00": "x"})
    assert response.status_code == 200
    assert Draft.objects.get(user=peer).data["note"] == ["typed so far"]
    assert "typed so far" in client.get(URL).content.decode()


def test_it_refuses_a_draft_that_arrives_after_its_checkin_was_saved(client, peer, outreach):
    # On a slow connection the note's autosave leaves just before Save and lands just after it.
    client.force_login(peer)
    data = form_data(outreach, note="Saved on a slow connection.")
    client.post(URL, data)
    response = client.post(reverse("sessions_app:checkin_draft"), data, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert not Draft.objects.filter(user=peer).exists()
    body = client.get(URL).content.decode()
    assert "Saved on a slow connection." not in body and data["key"] not in body


def test_it_does_not_bring_back_a_draft_whose_checkin_is_saved(client, peer, outreach):
    # The draft was written while the save was still in its transaction (two servers, no order).
    client.force_login(peer)
    data = form_data(outreach, note="Written at the same moment.")
    client.post(URL, data)
    Draft.objects.create(user=peer, data={k: [v] for k, v in data.items()})
    body = client.get(URL).content.decode()
    assert "Written at the same moment." not in body and data["key"] not in body
    assert "We brought back" not in body
    assert not Draft.objects.filter(user=peer).exists()


def test_it_never_calls_other_content_under_a_saved_key_already_saved(client, peer, outreach):
    client.force_login(peer)
    first = form_data(outreach, note="The first person we met.")
    client.post(URL, first)
    stale = dict(first, note="Someone else, typed on a form that kept the old key.")
    response = client.post(URL, stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "already saved" in body and "is different and is not saved yet" in body
    assert "Someone else, typed on a form that kept the old key." in body
    assert CheckIn.objects.count() == 1
    new_key = re.search(r'name="key" value="([^"]+)"', body).group(1)
    assert new_key != first["key"]
    # Save again from the page as shown: a check-in of its own.
    client.post(URL, dict(stale, key=new_key))
    assert sorted(CheckIn.objects.values_list("note", flat=True)) == [
        "Someone else, typed on a form that kept the old key.", "The first person we met."]


def test_it_keeps_no_draft_bigger_than_a_checkin_can_be(client, peer, outreach):
    client.force_login(peer)
    client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="The last draft that fit."))
    response = client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="x" * 2_000_000),
                           headers={"HX-Request": "true"})
    assert response.status_code == 413
    body = response.content.decode()
    assert 'id="draft-status"' in body and "the note is longer than 20,000 characters" in body
    assert Draft.objects.get(user=peer).data["note"] == ["The last draft that fit."]


def test_it_keeps_a_draft_a_little_over_the_note_limit_to_trim_later(client, peer, outreach):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, note="y" * 10_500))
    assert response.status_code == 200
    assert len(Draft.objects.get(user=peer).data["note"][0]) == 10_500


@pytest.mark.parametrize("extra", [
    {f"field_{n}": "1" for n in range(400)},
    {"follow_up_note": "z" * 600},
    {"topics": ["harm-reduction"] * 150},
])
def test_it_bounds_every_field_of_a_draft(client, peer, outreach, extra):
    client.force_login(peer)
    response = client.post(reverse("sessions_app:checkin_draft"), form_data(outreach, **extra))
    assert response.status_code == 413
    assert not Draft.objects.filter(user=peer).exists()
