"""Service.objects.open_at decides plain weekly rows in SQL: it must agree with opening_hours.

Plain weekly rows are decided from their ranges of the week (WeeklyOpening),
which must follow every way schedules are written: save, delete, a schedule
moved to another service, and bulk loads that send no signals.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from demo.sample_directory import generate_services
from resources import opening_hours
from resources.hsds import import_path
from resources.models import Schedule, Service, WeeklyOpening, rebuild_weekly_openings
from resources.opening_hours import SECONDS_A_DAY, SECONDS_A_WEEK, Hours, weekly_ranges
from tests.resources.conftest import make_service
from tests.resources.test_hsds import EXAMPLES

PORTLAND = ZoneInfo("America/Los_Angeles")
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.fixture
def random_services(db):
    rng = random.Random(7)
    for i in range(60):
        service = make_service(f"Service {i}", phone="")
        for _ in range(rng.randint(1, 3)):
            opens = time(rng.randint(0, 23), rng.choice([0, 30]))
            closes = rng.choice([time(rng.randint(0, 23), rng.choice([0, 30])), opens, time(23, 59), None])
            byday = ",".join(sorted(rng.sample(DAYS, rng.randint(0, 7)), key=DAYS.index))
            extra = {}
            if rng.random() < 0.15:
                extra = {
                    "valid_from": datetime(2026, 11, 1).date(),
                    "valid_to": datetime(2026, 11, 26).date(),
                }
            Schedule.objects.create(service=service, byday=byday, opens_at=opens, closes_at=closes, **extra)


def _expected(moment):
    return sorted(
        s.name for s in Service.objects.prefetch_related("schedules") if s.status_at(moment).is_open
    )


@pytest.mark.parametrize(
    "start", [datetime(2026, 11, 23, tzinfo=PORTLAND), datetime(2026, 3, 6, tzinfo=PORTLAND)]
)
def test_it_agrees_with_opening_hours_every_half_hour(random_services, start):
    # Week of 23 Nov 2026 (no DST change) and 6-9 March 2026 (DST starts on the 8th).
    days = 7 if start.month == 11 else 4
    for step in range(0, days * 48, 5):
        moment = start + timedelta(minutes=30 * step + 7)
        got = sorted(s.name for s in Service.objects.open_at(moment))
        assert got == _expected(moment), moment


@pytest.fixture
def services_in_two_zones(db):
    """Random rows in Portland and Kolkata (no DST), with 24-hour, every-day,
    overnight and Sunday-night rows, some monthly and some dated."""
    rng = random.Random(11)
    for i in range(60):
        zone = "Asia/Kolkata" if i % 2 else "America/Los_Angeles"
        service = make_service(f"Service {i}", phone="", time_zone=zone)
        for _ in range(rng.randint(1, 3)):
            opens = time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
            closes = rng.choice([time(rng.randint(0, 23), rng.choice([0, 30])), opens, time(23, 59), None])
            days = rng.choice([[], ["SU"], ["SA", "SU"], rng.sample(DAYS, rng.randint(1, 7))])
            extra = {"byday": ",".join(sorted(days, key=DAYS.index))}
            if rng.random() < 0.1:
                extra = {"freq": "MONTHLY", "byday": rng.choice(["1MO", "-1SU", "2TU"])}
            elif rng.random() < 0.1:
                extra["valid_from"] = datetime(2026, 11, 20).date()
            Schedule.objects.create(service=service, opens_at=opens, closes_at=closes, **extra)


def test_it_agrees_with_opening_hours_in_two_zones(services_in_two_zones):
    # From Sunday evening in Kolkata (Sunday morning in Portland) into Monday:
    # the week's end and start, and every hour of a week at an odd minute.
    start = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("UTC"))
    for step in list(range(0, 24 * 4)) + list(range(24 * 4, 24 * 4 * 8, 13)):
        moment = start + timedelta(minutes=15 * step + 1)
        got = sorted(s.name for s in Service.objects.open_at(moment))
        assert got == _expected(moment), moment


def _open_names(moment):
    return sorted(s.name for s in Service.objects.open_at(moment))


def _portland(day, hour, minute=0):
    # 23 Nov 2026 is a Monday; no DST change that week.
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=PORTLAND)


def test_it_stores_a_sunday_night_as_two_ranges():
    hours = Hours(opens_at=time(22), closes_at=time(6), byday="SU")
    sunday_22 = 6 * SECONDS_A_DAY + 22 * 3600
    assert weekly_ranges(hours) == [(sunday_22, SECONDS_A_WEEK), (0, 6 * 3600)]


def test_it_stores_24_hours_and_every_day():
    for closes in (time(9), None):
        assert weekly_ranges(Hours(opens_at=time(9), closes_at=closes, byday="MO")) == [
            (9 * 3600, 9 * 3600 + SECONDS_A_DAY)
        ]
    every_day = weekly_ranges(Hours(opens_at=time(0), closes_at=time(23, 59)))
    assert every_day == [(d * SECONDS_A_DAY, (d + 1) * SECONDS_A_DAY) for d in range(7)]


def test_it_leaves_monthly_and_dated_rows_to_python():
    assert weekly_ranges(Hours(opens_at=time(9), closes_at=time(17), freq="MONTHLY", byday="1MO")) is None
    assert weekly_ranges(Hours(opens_at=time(9), closes_at=time(17), bymonthday="1,15")) is None
    dated = Hours(opens_at=time(9), closes_at=time(17), valid_to=datetime(2026, 12, 1).date())
    assert weekly_ranges(dated) is None
    assert weekly_ranges(Hours(opens_at=None, closes_at=None)) == []


def test_it_is_open_past_sunday_midnight(db):
    make_service("Night", hours=[("SU", "22:00", "06:00")])
    make_service("Always", hours=[("", "00:00", "00:00")])
    make_service("Until midnight", hours=[("SU", "18:00", "23:59")])
    assert _open_names(_portland(6, 23)) == ["Always", "Night", "Until midnight"]
    assert _open_names(_portland(7, 5, 59)) == ["Always", "Night"]  # the next Monday
    assert _open_names(_portland(0, 5, 59)) == ["Always", "Night"]  # this Monday, from last Sunday
    assert _open_names(_portland(0, 6)) == ["Always"]


def test_it_is_open_24_hours_from_the_opening(db):
    service = make_service("Day and night", hours=[("WE", "08:00", "08:00")])
    Schedule.objects.create(service=service, byday="FR", opens_at=time(20), closes_at=None)
    assert _open_names(_portland(2, 8)) == ["Day and night"]
    assert _open_names(_portland(3, 7, 59)) == ["Day and night"]
    assert _open_names(_portland(3, 8)) == []
    assert _open_names(_portland(5, 19, 59)) == ["Day and night"]
    assert _open_names(_portland(5, 20)) == []


def test_it_follows_a_saved_schedule(db):
    service = make_service("Clinic", hours=[("MO", "09:00", "17:00")])
    assert _open_names(_portland(0, 10)) == ["Clinic"]
    schedule = service.schedules.get()
    schedule.byday = "TU"
    schedule.save()
    assert _open_names(_portland(0, 10)) == []
    assert _open_names(_portland(1, 10)) == ["Clinic"]
    schedule.closes_at = time(9, 30)
    schedule.save()
    assert _open_names(_portland(1, 10)) == []


def test_it_follows_a_deleted_schedule(db):
    service = make_service("Clinic", hours=[("MO", "09:00", "17:00"), ("MO", "18:00", "20:00")])
    assert _open_names(_portland(0, 10)) == ["Clinic"]
    service.schedules.get(opens_at=time(9)).delete()
    assert _open_names(_portland(0, 10)) == []
    assert _open_names(_portland(0, 19)) == ["Clinic"]
    service.schedules.all().delete()
    assert _open_names(_portland(0, 19)) == []
    assert not WeeklyOpening.objects.exists()


def test_it_follows_a_schedule_moved_to_another_service(db):
    first = make_service("First", hours=[("MO", "09:00", "17:00")])
    make_service("Second")
    schedule = first.schedules.get()
    schedule.service = Service.objects.get(name="Second")
    schedule.save()
    assert _open_names(_portland(0, 10)) == ["Second"]


def test_it_stores_nothing_for_a_location_schedule(db):
    service = make_service("Clinic")
    Schedule.objects.create(location=service.first_location, byday="MO", opens_at=time(9), closes_at=time(17))
    assert not WeeklyOpening.objects.exists()
    assert _open_names(_portland(0, 10)) == []


def test_it_finds_bulk_loaded_services_open(db):
    # generate_services writes schedules with bulk_create (no signals) and rebuilds the ranges.
    generate_services(40)
    moment = _portland(6, 23, 30)
    assert WeeklyOpening.objects.exists()
    assert _open_names(moment) == _expected(moment)


def test_it_rebuilds_after_writes_that_send_no_signals(db):
    service = make_service("Clinic")
    Schedule.objects.bulk_create([Schedule(service=service, byday="MO", opens_at=time(9), closes_at=time(17))])
    assert _open_names(_portland(0, 10)) == []  # not known until rebuilt
    rebuild_weekly_openings([service.pk])
    assert _open_names(_portland(0, 10)) == ["Clinic"]
    Schedule.objects.update(byday="TU")
    rebuild_weekly_openings()
    assert _open_names(_portland(0, 10)) == []
    assert _open_names(_portland(1, 10)) == ["Clinic"]
    assert WeeklyOpening.objects.count() == 1


def test_it_decides_a_dst_day_in_python(db):
    # 1 Nov 2026: clocks go back at 2 am; the Saturday-night hours end at 6 am wall clock.
    make_service("Night", hours=[("SA", "22:00", "06:00")])
    sunday = datetime(2026, 11, 1, 5, 30, tzinfo=PORTLAND)
    assert _open_names(sunday) == ["Night"]
    assert _open_names(sunday + timedelta(hours=1)) == []


def test_the_second_of_the_week_is_local():
    assert opening_hours.second_of_week(datetime(2026, 11, 29, 23, 59, 59)) == SECONDS_A_WEEK - 1
    assert opening_hours.second_of_week(datetime(2026, 11, 30, 0, 0)) == 0


def test_it_asks_python_about_monthly_rows(db):
    # 7 Dec 2026 is the first Monday of December; 30 Nov is a Monday too, the last of November.
    service = make_service("First Mondays")
    schedule = Schedule.objects.create(
        service=service, freq="MONTHLY", byday="1mo", opens_at=time(9), closes_at=time(17)
    )
    # One row without a range marks it for Python.
    assert list(WeeklyOpening.objects.values_list("start_second", "end_second")) == [(None, None)]
    first_monday = datetime(2026, 12, 7, 10, tzinfo=PORTLAND)
    assert _open_names(first_monday) == ["First Mondays"]
    assert _open_names(first_monday - timedelta(days=7)) == []
    schedule.freq = "WEEKLY"
    schedule.byday = "MO"
    schedule.save()
    assert _open_names(first_monday - timedelta(days=7)) == ["First Mondays"]
    assert WeeklyOpening.objects.get().start_second == 9 * 3600


def test_it_knows_the_hours_of_an_hsds_import(db):
    # The import saves schedules one by one (update_or_create), so the signal keeps the ranges.
    import_path(EXAMPLES / "csv")
    imported = Schedule.objects.filter(service__isnull=False)
    assert imported.exists()
    assert set(WeeklyOpening.objects.values_list("schedule_id", flat=True)) == set(
        imported.exclude(opens_at=None).values_list("pk", flat=True)
    )
    start = datetime(2026, 11, 23, tzinfo=ZoneInfo("UTC"))
    for step in range(0, 7 * 24, 5):
        moment = start + timedelta(hours=step, minutes=7)
        assert _open_names(moment) == _expected(moment), moment
