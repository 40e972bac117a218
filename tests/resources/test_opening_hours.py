"""Open now and next change: pure functions, no database.

Dates are real 2026 calendar days in Portland (America/Los_Angeles): DST
starts Sunday 8 March 2026 (2:00 -> 3:00) and ends Sunday 1 November 2026
(2:00 -> 1:00).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from resources.opening_hours import Hours, openings, status_at, summary, week

PORTLAND = ZoneInfo("America/Los_Angeles")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = "MO,TU,WE,TH,FR"


def at(year, month, day, hour, minute=0, tz=PORTLAND):
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def hours(byday, opens, closes, **extra):
    return Hours(
        opens_at=time(*opens), closes_at=time(*closes) if closes is not None else None, byday=byday, **extra
    )


NINE_TO_FIVE = [hours(WEEKDAYS, (9,), (17,))]


def test_it_is_open_inside_the_hours_and_says_when_it_closes():
    status = status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 13))  # a Wednesday
    assert status.is_open
    assert status.label == "Open now · closes 5 pm"


def test_it_opens_on_the_minute_and_closes_on_the_minute():
    assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 9)).is_open
    assert not status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 17)).is_open
    assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 16, 59)).is_open


def test_it_is_closed_before_opening_and_says_when_it_opens():
    status = status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 7, 30))
    assert not status.is_open
    assert status.label == "Closed · opens 9 am"


def test_it_names_tomorrow_and_later_days():
    assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 25, 18)).label == "Closed · opens tomorrow 9 am"
    # Friday evening: next opening is Monday.
    assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 27, 18)).label == "Closed · opens Mon 9 am"


class TestPastMidnight:
    LATE = [hours("FR,SA", (22,), (4,))]

    def test_it_is_open_after_midnight_on_the_next_day(self):
        status = status_at(self.LATE, PORTLAND, at(2026, 11, 28, 2))  # Saturday 2 am, Friday's night
        assert status.is_open
        assert status.label == "Open now · closes 4 am"

    def test_it_is_open_before_midnight_and_closes_tomorrow(self):
        status = status_at(self.LATE, PORTLAND, at(2026, 11, 27, 23))  # Friday 11 pm
        assert status.is_open
        assert status.label == "Open now · closes tomorrow 4 am"

    def test_it_is_closed_after_the_night_ends(self):
        status = status_at(self.LATE, PORTLAND, at(2026, 11, 28, 5))
        assert not status.is_open
        assert status.label == "Closed · opens 10 pm"

    def test_it_does_not_run_past_midnight_from_a_day_without_hours(self):
        # Friday 2 am: Thursday has no hours, so nothing is running on from the night before.
        assert not status_at(self.LATE, PORTLAND, at(2026, 11, 27, 2)).is_open

    def test_it_shows_the_night_on_the_day_it_starts(self):
        days = week(self.LATE, PORTLAND, date(2026, 11, 25))
        friday = days[4]
        assert friday.name == "Friday" and friday.spans == ["10 pm – 4 am (next day)"]
        assert days[3].spans == []


class TestSplitHours:
    SPLIT = [hours(WEEKDAYS, (10,), (14,)), hours(WEEKDAYS, (16,), (19,))]

    def test_it_is_open_in_the_morning_block(self):
        assert status_at(self.SPLIT, PORTLAND, at(2026, 11, 25, 13)).label == "Open now · closes 2 pm"

    def test_it_is_closed_in_the_gap_and_names_the_afternoon_opening(self):
        status = status_at(self.SPLIT, PORTLAND, at(2026, 11, 25, 15))
        assert not status.is_open
        assert status.label == "Closed · opens 4 pm"

    def test_it_is_open_in_the_afternoon_block(self):
        assert status_at(self.SPLIT, PORTLAND, at(2026, 11, 25, 18)).label == "Open now · closes 7 pm"

    def test_it_lists_both_blocks_for_the_day(self):
        assert week(self.SPLIT, PORTLAND, date(2026, 11, 25))[2].spans == ["10 am – 2 pm", "4 pm – 7 pm"]


class TestTwentyFourHours:
    def test_it_is_open_24_hours_every_day(self):
        rows = [hours("MO,TU,WE,TH,FR,SA,SU", (0,), (0,))]
        status = status_at(rows, PORTLAND, at(2026, 11, 25, 3))
        assert status.is_open and status.always_open
        assert status.label == "Open 24 hours"
        assert week(rows, PORTLAND, date(2026, 11, 25))[0].spans == ["24 hours"]

    def test_it_treats_a_row_with_no_days_as_every_day(self):
        assert status_at([hours("", (0,), (0,))], PORTLAND, at(2026, 11, 25, 3)).always_open

    def test_it_treats_a_missing_closing_time_as_24_hours(self):
        assert status_at([hours("", (0,), None)], PORTLAND, at(2026, 11, 25, 23, 30)).always_open

    def test_it_reads_2359_as_midnight_and_joins_the_days(self):
        rows = [hours("", (0,), (23, 59))]
        status = status_at(rows, PORTLAND, at(2026, 11, 25, 23, 59))
        assert status.is_open and status.always_open

    def test_it_closes_a_weekday_only_round_the_clock_service_at_the_weekend(self):
        rows = [hours(WEEKDAYS, (0,), (0,))]
        status = status_at(rows, PORTLAND, at(2026, 11, 27, 23))  # Friday 11 pm
        assert status.is_open and not status.always_open
        assert status.label == "Open now · closes tomorrow 12 am"
        assert not status_at(rows, PORTLAND, at(2026, 11, 28, 12)).is_open


class TestDaylightSaving:
    NIGHT = [hours("SA", (22,), (6,))]

    def test_the_night_the_clocks_go_forward_is_an_hour_shorter(self):
        (span,) = openings(self.NIGHT, PORTLAND, date(2026, 3, 7), date(2026, 3, 7))
        assert span[1] - span[0] == timedelta(hours=7)

    def test_it_closes_at_six_on_the_wall_clock_after_the_change(self):
        assert status_at(self.NIGHT, PORTLAND, at(2026, 3, 8, 5, 30)).is_open
        assert not status_at(self.NIGHT, PORTLAND, at(2026, 3, 8, 6, 1)).is_open
        assert status_at(self.NIGHT, PORTLAND, at(2026, 3, 8, 1)).label == "Open now · closes 6 am"

    def test_the_night_the_clocks_go_back_is_an_hour_longer(self):
        (span,) = openings(self.NIGHT, PORTLAND, date(2026, 10, 31), date(2026, 10, 31))
        assert span[1] - span[0] == timedelta(hours=9)
        assert status_at(self.NIGHT, PORTLAND, at(2026, 11, 1, 5, 30)).is_open

    def test_it_uses_utc_offsets_not_wall_clocks_to_compare(self):
        # 13:30 UTC on 8 March is 6:30 am PDT (closed) but would be 5:30 am PST.
        assert not status_at(self.NIGHT, PORTLAND, datetime(2026, 3, 8, 13, 30, tzinfo=UTC)).is_open

    def test_it_opens_an_opening_in_the_skipped_hour_that_day(self):
        rows = [hours("SU", (2, 30), (4,))]
        assert status_at(rows, PORTLAND, at(2026, 3, 8, 3, 45)).is_open

    def test_a_daytime_service_keeps_its_hours_across_the_change(self):
        assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 3, 9, 9, 5)).is_open
        assert status_at(NINE_TO_FIVE, PORTLAND, at(2026, 11, 2, 16, 55)).is_open


def test_it_answers_in_the_services_time_zone():
    # 8:30 am in Portland is 11:30 am in New York: a New York 9-5 service is open.
    now = at(2026, 11, 25, 8, 30)
    assert status_at(NINE_TO_FIVE, NEW_YORK, now).is_open
    assert not status_at(NINE_TO_FIVE, PORTLAND, now).is_open
    assert status_at(NINE_TO_FIVE, NEW_YORK, now).label == "Open now · closes 5 pm"


def test_it_respects_valid_from_and_valid_to():
    winter = [hours("", (20,), (7,), valid_from=date(2026, 12, 1), valid_to=date(2027, 2, 28))]
    assert not status_at(winter, PORTLAND, at(2026, 11, 25, 22)).is_open
    assert status_at(winter, PORTLAND, at(2026, 11, 25, 22)).label == "Closed · opens Tue 8 pm"
    assert status_at(winter, PORTLAND, at(2026, 12, 15, 22)).is_open
    # The last night starts on valid_to and still runs into the next morning.
    assert status_at(winter, PORTLAND, at(2027, 3, 1, 6)).is_open
    assert not status_at(winter, PORTLAND, at(2027, 3, 1, 22)).is_open


def test_it_understands_monthly_rows():
    first_monday = [hours("1MO", (9,), (12,), freq="MONTHLY")]
    assert status_at(first_monday, PORTLAND, at(2026, 12, 7, 10)).is_open
    assert not status_at(first_monday, PORTLAND, at(2026, 12, 14, 10)).is_open
    last_friday = [hours("-1FR", (9,), (12,), freq="MONTHLY")]
    assert status_at(last_friday, PORTLAND, at(2026, 11, 27, 10)).is_open
    assert not status_at(last_friday, PORTLAND, at(2026, 11, 20, 10)).is_open
    fifteenth = [hours("", (9,), (12,), freq="MONTHLY", bymonthday="15")]
    assert status_at(fifteenth, PORTLAND, at(2026, 12, 15, 10)).is_open
    assert not status_at(fifteenth, PORTLAND, at(2026, 12, 16, 10)).is_open


def test_it_says_when_no_hours_are_listed():
    status = status_at([], PORTLAND, at(2026, 11, 25, 10))
    assert not status.is_open and status.label == "Hours not listed"


def test_it_says_closed_when_nothing_opens_again():
    ended = [hours("", (9,), (17,), valid_to=date(2026, 1, 31))]
    assert status_at(ended, PORTLAND, at(2026, 11, 25, 10)).label == "Closed"


@pytest.mark.parametrize(
    "today,index", [(date(2026, 11, 23), 0), (date(2026, 11, 25), 2), (date(2026, 11, 29), 6)]
)
def test_it_marks_today_in_the_week(today, index):
    days = week(NINE_TO_FIVE, PORTLAND, today)
    assert [d.is_today for d in days].index(True) == index
    assert days[0].name == "Monday" and days[6].spans == []


def test_it_summarises_the_week_in_lines():
    assert summary(TestSplitHours.SPLIT, PORTLAND, date(2026, 11, 25))[0] == "Mon: 10 am – 2 pm, 4 pm – 7 pm"


def _status_over_the_whole_look_ahead(rows, tz, now):
    """status_at as it was before the one-week first look: every opening of LOOK_AHEAD at once."""
    from resources.opening_hours import LOOK_AHEAD, OpenStatus

    today = now.astimezone(tz).date()
    spans = openings(rows, tz, today - timedelta(days=1), today + LOOK_AHEAD)
    horizon = datetime.combine(today + LOOK_AHEAD, time(0), tzinfo=tz).astimezone(UTC)
    for opens, closes in spans:
        if opens <= now < closes:
            if closes >= horizon:
                return OpenStatus(True, None, always_open=True, today=today)
            return OpenStatus(True, closes.astimezone(tz), today=today)
        if opens > now:
            return OpenStatus(False, opens.astimezone(tz), today=today)
    return OpenStatus(False, None, today=today)


def test_it_answers_as_the_whole_look_ahead_would_for_many_schedules_and_moments():
    # The week-first look (a speed-up for directory pages) must never change an answer:
    # weekly, past-midnight, 24-hour, monthly and dated rows, around both DST changes.
    import random

    rng = random.Random(8)
    bydays = ["", WEEKDAYS, "FR,SA", "SU", "1MO", "-1FR", "TU,TH"]
    clock = [(0,), (3,), (9,), (13, 30), (17,), (21,), (23, 59)]
    starts = [at(2026, 3, 6, 0), at(2026, 10, 30, 0), at(2026, 11, 25, 0), at(2026, 2, 26, 0)]
    for _ in range(400):
        rows = []
        for _ in range(rng.randint(1, 3)):
            extra = {}
            byday = rng.choice(bydays)
            if byday[:1] in "1-" and byday:
                extra["freq"] = "MONTHLY"
            if rng.random() < 0.15:
                extra = {"freq": "MONTHLY", "bymonthday": rng.choice(["1", "15", "-1"])}
                byday = ""
            if rng.random() < 0.1:
                extra["valid_to"] = date(2026, 3, 10)
            rows.append(hours(byday, rng.choice(clock), rng.choice(clock + [None]), **extra))
        now = rng.choice(starts) + timedelta(minutes=rng.randrange(60 * 24 * 7))
        assert status_at(rows, PORTLAND, now) == _status_over_the_whole_look_ahead(rows, PORTLAND, now), rows
