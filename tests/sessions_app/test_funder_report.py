"""The funder report (issue 15, item 5): figures against data counted by hand below."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.funder_report import quarter_range
from sessions_app.models import (
    CheckIn,
    FundingSource,
    OverdoseReversal,
    Participant,
    Program,
    Referral,
    SupplyGiven,
    SupplyItem,
)
from tests.resources.conftest import make_service

URL = reverse("sessions_app:funder_report")
CSV = reverse("sessions_app:funder_report_csv")
RANGE = {"start": "2026-07-01", "end": "2026-09-30"}


def at(month, day):
    return timezone.make_aware(datetime(2026, month, day, 12, 0))


@pytest.fixture
def program_data(peer, peer2, outreach, naloxone, cedar):
    """Two teams, two programs, one quarter. Counted by hand:

    check-ins in range  1 east cedar IMPACT, 2 east cedar IMPACT, 3 west cedar IMPACT (cedar met by two teams),
                        4 west fern Nurture, 5 east anonymous IMPACT, 6 west anonymous no program;
                        7 east cedar IMPACT is in October, outside.
    cedar got a code in May (not new), fern in August (new).
    """
    impact = Program.objects.get(name="OHSU Project IMPACT")
    nurture = Program.objects.get(name="Providence Milwaukie Project Nurture")
    fern = Participant.objects.create(code="Fern-202", created_by=peer2)
    Participant.objects.filter(pk=cedar.pk).update(created_at=at(5, 1))
    Participant.objects.filter(pk=fern.pk).update(created_at=at(8, 15))

    def checkin(peer, participant, program, when):
        return CheckIn.objects.create(peer=peer, participant=participant, program=program, method=outreach,
                                      happened_at=when)

    c1 = checkin(peer, cedar, impact, at(8, 3))
    checkin(peer, cedar, impact, at(8, 10))
    c3 = checkin(peer2, cedar, impact, at(8, 12))
    c4 = checkin(peer2, fern, nurture, at(8, 15))
    c5 = checkin(peer, None, impact, at(8, 20))
    checkin(peer2, None, None, at(8, 21))
    c7 = checkin(peer, cedar, impact, at(10, 5))

    state = FundingSource.objects.create(name="State grant")
    county = FundingSource.objects.create(name="County fund")
    syringes = SupplyItem.objects.get(name="Syringes")
    strips = SupplyItem.objects.get(name="Fentanyl test strips")
    SupplyItem.objects.filter(pk__in=[naloxone.pk, syringes.pk]).update(funding_source=state)
    SupplyItem.objects.filter(pk=strips.pk).update(funding_source=county)
    SupplyGiven.objects.create(checkin=c1, item=naloxone, count=3)
    SupplyGiven.objects.create(checkin=c1, item=syringes, count=20, collected=30)
    SupplyGiven.objects.create(checkin=c3, item=naloxone, count=2)
    SupplyGiven.objects.create(checkin=c4, item=strips, count=15)
    SupplyGiven.objects.create(checkin=c5, item=syringes, count=0, collected=12)
    SupplyGiven.objects.create(checkin=c7, item=naloxone, count=10)

    OverdoseReversal.objects.create(checkin=c1, participant=cedar, reported_by=peer, reported_on=date(2026, 8, 3),
                                    naloxone_doses=2, ems_called=True, outcome="alive")
    OverdoseReversal.objects.create(checkin=c4, participant=fern, reported_by=peer2, reported_on=date(2026, 8, 15),
                                    outcome="hospital")
    # Told on fern's page, outside a check-in: no program.
    OverdoseReversal.objects.create(participant=fern, reported_by=peer2, reported_on=date(2026, 9, 1),
                                    naloxone_doses=1, ems_called=False)
    OverdoseReversal.objects.create(checkin=c7, reported_by=peer, reported_on=date(2026, 10, 5), naloxone_doses=4)

    clinic = make_service("Burnside Methadone Clinic", terms=["OTP", "MU"])
    exchange = make_service("Eastside Exchange", terms=["PC-SSP", "NOE"])
    Referral.objects.create(checkin=c1, service=clinic, status="connected")
    Referral.objects.create(checkin=c1, service=exchange, status="offered")
    Referral.objects.create(checkin=c3, service=clinic, status="accepted")
    Referral.objects.create(checkin=c4, service=clinic, status="declined")
    Referral.objects.create(checkin=c7, service=clinic, status="connected")
    return {"state": state, "county": county}


def people(rows, *keys):
    return {tuple(row[k] for k in keys): row["values"] for row in rows}


def test_it_counts_the_whole_organization_as_by_hand(client, admin, program_data):
    client.force_login(admin)
    response = client.get(URL, RANGE)
    assert response.status_code == 200
    report = response.context["report"]
    # encounters, unduplicated participants, new participants, anonymous contacts
    assert report.total["values"] == [6, 2, 1, 2]
    # Cedar, met by both teams, is counted in each team's row and once in the total.
    assert people(report.by_team, "peer__team__name") == {("Outreach East",): [3, 1, 0, 1],
                                                          ("Drop-in West",): [3, 2, 1, 1]}
    assert people(report.by_program, "program__name") == {
        ("OHSU Project IMPACT",): [4, 1, 0, 1], ("Providence Milwaukie Project Nurture",): [1, 1, 1, 0],
        (None,): [1, 0, 0, 1]}
    assert people(report.by_program_and_team, "program__name", "peer__team__name") == {
        ("OHSU Project IMPACT", "Outreach East"): [3, 1, 0, 1],
        ("OHSU Project IMPACT", "Drop-in West"): [1, 1, 0, 0],
        ("Providence Milwaukie Project Nurture", "Drop-in West"): [1, 1, 1, 0],
        (None, "Drop-in West"): [1, 0, 0, 1],
    }
    supplies = {funder: [(i["name"], i["handouts"], i["units"], i["unit"], i["collected"]) for i in items]
                for funder, items in report.supplies}
    assert supplies == {
        "County fund": [("Fentanyl test strips", 15, 15, "strips", None)],
        "State grant": [("Naloxone kits", 5, 10, "doses", None), ("Syringes", 20, 20, "syringes", 42)],
    }
    assert (report.naloxone_kits, report.naloxone_doses) == (5, 10)
    assert report.reversals == {"reported": 3, "naloxone_doses": 3, "ems_called": 1}
    assert report.reversal_outcomes == [("Survived", 1), ("Survived, went to hospital", 1),
                                        ("Died", 0), ("Not known", 1)]
    statuses = [value for value, _label in report.referral_statuses]
    assert dict(zip(statuses, report.referral_totals, strict=True)) == {
        "offered": 1, "accepted": 1, "connected": 1, "not_connected": 0, "engaged": 0, "declined": 1}
    by_kind = {kind: dict(zip(statuses, counts, strict=True)) for kind, counts, _total in report.referrals_by_kind}
    assert by_kind["MAT / MOUD"] | {"offered": 0} == {s: {"accepted": 1, "connected": 1, "declined": 1}.get(s, 0)
                                                      for s in statuses}
    assert by_kind["Syringe services"]["offered"] == 1 and sum(by_kind["Syringe services"].values()) == 1


def test_it_writes_the_definitions_on_the_page(client, admin, program_data):
    client.force_login(admin)
    page = client.get(URL, RANGE).content.decode()
    assert "What each figure means" in page
    assert "Anonymous contacts are counted as encounters only" in page
    assert "a naloxone kit with two doses counts two doses" in page
    assert "<td>10 doses</td>" in page and "<td>42 syringes</td>" in page


def test_it_counts_a_supervisors_teams_only(client, supervisor, west, program_data):
    client.force_login(supervisor)
    report = client.get(URL, RANGE).context["report"]
    assert report.total["values"] == [3, 1, 0, 1]
    assert [row["peer__team__name"] for row in report.by_team] == ["Outreach East"]
    assert report.reversals["reported"] == 1
    assert [item["name"] for _funder, items in report.supplies for item in items] == ["Naloxone kits", "Syringes"]
    # Another team is not theirs to choose: refused with a message, and still only their own figures.
    response = client.get(URL, {**RANGE, "team": west.pk})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert "Drop-in West" not in {row["peer__team__name"] for row in response.context["report"].by_team}


def test_it_leaves_out_a_funders_items(client, admin, program_data):
    client.force_login(admin)
    report = client.get(URL, {**RANGE, "leave_out": [program_data["county"].pk]}).context["report"]
    assert [funder for funder, _items in report.supplies] == ["State grant"]
    assert report.total["values"] == [6, 2, 1, 2]  # people are counted whoever paid for the supplies


def test_it_narrows_to_a_program(client, admin, program_data):
    client.force_login(admin)
    nurture = Program.objects.get(name="Providence Milwaukie Project Nurture")
    report = client.get(URL, {**RANGE, "program": nurture.pk}).context["report"]
    assert report.total["values"] == [1, 1, 1, 0]
    # The reversal told on fern's page belongs to no program.
    assert report.reversals["reported"] == 1


def test_it_takes_a_quarter_for_the_dates(client, admin, program_data):
    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    year, number = last.year, (last.month - 1) // 3 + 1
    if (year, number) == (today.year, (today.month - 1) // 3 + 1):  # mid-quarter: the one before
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    client.force_login(admin)
    report = client.get(URL, {"quarter": f"{year}-Q{number}", "start": "2000-01-01"}).context["report"]
    assert (report.scope.start, report.scope.end) == quarter_range(year, number)
    assert quarter_range(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))


def test_it_says_what_is_wrong_with_the_choices(client, admin, program_data):
    client.force_login(admin)
    response = client.get(URL, {"start": "2026-09-30", "end": "2026-07-01"})
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()
    response = client.get(CSV, {"start": "2026-09-30", "end": "2026-07-01"})
    assert response.status_code == 400 and "end date comes before" in response.content.decode()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_exports_with_small_counts_hidden_and_audited(client, admin, program_data):
    client.force_login(admin)
    response = client.get(CSV, RANGE)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="funder-report-2026-07-01-2026-09-30.csv"' in response["Content-Disposition"]
    rows = {tuple(row[:5]): row[5] for row in _csv(response)[1:]}
    assert rows[("all", "", "", "Encounters", "contacts")] == "<11"
    assert rows[("by team", "", "Outreach East", "New participants", "people")] == "0"
    assert rows[("supplies distributed", "County fund", "", "Fentanyl test strips", "strips")] == "15"
    assert rows[("supplies collected", "State grant", "", "Syringes", "syringes")] == "42"
    assert rows[("supplies distributed", "State grant", "", "Syringes", "syringes")] == "20"
    assert rows[("naloxone", "", "", "naloxone doses distributed", "doses")] == "<11"
    assert rows[("overdose reversals", "", "", "outcome: Died", "reversals")] == "0"
    # No count from 1 to 10 anywhere.
    assert not any(value.isdigit() and 0 < int(value) < 11 for value in rows.values())
    assert AuditEvent.objects.filter(action="export funder report", user=admin).count() == 1


def test_it_follows_the_small_cell_setting(client, admin, program_data, settings):
    settings.REPORT_SMALL_CELL_THRESHOLD = 5
    client.force_login(admin)
    rows = {tuple(row[:5]): row[5] for row in _csv(client.get(CSV, RANGE))[1:]}
    assert rows[("all", "", "", "Encounters", "contacts")] == "6"
    assert rows[("all", "", "", "Unduplicated participants", "people")] == "<5"
    settings.SMALL_COUNT_SUPPRESSION = False
    rows = {tuple(row[:5]): row[5] for row in _csv(client.get(CSV, RANGE))[1:]}
    assert rows[("all", "", "", "Unduplicated participants", "people")] == "2"


@pytest.mark.parametrize("factor", [1, 10])
def test_it_uses_the_same_number_of_queries_for_ten_times_the_data(client, admin, peer, peer2, outreach, naloxone,
                                                                   cedar, factor, django_assert_num_queries):
    impact = Program.objects.get(name="OHSU Project IMPACT")
    made = CheckIn.objects.bulk_create(
        CheckIn(peer=(peer, peer2)[n % 2], participant=cedar if n % 3 else None, method=outreach,
                program=impact if n % 2 else None, happened_at=at(8, 1 + n % 28))
        for n in range(20 * factor))
    SupplyGiven.objects.bulk_create(SupplyGiven(checkin=c, item=naloxone, count=1) for c in made)
    OverdoseReversal.objects.bulk_create(
        OverdoseReversal(checkin=c, reported_by=c.peer, reported_on=c.happened_on) for c in made[::4])
    client.force_login(admin)
    # session, user, unread feedback, filter choices (quarter has none; programs, teams, funding sources),
    # 4 people groupings, supplies, reversals and their outcomes, referrals by status and by kind
    with django_assert_num_queries(15):
        response = client.get(URL, RANGE)
    assert response.status_code == 200
    assert response.context["report"].total["encounters"] == 20 * factor
