import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from harmreduction.models import AuditEvent
from sessions_app.models import (
    PART2_NOTICE,
    CheckIn,
    ContactMethod,
    OverdoseReversal,
    Participant,
    Referral,
    ReferralStatusChange,
    SupplyGiven,
    SupplyItem,
)
from tests.resources.conftest import make_service

URL = reverse("sessions_app:dashboard")


@pytest.fixture
def fixture_data(peer, peer2, supervisor, outreach, naloxone, cedar):
    """A small, known program: hand counts below."""
    drop_in = ContactMethod.objects.get(name="Drop-in")
    strips = SupplyItem.objects.get(name="Fentanyl test strips")
    now = timezone.now()
    fern = Participant.objects.create(code="Fern-202", created_by=peer)
    a = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach, happened_at=now - timedelta(days=1))
    b = CheckIn.objects.create(peer=peer, participant=cedar, method=drop_in, happened_at=now - timedelta(days=8),
                               follow_up_on=timezone.localdate(), follow_up_done_at=now)
    c = CheckIn.objects.create(peer=peer, participant=None, method=outreach, happened_at=now - timedelta(days=2))
    d = CheckIn.objects.create(peer=peer2, participant=fern, method=outreach, happened_at=now - timedelta(days=3))
    CheckIn.objects.create(peer=peer, participant=fern, method=outreach, happened_at=now - timedelta(days=200))
    # One overdose reversal told at a, two at d.
    for checkin in (a, d, d):
        OverdoseReversal.objects.create(checkin=checkin, participant=checkin.participant, reported_by=checkin.peer,
                                        reported_on=checkin.happened_on, naloxone_doses=2)
    SupplyGiven.objects.create(checkin=a, item=naloxone, count=2)
    SupplyGiven.objects.create(checkin=b, item=strips, count=10)
    SupplyGiven.objects.create(checkin=c, item=naloxone, count=1)
    SupplyGiven.objects.create(checkin=d, item=naloxone, count=5)
    clinic = make_service("Burnside Methadone Clinic", terms=["OTP", "MU"])
    exchange = make_service("Eastside Exchange", terms=["PC-SSP", "NOE"])
    Referral.objects.create(checkin=a, service=clinic, status="connected")
    Referral.objects.create(checkin=a, service=exchange, status="offered")
    Referral.objects.create(checkin=b, service=clinic, status="accepted")
    Referral.objects.create(checkin=d, service=clinic, status="declined")
    return {"a": a, "b": b, "c": c, "d": d}


def test_it_counts_the_supervisors_team_as_by_hand(client, supervisor, fixture_data):
    client.force_login(supervisor)
    data = client.get(URL).context["data"]
    # Team East, last 90 days: a, b, c (d is West, the fifth is 200 days old).
    assert data["totals"]["contacts"] == 3
    assert data["totals"]["participants"] == 1  # Cedar; c was anonymous
    assert data["totals"]["anonymous"] == 1
    assert data["totals"]["new_participants"] == 1
    assert data["totals"]["overdoses_reversed"] == 1
    assert data["totals"]["follow_ups_done"] == 1
    assert data["supplies"] == [("Naloxone kits", 3), ("Fentanyl test strips", 10)]
    assert data["by_method"] == [("Street outreach", 2), ("Drop-in", 1)]
    assert sum(count for _, count in data["weekly"]) == 3
    assert data["referrals"] == [("Offered", 1), ("Accepted", 1), ("Connected", 1), ("Not connected", 0),
                                 ("Engaged", 0), ("Declined", 0)]
    funnel = {row["kind"]: row for row in data["referral_funnel"]}
    assert list(funnel) == ["MAT / MOUD", "Syringe services", "All kinds"]
    # MAT: a (connected, the day it was offered: created so in this fixture) and b (accepted).
    assert funnel["MAT / MOUD"] == {"kind": "MAT / MOUD", "total": False, "offered": 2, "accepted": 2,
                                    "connected": 1, "engaged": 0, "connection_rate": 50, "median_days": None}
    assert funnel["All kinds"]["offered"] == 3
    assert funnel["All kinds"]["connection_rate"] == 33


def test_it_counts_the_whole_organization_for_admins(client, admin, fixture_data):
    client.force_login(admin)
    data = client.get(URL).context["data"]
    assert data["totals"]["contacts"] == 4
    assert data["totals"]["participants"] == 2
    assert data["totals"]["overdoses_reversed"] == 3
    assert data["supplies"][0] == ("Naloxone kits", 8)


def test_it_narrows_by_date_and_team(client, admin, supervisor, west, fixture_data):
    client.force_login(admin)
    start = (timezone.localdate() - timedelta(days=400)).isoformat()
    assert client.get(URL, {"start": start}).context["data"]["totals"]["contacts"] == 5
    assert client.get(URL, {"team": west.pk}).context["data"]["totals"]["contacts"] == 1
    # A supervisor cannot widen their scope to another team.
    client.force_login(supervisor)
    response = client.get(URL, {"team": west.pk})
    assert response.context["data"]["totals"]["contacts"] == 3


def test_it_says_when_the_dates_are_the_wrong_way_round(client, supervisor, fixture_data):
    client.force_login(supervisor)
    response = client.get(URL, {"start": "2026-11-20", "end": "2026-11-01"})
    assert "The end date comes before the start date." in response.content.decode()


def test_it_draws_accessible_charts_with_tables(client, supervisor, fixture_data):
    client.force_login(supervisor)
    body = client.get(URL).content.decode()
    assert body.count('role="img"') == 4
    assert "<title id=\"supplies-title\">Supplies handed out, by item</title>" in body
    assert "<th scope=\"row\">Naloxone kits</th><td>3</td>" in body


@pytest.mark.parametrize("factor", [1, 10])
def test_it_uses_the_same_number_of_queries_for_ten_times_the_data(client, admin, peer, outreach, naloxone,
                                                                   factor, django_assert_num_queries):
    made = CheckIn.objects.bulk_create(CheckIn(peer=peer, method=outreach) for _ in range(20 * factor))
    SupplyGiven.objects.bulk_create(SupplyGiven(checkin=c, item=naloxone, count=1) for c in made)
    clinic = make_service("Burnside Methadone Clinic", terms=["OTP", "MU"])
    referrals = Referral.objects.bulk_create(
        Referral(checkin=c, service=clinic, status="connected", days_to_connect=i % 9) for i, c in enumerate(made))
    ReferralStatusChange.objects.bulk_create(
        ReferralStatusChange(referral=r, status=status) for r in referrals for status in ("offered", "connected"))
    client.force_login(admin)
    # session, user, unread feedback, filter choices (programs, teams), the aggregates (reversals
    # among them), the referral funnel (per kind and overall, each by days to connection)
    with django_assert_num_queries(13):
        assert client.get(URL).status_code == 200


def test_it_is_not_for_peers(client, peer):
    client.force_login(peer)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("sessions_app:dashboard_csv")).status_code == 403
    assert client.get(reverse("sessions_app:notes_csv")).status_code == 403


def test_it_exports_figures_with_small_counts_suppressed(client, supervisor, fixture_data, settings):
    client.force_login(supervisor)
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:dashboard_csv")).content.decode())))
    assert ["totals", "Contacts", "<11"] in rows
    assert ["supplies", "Naloxone kits", "<11"] in rows
    settings.SMALL_COUNT_SUPPRESSION = False
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:dashboard_csv")).content.decode())))
    assert ["totals", "Contacts", "3"] in rows
    assert ["supplies", "Fentanyl test strips", "10"] in rows
    assert AuditEvent.objects.filter(action="export figures", user=supervisor).count() == 2


def test_it_exports_notes_for_admins_with_the_part2_notice(client, admin, supervisor, fixture_data):
    client.force_login(supervisor)
    assert client.get(reverse("sessions_app:notes_csv")).status_code == 403
    client.force_login(admin)
    response = client.get(reverse("sessions_app:notes_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [PART2_NOTICE]
    assert "42 CFR part 2" in rows[0][0]
    assert len(rows) == 2 + 4
    assert AuditEvent.objects.filter(action="export notes", user=admin).exists()


def test_it_keeps_figures_for_a_minute_and_says_how_old(client, supervisor, peer, outreach, settings,
                                                        django_assert_num_queries):
    CheckIn.objects.create(peer=peer, method=outreach)
    client.force_login(supervisor)
    assert client.get(URL).context["data"]["totals"]["contacts"] == 1
    CheckIn.objects.create(peer=peer, method=outreach)
    response = client.get(URL)
    assert response.context["data"]["totals"]["contacts"] == 1
    assert "Figures as of" in response.content.decode()
    settings.DASHBOARD_CACHE_SECONDS = 0
    from django.core.cache import cache

    cache.clear()
    assert client.get(URL).context["data"]["totals"]["contacts"] == 2


@pytest.mark.parametrize("path", [URL, reverse("sessions_app:dashboard_csv"), reverse("sessions_app:notes_csv")])
def test_it_refuses_dates_past_the_calendars_ends(client, admin, path):
    # The end of 9999 once overflowed the date arithmetic (a 500); the year 1 meant 105,000 weekly columns.
    client.force_login(admin)
    response = client.get(path, {"start": "0001-01-01", "end": "9999-12-31"})
    assert response.status_code == 200
    if path == URL:
        assert response.content.decode().count("Pick a date between Jan 1, 2000 and") == 2


def test_it_exports_a_note_that_looks_like_a_formula_as_text(client, admin, peer, outreach):
    # CSV injection: a spreadsheet would run "=HYPERLINK(...)"; a leading ' makes it text.
    CheckIn.objects.create(peer=peer, method=outreach, note='=HYPERLINK("http://example.com","x")',
                           goals="@SUM(1+1)")
    client.force_login(admin)
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:notes_csv")).content.decode())))
    assert rows[2][6:] == ["'@SUM(1+1)", '\'=HYPERLINK("http://example.com","x")']


# Issue 14, item 13 ------------------------------------------------------------------


def test_it_counts_in_the_singular_when_there_is_one(client, supervisor, fixture_data):
    client.force_login(supervisor)
    body = client.get(URL).content.decode()
    # Team East: one anonymous contact, one unique participant, one overdose reversed.
    assert "<strong>1</strong> anonymous contact</li>" in body
    assert "<strong>1</strong> unique participant</li>" in body
    assert "<strong>1</strong> overdose reversed</li>" in body
    assert "<strong>3</strong> contacts</li>" in body
    assert "contacts</li>" in body and "1</strong> anonymous contacts" not in body


def test_it_fills_the_dates_with_the_range_it_shows(client, supervisor):
    client.force_login(supervisor)
    today = timezone.localdate()
    start = today - timedelta(days=89)
    body = client.get(URL).content.decode()
    assert f'{start:%b} {start.day}, {start.year} to {today:%b} {today.day}, {today.year}' in body
    assert f'name="start" value="{start.isoformat()}"' in body
    assert f'name="end" value="{today.isoformat()}"' in body
    # A date someone chose stays; the other one is filled in.
    body = client.get(URL, {"start": "2026-01-05"}).content.decode()
    assert 'name="start" value="2026-01-05"' in body and f'name="end" value="{today.isoformat()}"' in body
    # A wrong date stays as typed, with its message; the download links keep the query as it was.
    response = client.get(URL, {"start": "not a date"})
    assert 'name="start" value="not a date"' in response.content.decode()
    assert response.context["query"] == "start=not+a+date"


def test_it_leaves_room_for_the_first_and_last_weekly_labels():
    from sessions_app.charts import column_chart

    weeks = [(f"Sep {day}", day) for day in range(1, 14)]
    chart = column_chart(weeks)
    first, last = chart["bars"][0], chart["bars"][-1]
    # A centred label about 50 units wide fits on either side.
    assert first.label_x >= 25 and chart["width"] - last.label_x >= 25
    assert all(bar.x >= 0 and bar.x + bar.width <= chart["width"] for bar in chart["bars"])


def test_it_follows_referrals_to_the_end_per_kind(client, supervisor, peer, cedar, outreach):
    """Offered, accepted, connected, engaged as reached at some point; rate and median by hand."""
    clinic = make_service("Burnside Methadone Clinic", terms=["OTP", "MU"])
    now = timezone.now()
    made = []
    for days_ago, steps in ((10, [("accepted", 1), ("connected", 2)]),  # connected 3 days after the offer
                            (10, [("connected", 5), ("engaged", 6)]),   # 5 days, then engaged
                            (10, [("accepted", 1), ("not_connected", 2)]),
                            (3, [])):                                    # still offered
        checkin = CheckIn.objects.create(peer=peer, participant=cedar, method=outreach,
                                         happened_at=now - timedelta(days=days_ago))
        referral = Referral.offer(checkin, clinic.pk, "offered", by=peer)
        elapsed = 0
        for status, after in steps:
            elapsed += after
            referral.move_to(status, by=peer, reason="waitlist" if status == "not_connected" else "",
                             when=checkin.happened_at + timedelta(days=elapsed))
        made.append(referral)
    client.force_login(supervisor)
    response = client.get(URL)
    funnel = {row["kind"]: row for row in response.context["data"]["referral_funnel"]}
    assert funnel["MAT / MOUD"] == {"kind": "MAT / MOUD", "total": False, "offered": 4, "accepted": 3,
                                    "connected": 2, "engaged": 1, "connection_rate": 50, "median_days": 4}
    assert funnel["All kinds"]["median_days"] == 4
    body = response.content.decode()
    assert "Median days to connection" in body and "50 %" in body
    rows = list(csv.reader(io.StringIO(client.get(reverse("sessions_app:dashboard_csv")).content.decode())))
    assert ["referrals: MAT / MOUD", "connection rate (%)", "50"] in rows
    assert ["referrals: MAT / MOUD", "median days to connection", "4"] in rows
    assert ["referrals: MAT / MOUD", "offered", "<11"] in rows
