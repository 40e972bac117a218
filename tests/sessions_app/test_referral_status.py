"""Referrals followed to the end: a dated history, a day to check back, one tap to move on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, Participant, Referral, ReferralStatusChange
from tests.resources.conftest import make_service
from tests.sessions_app.conftest import form_data

NEW = reverse("sessions_app:checkin_new")
FOLLOW_UPS = reverse("sessions_app:follow_ups")


@pytest.fixture
def clinic(db):
    return make_service("Burnside Methadone Clinic", terms=["OTP", "MU"])


@pytest.fixture
def referral(peer, checkin, clinic):
    return Referral.offer(checkin, clinic.pk, "offered", by=peer)


def _url(referral):
    return reverse("sessions_app:referral_status", args=[referral.pk])


def test_it_starts_a_history_and_a_day_to_check_back_when_offered(client, peer, outreach, clinic, settings):
    settings.REFERRAL_CHECK_BACK_DAYS = 5
    client.force_login(peer)
    when = timezone.localtime() - timedelta(days=1)
    data = form_data(outreach, happened_at=when.strftime("%Y-%m-%dT%H:%M"), referral_service=[str(clinic.pk)])
    assert client.post(NEW, data).status_code == 302
    referral = Referral.objects.get()
    assert referral.check_back_on == when.date() + timedelta(days=5)
    assert [(c.status, c.by) for c in referral.changes.all()] == [("offered", peer)]


def test_it_records_offered_then_connected_for_a_warm_handoff(client, peer, outreach, clinic):
    client.force_login(peer)
    client.post(NEW, form_data(outreach, referral_service=[str(clinic.pk)],
                               **{f"referral_status_{clinic.pk}": "connected"}))
    referral = Referral.objects.get()
    assert list(referral.changes.values_list("status", flat=True)) == ["offered", "connected"]
    assert (referral.check_back_on, referral.days_to_connect) == (None, 0)


def test_it_moves_a_referral_on_from_the_participant_page(client, peer, cedar, referral):
    client.force_login(peer)
    page = cedar.get_absolute_url()
    response = client.post(_url(referral), {"status": "accepted", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert list(referral.changes.values_list("status", flat=True)) == ["offered", "accepted"]
    assert AuditEvent.objects.filter(action="referral status", object_id=str(referral.pk), detail="accepted").exists()
    body = client.get(page).content.decode()
    # The next step is one tap away.
    assert "Accepted" in body and 'aria-label="Connected: Burnside Methadone Clinic"' in body


def test_it_counts_whole_days_to_connection(client, peer, cedar, outreach, clinic):
    earlier = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach,
                                     happened_at=timezone.now() - timedelta(days=4))
    referral = Referral.offer(earlier, clinic.pk, "offered", by=peer)
    client.force_login(peer)
    client.post(_url(referral), {"status": "connected"})
    client.post(_url(referral), {"status": "engaged"})
    referral.refresh_from_db()
    assert (referral.status, referral.days_to_connect, referral.check_back_on) == ("engaged", 4, None)


def test_it_asks_why_a_referral_did_not_connect_and_keeps_the_reason(client, peer, referral):
    client.force_login(peer)
    response = client.post(_url(referral), {"status": "not_connected"}, follow=True)
    assert "Choose why it did not connect." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "offered"
    client.post(_url(referral), {"status": "not_connected", "reason": "waitlist"})
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("not_connected", "waitlist")
    assert referral.changes.last().reason == "waitlist"


def test_it_answers_htmx_with_the_status_block(client, peer, referral):
    client.force_login(peer)
    response = client.post(_url(referral), {"status": "accepted"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<div id="referral-{referral.pk}"')
    assert "Accepted" in body and "<html" not in body


def test_it_refuses_an_unknown_status(client, peer, referral):
    client.force_login(peer)
    response = client.post(_url(referral), {"status": "teleported"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Choose where the referral stands now." in response.content.decode()
    assert referral.changes.count() == 1


def test_it_lets_the_supervisor_move_the_teams_referrals(client, supervisor, referral):
    client.force_login(supervisor)
    assert client.post(_url(referral), {"status": "accepted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.changes.last().by == supervisor


def test_it_hides_another_peers_referral(client, peer2, referral):
    client.force_login(peer2)
    assert client.post(_url(referral), {"status": "accepted"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "offered"


def test_it_refuses_content_admins_who_do_not_see_check_ins(client, content_admin, referral):
    client.force_login(content_admin)
    assert client.post(_url(referral), {"status": "accepted"}).status_code == 403


def test_it_only_posts(client, peer, referral):
    client.force_login(peer)
    assert client.get(_url(referral)).status_code == 405


def test_it_lists_referrals_to_check_on_and_drops_them_at_an_outcome(client, peer, referral, settings):
    client.force_login(peer)
    body = client.get(FOLLOW_UPS).content.decode()
    assert "Referrals to check on" in body and "Burnside Methadone Clinic" in body
    assert f"check back on {referral.check_back_on:%a %b %-d}" in body
    response = client.post(_url(referral), {"status": "connected", "next": FOLLOW_UPS})
    assert response["Location"] == FOLLOW_UPS
    assert "None waiting: every referral has an outcome." in client.get(FOLLOW_UPS).content.decode()


def test_it_lists_follow_ups_in_constant_queries(client, peer, cedar, outreach, django_assert_num_queries):
    service = make_service("Eastside Exchange", terms=["PC-SSP"])

    def add(n):
        for _ in range(n):
            checkin = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach,
                                             follow_up_on=timezone.localdate())
            Referral.offer(checkin, service.pk, "offered", by=peer)

    client.force_login(peer)
    add(2)
    # session, user, its permissions (user's, groups'), check-ins with follow-ups,
    # referrals to check on, unread feedback
    with django_assert_num_queries(7):
        assert client.get(FOLLOW_UPS).status_code == 200
    add(10)
    with django_assert_num_queries(7):
        assert client.get(FOLLOW_UPS).status_code == 200


def test_it_shows_the_participant_page_in_constant_queries(client, peer, cedar, outreach,
                                                           django_assert_num_queries):
    services = [make_service(f"Service {i}", terms=["PC-SSP"]) for i in range(6)]

    def add(n):
        checkin = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach)
        for service in services[:n]:
            Referral.offer(checkin, service.pk, "offered", by=peer)

    client.force_login(peer)
    add(1)
    # session, user, its permissions (user's, groups'), participant, audit line, check-ins,
    # referrals, overdose reversals, unread feedback
    with django_assert_num_queries(10):
        assert client.get(cedar.get_absolute_url()).status_code == 200
    add(6)
    with django_assert_num_queries(10):
        assert client.get(cedar.get_absolute_url()).status_code == 200


def test_it_offers_a_new_check_in_with_the_code_filled_in(client, peer, cedar):
    client.force_login(peer)
    body = client.get(cedar.get_absolute_url()).content.decode()
    link = f'{NEW}?participant=Cedar-101'
    assert f'href="{link}"' in body and "New check-in with Cedar-101" in body
    form = client.get(link).content.decode()
    assert 'value="Cedar-101"' in form


def test_it_does_not_fill_in_a_code_the_peer_has_not_met(client, peer2, cedar):
    client.force_login(peer2)
    form = client.get(NEW, {"participant": "Cedar-101"}).content.decode()
    assert 'value="Cedar-101"' not in form


def test_it_keeps_a_status_moved_on_since_when_the_check_in_is_edited(client, peer, checkin, referral, outreach):
    referral.move_to("not_connected", by=peer, reason="transport")
    client.force_login(peer)
    edit = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    body = client.get(edit).content.decode()
    assert '<option value="not_connected" selected>' in body
    client.post(edit, form_data(outreach, participant_code="Cedar-101", referral_service=[str(referral.service_id)],
                                **{f"referral_status_{referral.service_id}": "not_connected"}))
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("not_connected", "transport")


def test_the_migration_carries_each_status_over_as_one_dated_line(peer, cedar, outreach, clinic):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sessions_app.migrations.0012_referral_status_history")
    recent = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach)
    old = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach,
                                 happened_at=timezone.now() - timedelta(days=90))
    other = make_service("Eastside Exchange", terms=["PC-SSP"])
    a = Referral.objects.create(checkin=recent, service=clinic, status="offered")
    b = Referral.objects.create(checkin=old, service=other, status="connected")
    migration.carry_over_statuses(apps, None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert [(c.status, c.at, c.by) for c in a.changes.all()] == [("offered", recent.happened_at, peer)]
    assert a.check_back_on == recent.happened_on + timedelta(days=7)
    assert (b.check_back_on, b.days_to_connect, b.changes.get().status) == (None, 0, "connected")
    assert ReferralStatusChange.objects.count() == 2
    assert Participant.objects.count() == 1
