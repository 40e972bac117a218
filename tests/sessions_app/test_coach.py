"""The language coach: gentle suggestions while typing, never a block, nothing stored."""

import pytest
from django.urls import reverse

from sessions_app.models import CheckIn
from tests.sessions_app.conftest import form_data

COACH = reverse("sessions_app:checkin_coach")


@pytest.mark.parametrize("text,suggestion", [
    ("He is an addict and wants help.", "person who uses drugs"),
    ("She relapsed last week.", "return to use"),
    ("Met two junkies by the river.", "person who uses drugs"),
])
def test_it_suggests_person_first_words(client, peer, text, suggestion):
    client.force_login(peer)
    response = client.post(COACH, {"coach_field": "note", "note": text}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="coach-note"' in body and "<html" not in body
    assert suggestion in body
    assert 'name="language_hints_shown" value="1"' in body


@pytest.mark.parametrize("text", [
    "Changed the user name on their phone.",
    "Talked about the habitat restoration job.",
    "Handed out clean syringes and a sharps container.",
    "Asked about MAT at the clinic.",
])
def test_it_stays_quiet_when_nothing_needs_a_second_look(client, peer, text):
    client.force_login(peer)
    body = client.post(COACH, {"coach_field": "goals", "goals": text}).content.decode()
    assert 'id="coach-goals"' in body
    assert "<li>" not in body and "language_hints_shown" not in body


def test_it_only_reads_the_coached_fields(client, peer):
    client.force_login(peer)
    assert client.post(COACH, {"coach_field": "participant_code", "participant_code": "addict"}).status_code == 400


def test_it_never_blocks_saving_and_stores_only_a_flag(client, peer, outreach):
    client.force_login(peer)
    text = "They said the addict label follows them everywhere."
    data = form_data(outreach, note=text, language_hints_shown="1")
    response = client.post(reverse("sessions_app:checkin_new"), data)
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.note == text  # saved exactly as typed: a hint, never a rewrite
    assert checkin.language_hints_shown is True
    assert "person who uses drugs" not in str(CheckIn.objects.values().get())
