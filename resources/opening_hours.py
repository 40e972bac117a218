"""Open now, next opening, the week's hours: pure functions over schedule rows.

A schedule row follows HSDS 3.0 (an RFC 5545 RRULE in columns): `freq`
WEEKLY or MONTHLY, `byday` ("MO,WE" or, for MONTHLY, "1MO" / "-1FR"),
`bymonthday` ("1,15"), `opens_at`/`closes_at` as local wall-clock times,
`valid_from`/`valid_to` dates. Split hours are several rows for the same day.

The rules (docs/directory.md says the same):
- Times are wall-clock times in the service's time zone. Each opening is built
  from the local date and time and only then compared with "now", so a DST
  change shortens or lengthens that night's hours as the clock on the wall does.
- `closes_at` earlier than `opens_at` means the hours run past midnight into
  the next day ("22:00-06:00" on Friday is open early Saturday too).
- `closes_at` equal to `opens_at` (typically 00:00-00:00), or a missing
  `closes_at`, is 24 hours from the opening; 23:59 counts as midnight.
- A row with no `byday` and no `bymonthday` applies every day.
- `valid_from`/`valid_to` bound the date the opening starts on.
- Openings that touch or overlap merge, so a service open 24 hours every day
  reads as "Open 24 hours" rather than "closes at midnight".

Words (day names, "Open now", "9 am") are made when asked for, in the active
language (gettext at call time, never at import), so a slip drawn inside
`{% language "es" %}` says "lunes: 9 a. m. – 5 p. m.".
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def day_name(weekday: int) -> str:
    """Monday is 0, in the active language (Django's own catalog: "lunes")."""
    return str(WEEKDAYS[weekday])


def day_abbreviation(weekday: int) -> str:
    """"Mon", "lun": in the active language."""
    return str(WEEKDAYS_ABBR[weekday])

# How far ahead "next opening" looks: a week covers every weekly schedule; a
# little more catches monthly ones that open soon after.
LOOK_AHEAD = timedelta(days=32)
# The first, cheap look (status_at): a week and a day.
QUICK_LOOK_AHEAD = timedelta(days=8)


@dataclass(frozen=True)
class Hours:
    """One schedule row, reduced to what the rules above need."""

    opens_at: time | None
    closes_at: time | None
    freq: str = "WEEKLY"
    byday: str = ""
    bymonthday: str = ""
    valid_from: date | None = None
    valid_to: date | None = None

    @classmethod
    def from_row(cls, row) -> Hours:
        """From a Schedule model instance or anything with the same attributes."""
        return cls(
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            freq=(row.freq or "WEEKLY").upper(),
            byday=row.byday or "",
            bymonthday=row.bymonthday or "",
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )

    def __post_init__(self):
        # Parsed once: applies_on runs for every day of the look-ahead, for every
        # service on a directory page.
        days = tuple(d.strip().upper() for d in self.byday.split(",") if d.strip())
        monthdays = tuple(int(d) for d in self.bymonthday.split(",") if d.strip().lstrip("-").isdigit())
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_monthdays", monthdays)

    def applies_on(self, day: date) -> bool:
        if self.opens_at is None:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        days, monthdays = self._days, self._monthdays
        if not days and not monthdays:
            return True
        if monthdays and _matches_monthday(day, monthdays):
            return True
        return any(_matches_byday(day, code, self.freq) for code in days)

    def opening_on(self, day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The opening that starts on `day`, as aware datetimes in `tz`."""
        opens = datetime.combine(day, self.opens_at, tzinfo=tz)
        closes_at = self.closes_at
        if closes_at is not None and closes_at >= time(23, 59):
            closes_at = time(0, 0)  # "until 23:59" means until midnight
        if closes_at is None or closes_at == self.opens_at:
            closes = datetime.combine(day + timedelta(days=1), self.opens_at, tzinfo=tz)
        elif closes_at < self.opens_at:
            closes = datetime.combine(day + timedelta(days=1), closes_at, tzinfo=tz)
        else:
            closes = datetime.combine(day, closes_at, tzinfo=tz)
        return opens, closes


def _matches_byday(day: date, code: str, freq: str) -> bool:
    weekday, ordinal = code[-2:], code[:-2]
    if weekday not in DAY_CODES or DAY_CODES.index(weekday) != day.weekday():
        return False
    if not ordinal or freq != "MONTHLY":
        return True
    try:
        n = int(ordinal)
    except ValueError:
        return False
    # "1MO" is the first Monday of the month, "-1FR" the last Friday.
    if n > 0:
        return (day.day - 1) // 7 + 1 == n
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return (days_in_month - day.day) // 7 + 1 == -n


def _matches_monthday(day: date, monthdays: list[int]) -> bool:
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return any(d == day.day or (d < 0 and days_in_month + d + 1 == day.day) for d in monthdays)


def openings(rows: Iterable[Hours], tz: ZoneInfo, start: date, end: date) -> list[tuple[datetime, datetime]]:
    """Every opening starting on a local date from `start` to `end` inclusive, merged.

    Returned as UTC datetimes, sorted; openings that touch or overlap are one.
    """
    rows = list(rows)
    spans = []
    day = start
    while day <= end:
        for row in rows:
            if row.applies_on(day):
                opens, closes = row.opening_on(day, tz)
                # Compare in UTC: aware datetimes in one zoneinfo compare by wall
                # clock, which is wrong across a DST change.
                spans.append((opens.astimezone(UTC), closes.astimezone(UTC)))
        day += timedelta(days=1)
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in spans:
        if closes <= opens:
            continue  # a wall-clock time skipped by DST made an empty span
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


@dataclass(frozen=True)
class OpenStatus:
    """Open or closed at a moment, and when that changes (local time, or None)."""

    is_open: bool
    changes_at: datetime | None
    always_open: bool = False
    has_hours: bool = True
    today: date | None = None

    @property
    def label(self) -> str:
        if not self.has_hours:
            return _("Hours not listed")
        if self.always_open:
            return _("Open 24 hours")
        if self.is_open:
            return _("Open now · closes %(when)s") % {"when": self.when} if self.changes_at else _("Open now")
        if self.changes_at:
            return _("Closed · opens %(when)s") % {"when": self.when}
        return _("Closed")

    @property
    def when(self) -> str:
        """The change as a peer says it: "6 pm", "tomorrow 9 am", "Mon 9 am"."""
        if self.changes_at is None:
            return ""
        clock = _clock(self.changes_at.time())
        if self.changes_at.date() == self.today:
            return clock
        if self.today and self.changes_at.date() == self.today + timedelta(days=1):
            return _("tomorrow %(time)s") % {"time": clock}
        return pgettext("weekday and time of the next change", "%(day)s %(time)s") % {
            "day": day_abbreviation(self.changes_at.weekday()), "time": clock}


def status_at(rows: Iterable[Hours], tz: ZoneInfo, now: datetime) -> OpenStatus:
    """Open or closed at `now` (aware), and the next change, in `tz`."""
    rows = list(rows)
    if not any(row.opens_at for row in rows):
        return OpenStatus(False, None, has_hours=False)
    local_now = now.astimezone(tz)
    today = local_now.date()
    horizon = datetime.combine(today + LOOK_AHEAD, time(0), tzinfo=tz).astimezone(UTC)
    now_utc = now.astimezone(UTC)
    # A directory page asks this of 20 services per request, so look a week
    # ahead first (it decides nearly every weekly schedule) and the whole
    # LOOK_AHEAD only when that week cannot decide. The answer is the same:
    # an opening starting after the short window starts at or after `edge`,
    # so it can neither come earlier nor merge into a span that ends before it.
    for ahead in (QUICK_LOOK_AHEAD, LOOK_AHEAD):
        complete = ahead >= LOOK_AHEAD
        edge = datetime.combine(today + ahead + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        # Start a day early: last night's hours may still be running.
        for opens, closes in openings(rows, tz, today - timedelta(days=1), today + ahead):
            if opens <= now_utc < closes:
                if closes >= horizon:
                    return OpenStatus(True, None, always_open=True, today=today)
                if complete or closes < edge:
                    return OpenStatus(True, closes.astimezone(tz), today=today)
                break  # this span may run on past the short window: look further
            if opens > now_utc:
                return OpenStatus(False, opens.astimezone(tz), today=today)
    return OpenStatus(False, None, today=today)


@dataclass(frozen=True)
class DayHours:
    day: date
    name: str
    spans: list[str]
    is_today: bool


def week(rows: Iterable[Hours], tz: ZoneInfo, today: date) -> list[DayHours]:
    """The seven days from Monday of this week: the hours that start on each day."""
    rows = list(rows)
    monday = today - timedelta(days=today.weekday())
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        spans = []
        for row in sorted((r for r in rows if r.applies_on(day)), key=lambda r: r.opens_at):
            opens, closes = row.opening_on(day, tz)
            if closes - opens >= timedelta(hours=23):
                spans.append(_("24 hours"))
            elif closes.date() != day:
                spans.append(_("%(opens)s – %(closes)s (next day)") % {
                    "opens": _clock(row.opens_at), "closes": _clock(closes.timetz())})
            else:
                spans.append(_("%(opens)s – %(closes)s") % {"opens": _clock(row.opens_at),
                                                              "closes": _clock(closes.timetz())})
        days.append(DayHours(day, day_name(day.weekday()), spans, day == today))
    return days


def _clock(moment: time) -> str:
    """"9 am", "5:30 pm"; the am/pm words are the language's own ("9 a. m.")."""
    hour = moment.hour % 12 or 12
    number = f"{hour}:{moment.minute:02d}" if moment.minute else str(hour)
    if moment.hour < 12:
        return pgettext("clock time", "%(hour)s am") % {"hour": number}
    return pgettext("clock time", "%(hour)s pm") % {"hour": number}


def summary(rows: Iterable[Hours], tz: ZoneInfo, today: date) -> list[str]:
    """One line per day with hours, e.g. "Mon: 9 am – 5 pm" (for slips and QR text)."""
    return [
        pgettext("a day's opening hours", "%(day)s: %(hours)s") % {
            "day": capfirst(day_abbreviation(d.day.weekday())), "hours": ", ".join(d.spans)}
        for d in week(rows, tz, today) if d.spans
    ]


# The "open now" filter's index (resources.models.WeeklyOpening): a weekly row
# as ranges of seconds since Monday 00:00, local wall clock. Seconds, not
# minutes, because HSDS gives times as HH:MM:SS.
SECONDS_A_DAY = 24 * 60 * 60
SECONDS_A_WEEK = 7 * SECONDS_A_DAY


def weekly_ranges(hours: Hours) -> list[tuple[int, int]] | None:
    """The week's openings of a plain weekly row as (start, end) seconds of the week.

    None when the row is not plain weekly (monthly, dated, or with days of the
    month): the week alone cannot say when it opens. Each range is half-open
    and at most a day long; one running past Sunday midnight is two ranges,
    one ending at SECONDS_A_WEEK and one starting at 0.

    Exact for every moment whose local date, the day before and the day after
    have one UTC offset: the rules are about wall-clock times, and away from a
    DST change a wall-clock difference is a real one. Near a change,
    Service.objects.open_at asks `openings` instead. Times are taken to the
    second (a fraction of a second in a schedule time is dropped).
    """
    if hours.freq != "WEEKLY" or hours.valid_from or hours.valid_to or hours._monthdays:
        return None
    if hours.opens_at is None:
        return []
    opens = _seconds(hours.opens_at)
    closes_at = hours.closes_at
    if closes_at is not None and closes_at >= time(23, 59):
        closes_at = time(0, 0)  # as in Hours.opening_on: "until 23:59" means until midnight
    if closes_at is None or closes_at == hours.opens_at:
        length = SECONDS_A_DAY
    elif closes_at < hours.opens_at:
        length = SECONDS_A_DAY - opens + _seconds(closes_at)
    else:
        length = _seconds(closes_at) - opens
    ranges = []
    for weekday, code in enumerate(DAY_CODES):
        # The weekday is all a weekly row looks at (Hours.applies_on).
        if hours._days and not any(_matches_byday_code(code, day) for day in hours._days):
            continue
        start = weekday * SECONDS_A_DAY + opens
        end = start + length
        if end > SECONDS_A_WEEK:
            ranges += [(start, SECONDS_A_WEEK), (0, end - SECONDS_A_WEEK)]
        elif end > start:
            ranges.append((start, end))
    return ranges


def _matches_byday_code(weekday_code: str, code: str) -> bool:
    # For a WEEKLY row _matches_byday ignores an ordinal ("1MO" is every Monday).
    return code[-2:] == weekday_code


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def second_of_week(local: datetime) -> int:
    """Seconds since Monday 00:00 of `local`'s wall clock (the fraction dropped)."""
    return local.weekday() * SECONDS_A_DAY + _seconds(local.time())
