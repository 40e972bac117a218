"""Participant codes across teams without an oracle (issue 13, items 1 and 5).

A code is known across the organization: a person meets peers of several
teams and gives each the same code. Guessing must stay useless: a code new to
a peer is an audited lookup, limited per hour, with one answer for every code
past the limit; a burst of misses is shown to the peer's supervisor; the name
a person likes to be called stays with the team that added them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.forms import CODE_LOOKUPS_PER_HOUR, TOO_MANY_LOOKUPS, CheckInForm
from sessions_app.models import CheckIn, Participant
from tests.sessions_app.conftest import form_data

URL = reverse("sessions_app:checkin_new")


def test_it_logs_a_checkin_with_another_teams_code_and_audits_the_lookup(client, peer2, outreach, cedar):
    client.force_login(peer2)
    response = client.post(URL, form_data(outreach, participant_code="cedar-101"))
    assert response.status_code == 302
    assert CheckIn.objects.get().participant == cedar
    line = AuditEvent.objects.get(action="code lookup")
    assert line.user == peer2 and line.object_id == str(cedar.pk)


def test_it_does_not_count_codes_the_peer_has_met(client, peer, outreach, cedar):
    client.force_login(peer)
    client.post(URL, form_data(outreach, participant_code="Cedar-101"))
    assert not AuditEvent.objects.filter(action__startswith="code").exists()


def test_it_audits_a_code_not_found_and_keeps_what_was_typed(client, peer2, outreach):
    client.force_login(peer2)
    response = client.post(URL, form_data(outreach, participant_code="Birch-404", note="Kept as typed."))
    body = response.content.decode()
    assert "No participant has that code" in body and "Kept as typed." in body
    line = AuditEvent.objects.get(action="code not found")
    assert line.user == peer2 and line.detail == "Birch-404"


def test_it_answers_alike_for_every_new_code_past_the_limit(client, peer2, outreach, cedar):
    client.force_login(peer2)
    for n in range(CODE_LOOKUPS_PER_HOUR):
        client.post(URL, form_data(outreach, participant_code=f"Fern-{100 + n}"))
    existing = client.post(URL, form_data(outreach, participant_code="Cedar-101", note="First."))
    missing = client.post(URL, form_data(outreach, participant_code="Clover-999", note="Second."))
    for response in (existing, missing):
        assert response.status_code == 200
        assert str(TOO_MANY_LOOKUPS) in response.content.decode()
    assert "No participant has that code" not in missing.content.decode()
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.filter(action="code lookup refused").count() == 2
    # An hour later the peer can look codes up again.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sessions_app.forms.timezone.now", lambda: later)
        response = client.post(URL, form_data(outreach, participant_code="Cedar-101"))
    assert response.status_code == 302


def test_it_flags_a_burst_of_misses_to_the_supervisor(client, peer, supervisor, outreach):
    client.force_login(peer)
    for n in range(5):
        client.post(URL, form_data(outreach, participant_code=f"Moss-{200 + n}"))
    assert AuditEvent.objects.filter(action="code misses flagged", user=peer).count() == 1
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert "Participant codes not found" in page and "peer typed 5 codes not found in 10 minutes" in page


def test_it_shows_no_flag_to_another_teams_supervisor(client, peer2, supervisor, outreach):
    client.force_login(peer2)
    for n in range(5):
        client.post(URL, form_data(outreach, participant_code=f"Moss-{300 + n}"))
    client.force_login(supervisor)
    assert "Participant codes not found" not in client.get("/").content.decode()


def test_it_keeps_the_preferred_name_with_the_team_that_added_the_person(client, peer, peer2, supervisor, outreach,
                                                                         cedar, checkin):
    client.force_login(peer2)
    client.post(URL, form_data(outreach, participant_code="Cedar-101"))
    page = client.get(cedar.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cee" not in body and "Ask what they like to be called" in body
    for someone in (peer, supervisor):
        client.force_login(someone)
        assert "likes to be called Cee" in client.get(cedar.get_absolute_url()).content.decode()


def test_it_says_a_code_was_just_taken_and_keeps_the_form(client, peer, peer2, outreach, monkeypatch):
    # Two peers add a new participant with the same code at the same moment: the
    # other save lands between this form's check and its save.
    checked = CheckInForm.clean

    def clean_then_taken(self):
        cleaned = checked(self)
        Participant.objects.create(code="Birch-777", created_by=peer2)
        return cleaned

    monkeypatch.setattr(CheckInForm, "clean", clean_then_taken)
    client.force_login(peer)
    response = client.post(URL, form_data(outreach, new_participant="on", participant_code="Birch-777",
                                          note="Typed with care."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "That code was just taken by someone else" in body and "Typed with care." in body
    assert CheckIn.objects.count() == 0
    assert Participant.objects.filter(created_by=peer).count() == 0


def test_it_keeps_a_code_in_one_piece_in_lists(client, supervisor, checkin):
    # "Cedar-101" must not break at its hyphen in a narrow column (issue 14, item 13).
    client.force_login(supervisor)
    for url in [reverse("sessions_app:checkin_list"), reverse("sessions_app:review_queue"),
                checkin.get_absolute_url(), checkin.participant.get_absolute_url()]:
        body = client.get(url).content.decode()
        assert '<span class="participant-code">Cedar-101</span>' in body or (
            'class="participant-code" href' in body and ">Cedar-101</a>" in body), url
