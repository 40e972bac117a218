"""Service.objects.open_at decides plain weekly rows in SQL: it must agree with opening_hours."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from resources.models import Schedule, Service
from tests.resources.conftest import make_service

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
