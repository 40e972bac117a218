"""Supplies as funders count them and overdose reversals as their own record (issue 15, items 1, 2, 6)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import CheckIn, FundingSource, OverdoseReversal, SupplyGiven, SupplyItem
from tests.sessions_app.conftest import form_data

NEW = reverse("sessions_app:checkin_new")

REVERSAL = {
    "reversal_happened_on": "2026-11-18", "reversal_area": "97214", "reversal_naloxone_doses": "2",
    "reversal_ems": "no", "reversal_outcome": "alive",
}


@pytest.fixture
def syringes(db):
    return SupplyItem.objects.get(name="Syringes")


def test_it_gives_existing_items_their_units_by_migration(naloxone, syringes):
    # The Overdose Measures Matter rule: a kit with two doses counts two doses.
    assert (naloxone.handed_out_as, naloxone.unit, naloxone.units_per_handout, naloxone.naloxone) == (
        "kits", "doses", 2, True)
    assert (syringes.unit, syringes.units_per_handout, syringes.collected) == ("syringes", 1, True)
    assert list(SupplyItem.objects.filter(collected=True)) == [syringes]
    assert list(SupplyItem.objects.filter(naloxone=True)) == [naloxone]


def test_it_shows_one_collected_stepper_and_the_reversal_folded(client, peer, syringes):
    client.force_login(peer)
    page = client.get(NEW).content.decode()
    assert page.count("collected for disposal") == 1
    assert f'name="collected_{syringes.pk}"' in page
    details = re.search(r"<details[^>]*id=\"reversal\"[^>]*>", page).group(0)
    assert " open" not in details
    assert "They reversed an overdose" in page


def test_it_saves_collected_syringes_and_a_reversal_with_the_checkin(client, peer, outreach, cedar, naloxone,
                                                                      syringes):
    client.force_login(peer)
    response = client.post(NEW, form_data(outreach, participant_code="Cedar-101", **{
        f"supply_{naloxone.pk}": "2", f"collected_{syringes.pk}": "30", **REVERSAL,
    }))
    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    rows = {s.item: (s.count, s.collected) for s in checkin.supplies.all()}
    assert rows == {naloxone: (2, 0), syringes: (0, 30)}
    reversal = OverdoseReversal.objects.get()
    assert reversal.checkin == checkin and reversal.participant == cedar and reversal.reported_by == peer
    assert reversal.reported_on == checkin.happened_on
    assert (str(reversal.happened_on), reversal.area, reversal.naloxone_doses, reversal.ems_called,
            reversal.outcome) == ("2026-11-18", "97214", 2, False, "alive")
    page = client.get(checkin.get_absolute_url()).content.decode()
    assert "30 syringes collected for disposal" in page
    assert "Survived · 97214 · 2 naloxone doses · no 911 / EMS" in page


def test_it_makes_no_reversal_when_its_fields_are_left_empty(client, peer, outreach):
    client.force_login(peer)
    client.post(NEW, form_data(outreach, reversal_area="", reversal_ems="", reversal_outcome=""))
    assert CheckIn.objects.count() == 1
    assert not OverdoseReversal.objects.exists()


def test_it_counts_a_reversal_with_only_its_outcome_known(client, peer, outreach):
    client.force_login(peer)
    client.post(NEW, form_data(outreach, reversal_outcome="hospital"))
    reversal = OverdoseReversal.objects.get()
    assert (reversal.happened_on, reversal.area, reversal.naloxone_doses, reversal.ems_called) == (
        None, "", None, None)


def test_it_opens_the_reversal_again_with_a_clear_message_and_keeps_what_was_typed(client, peer, outreach):
    client.force_login(peer)
    tomorrow_plus = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(NEW, form_data(outreach, note="Kept as typed.", **{
        **REVERSAL, "reversal_happened_on": tomorrow_plus}))
    page = response.content.decode()
    assert response.status_code == 200 and not CheckIn.objects.exists()
    assert "Pick the day it happened: today or before." in page
    assert re.search(r"<details[^>]*id=\"reversal\"[^>]*open", page)
    assert 'value="97214"' in page and "Kept as typed." in page


def test_it_changes_or_removes_the_reversal_when_the_checkin_is_edited(client, peer, outreach, cedar):
    client.force_login(peer)
    client.post(NEW, form_data(outreach, participant_code="Cedar-101", **REVERSAL))
    checkin = CheckIn.objects.get()
    first = OverdoseReversal.objects.get()
    edit = reverse("sessions_app:checkin_edit", args=[checkin.pk])
    page = client.get(edit).content.decode()
    assert re.search(r"<details[^>]*id=\"reversal\"[^>]*open", page) and 'value="97214"' in page
    data = {"happened_at": "2026-11-20T14:30", "method": outreach.pk, "participant_code": "Cedar-101",
            **REVERSAL, "reversal_outcome": "hospital"}
    assert client.post(edit, data).status_code == 302
    assert list(OverdoseReversal.objects.values_list("pk", "outcome")) == [(first.pk, "hospital")]
    empty = {name: "" for name in REVERSAL}
    client.post(edit, {**data, **empty})
    assert not OverdoseReversal.objects.exists()


def test_it_records_a_reversal_told_on_the_participant_page(client, peer, cedar):
    client.force_login(peer)
    url = reverse("sessions_app:participant_reversal", args=[cedar.pk])
    response = client.post(url, {**REVERSAL, "reversal_ems": "yes", "reversal_outcome": "hospital"})
    assert response.status_code == 302 and response["Location"].endswith("#reversals")
    reversal = OverdoseReversal.objects.get()
    assert reversal.checkin is None and reversal.participant == cedar and reversal.reported_by == peer
    assert reversal.reported_on == timezone.localdate() and reversal.ems_called is True
    assert AuditEvent.objects.filter(action="create", object_type="sessions_app.overdosereversal").exists()
    page = client.get(cedar.get_absolute_url()).content.decode()
    assert "Survived, went to hospital · 97214 · 2 naloxone doses · 911 / EMS called" in page


def test_it_asks_for_something_about_a_reversal_before_saving_it(client, peer, cedar):
    client.force_login(peer)
    url = reverse("sessions_app:participant_reversal", args=[cedar.pk])
    response = client.post(url, {"reversal_area": "", "reversal_outcome": ""})
    assert response.status_code == 400
    assert "Fill in at least one thing you know about it" in response.content.decode()
    response = client.post(url, {"reversal_naloxone_doses": "99", "reversal_area": "Old Town"})
    page = response.content.decode()
    assert response.status_code == 400 and 'value="Old Town"' in page
    assert re.search(r"<details[^>]*open", page)
    assert not OverdoseReversal.objects.exists()


def test_it_keeps_reversals_to_who_may_see_the_participant(client, peer, peer2, supervisor, content_admin, cedar,
                                                          checkin):
    url = reverse("sessions_app:participant_reversal", args=[cedar.pk])
    client.force_login(peer2)
    assert client.post(url, REVERSAL).status_code == 404
    client.force_login(content_admin)
    assert client.post(url, REVERSAL).status_code == 403
    assert client.get(url).status_code == 405
    assert not OverdoseReversal.objects.exists()
    # The supervisor of the team that met them may note one. Like check-ins, a reversal is seen
    # by who noted it and their supervisor: the peer sees their own, the supervisor the team's.
    client.force_login(supervisor)
    assert client.post(url, REVERSAL).status_code == 302
    assert "97214" in client.get(cedar.get_absolute_url()).content.decode()
    client.force_login(peer)
    assert "97214" not in client.get(cedar.get_absolute_url()).content.decode()


def test_it_flags_a_checkin_with_a_reversal_for_review(client, supervisor, peer, outreach):
    checkin = CheckIn.objects.create(peer=peer, method=outreach)
    CheckIn.objects.create(peer=peer, method=outreach)
    OverdoseReversal.objects.create(checkin=checkin, reported_by=peer, reported_on=checkin.happened_on)
    client.force_login(supervisor)
    assert client.get(reverse("sessions_app:review_queue")).content.decode().count("Overdose reported") == 1


def test_it_keeps_collected_only_rows(peer, outreach, syringes):
    checkin = CheckIn.objects.create(peer=peer, method=outreach)
    row = SupplyGiven.objects.create(checkin=checkin, item=syringes, collected=40)
    assert str(row) == "40 × Syringes collected"


def test_it_lets_content_admins_keep_units_and_funders_in_the_admin(client, content_admin, naloxone):
    client.force_login(content_admin)
    response = client.post(reverse("admin:sessions_app_fundingsource_add"),
                           {"name": "County opioid settlement fund", "order": "0", "active": "on"})
    assert response.status_code == 302
    county = FundingSource.objects.get()
    url = reverse("admin:sessions_app_supplyitem_change", args=[naloxone.pk])
    assert "Units per handout" in client.get(url).content.decode()
    response = client.post(url, {
        "name": "Naloxone kits", "order": "0", "active": "on", "handed_out_as": "kits", "unit": "doses",
        "units_per_handout": "3", "naloxone": "on", "funding_source": county.pk,
    })
    assert response.status_code == 302
    naloxone.refresh_from_db()
    assert (naloxone.units_per_handout, naloxone.funding_source) == (3, county)


def test_it_keeps_units_and_funders_from_peers_and_supervisors(client, peer, supervisor):
    for user in (peer, supervisor):
        client.force_login(user)
        # Not staff: the admin sends them to sign in (with a permission only they would see it).
        response = client.get(reverse("admin:sessions_app_fundingsource_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"]
        assert not user.has_perm("sessions_app.change_fundingsource")
