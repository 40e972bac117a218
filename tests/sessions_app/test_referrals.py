"""Referrals: a service from the directory, offered during a check-in, and where it stands."""

import pytest
from django.urls import reverse

from sessions_app.models import CheckIn, Referral
from tests.resources.conftest import make_service
from tests.sessions_app.conftest import form_data

NEW = reverse("sessions_app:checkin_new")


@pytest.fixture
def clinic(db):
    return make_service("Burnside Methadone Clinic", terms=["OTP", "MU"], description="Methadone, walk-in intake")


def test_it_brings_a_service_from_the_directory_into_the_form(client, peer, clinic):
    client.force_login(peer)
    body = client.get(NEW, {"referral": clinic.pk}).content.decode()
    assert f'name="referral_service" value="{clinic.pk}"' in body
    assert "Burnside Methadone Clinic" in body


def test_it_saves_referrals_with_their_status(client, peer, outreach, clinic):
    client.force_login(peer)
    data = form_data(outreach, referral_service=[str(clinic.pk)], **{f"referral_status_{clinic.pk}": "accepted"})
    assert client.post(NEW, data).status_code == 302
    referral = Referral.objects.get()
    assert (referral.service, referral.status, referral.checkin.peer) == (clinic, "accepted", peer)


def test_it_updates_and_removes_referrals_when_editing(client, peer, outreach, clinic):
    other = make_service("Eastside Exchange", terms=["PC-SSP"])
    client.force_login(peer)
    client.post(NEW, form_data(outreach, referral_service=[str(clinic.pk), str(other.pk)]))
    checkin = CheckIn.objects.get()
    edit = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    client.post(edit, form_data(outreach, referral_service=[str(clinic.pk), str(other.pk)],
                                referral_remove=[str(other.pk)], **{f"referral_status_{clinic.pk}": "connected"}))
    assert [(r.service, r.status) for r in checkin.referrals.all()] == [(clinic, "connected")]


def test_it_keeps_referrals_when_something_else_needs_fixing(client, peer, outreach, clinic):
    client.force_login(peer)
    data = form_data(outreach, participant_code="Nobody-1", referral_service=[str(clinic.pk)],
                     **{f"referral_status_{clinic.pk}": "declined"})
    body = client.post(NEW, data).content.decode()
    assert f'name="referral_service" value="{clinic.pk}"' in body
    assert '<option value="declined" selected>' in body


def test_it_says_when_a_referred_service_is_gone(client, peer, outreach, clinic):
    gone = make_service("Closed Clinic", status="defunct")
    client.force_login(peer)
    body = client.post(NEW, form_data(outreach, referral_service=[str(gone.pk), str(clinic.pk)])).content.decode()
    assert "no longer in the directory" in body
    assert CheckIn.objects.count() == 0


def test_it_searches_the_directory_inline(client, peer, clinic):
    make_service("Closed Methadone Place", status="defunct")
    client.force_login(peer)
    response = client.get(reverse("sessions_app:checkin_referral_search"), {"q": "methadone"},
                          headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="referral-results"' in body and "<html" not in body
    assert "Burnside Methadone Clinic" in body and "Closed Methadone Place" not in body


def test_it_adds_a_row_and_tells_the_form_to_keep_its_draft(client, peer, clinic):
    client.force_login(peer)
    response = client.get(reverse("sessions_app:checkin_referral_row"), {"service": clinic.pk})
    assert response["HX-Trigger"] == "referral-added"
    assert f'name="referral_status_{clinic.pk}"' in response.content.decode()
    gone = make_service("Closed Clinic", status="inactive")
    assert client.get(reverse("sessions_app:checkin_referral_row"), {"service": gone.pk}).status_code == 404


def test_it_shows_referrals_on_the_participant_page(client, peer, outreach, cedar, clinic):
    client.force_login(peer)
    client.post(NEW, form_data(outreach, participant_code=cedar.code, referral_service=[str(clinic.pk)],
                               **{f"referral_status_{clinic.pk}": "connected"}))
    body = client.get(cedar.get_absolute_url()).content.decode()
    assert "Burnside Methadone Clinic" in body and "Connected" in body


# Bad input found by tests/harmreduction/test_bad_input.py (each was a 500).


def test_it_answers_404_for_a_row_of_no_service(client, peer, clinic):
    client.force_login(peer)
    row = reverse("sessions_app:checkin_referral_row")
    for service in ("abc", "", "²", "-1", str(10**30)):
        assert client.get(row, {"service": service}, headers={"HX-Request": "true"}).status_code == 404, service


def test_it_ignores_a_referral_id_that_is_not_a_number(client, peer, outreach, clinic):
    client.force_login(peer)
    assert client.get(NEW, {"referral": "²"}).status_code == 200
    data = form_data(outreach, referral_service=["²", str(10**30), str(clinic.pk)])
    assert client.post(NEW, data).status_code == 302
    assert [r.service for r in Referral.objects.all()] == [clinic]
