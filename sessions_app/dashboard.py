"""Program figures: what the program did in a date range, as aggregate queries.

Every figure is one query over the check-ins in scope (the supervisor's teams,
or the whole organization), so the number of queries does not grow with the data.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import dateformat, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from harmreduction.models import Team
from sessions_app.models import CheckIn, OverdoseReversal, Referral, SupplyGiven

NALOXONE = "Naloxone kits"  # i18n: not shown (the supply item's name, to sort it first)


@dataclass
class Scope:
    start: date
    end: date
    teams: list[Team] | None  # None: the whole organization
    program_id: int | None = None

    def checkins(self):
        qs = CheckIn.objects.filter(happened_on__gte=self.start, happened_on__lte=self.end)
        if self.teams is not None:
            qs = qs.filter(peer__team__in=self.teams)
        if self.program_id:
            qs = qs.filter(program_id=self.program_id)
        return qs

    def reversals(self):
        """Overdose reversals told to the peers in scope in the range (by the day they were told).

        Told on a participant's page they belong to no program: a program's
        figures count only those told at its check-ins.
        """
        qs = OverdoseReversal.objects.filter(reported_on__gte=self.start, reported_on__lte=self.end)
        if self.teams is not None:
            qs = qs.filter(reported_by__team__in=self.teams)
        if self.program_id:
            qs = qs.filter(checkin__program_id=self.program_id)
        return qs


def scope_for(user, *, start=None, end=None, team=None, program=None) -> Scope:
    """The widest scope this user may see, narrowed by the filters they chose."""
    end = end or timezone.localdate()
    start = start or end - timedelta(days=89)
    if user.has_perm("sessions_app.view_all_dashboard"):
        teams = [team] if team else None
    else:
        mine = list(user.supervised_teams.all())
        teams = [team] if team in mine else mine
    return Scope(start=start, end=end, teams=teams, program_id=program.pk if program else None)


def figures(scope: Scope) -> dict:
    checkins = scope.checkins()
    tz = timezone.get_current_timezone()
    # A new participant: first given a code in the range, and met in scope.
    new = Q(
        participant__created_at__gte=datetime.combine(scope.start, time.min, tz),
        participant__created_at__lt=datetime.combine(scope.end + timedelta(days=1), time.min, tz),
    )
    totals = checkins.aggregate(
        contacts=Count("pk"),
        participants=Count("participant", distinct=True),
        new_participants=Count("participant", distinct=True, filter=new),
        anonymous=Count("pk", filter=Q(participant__isnull=True)),
        follow_ups_done=Count("pk", filter=Q(follow_up_done_at__isnull=False)),
    )
    totals.update(scope.reversals().aggregate(
        overdoses_reversed=Count("pk"), naloxone_used=Sum("naloxone_doses", default=0),
    ))
    by_method = list(
        checkins.values("method__name").annotate(count=Count("pk")).order_by("-count", "method__name")
    )
    supplies = list(
        SupplyGiven.objects.filter(checkin__in=checkins)
        .filter(count__gt=0)
        .values("item__name", "item__order")
        .annotate(count=Sum("count"))
        .order_by("item__order", "item__name")
    )
    # Naloxone first: the figure funders and the community ask about.
    supplies.sort(key=lambda row: row["item__name"] != NALOXONE)
    daily = checkins.values("happened_on").annotate(count=Count("pk")).order_by()
    referrals = Referral.objects.filter(checkin__in=checkins)
    by_status = dict(referrals.values_list("status").annotate(count=Count("pk")).order_by())
    return {
        "totals": totals,
        "by_method": [(row["method__name"], row["count"]) for row in by_method],
        "supplies": [(row["item__name"], row["count"]) for row in supplies],
        "weekly": _weeks(scope, daily),
        "referrals": [(str(label), by_status.get(value, 0)) for value, label in Referral.Status.choices],
        "referral_funnel": referral_funnel(referrals),
    }


def _reached(statuses) -> Q:
    """A referral that got this far at some point: its status now, or a line of its history."""
    return Q(status__in=statuses) | Q(changes__status__in=statuses)


FUNNEL = {
    "offered": Count("pk", distinct=True),
    "accepted": Count("pk", distinct=True, filter=_reached(Referral.REACHED_ACCEPTED)),
    "connected": Count("pk", distinct=True, filter=_reached(Referral.REACHED_CONNECTED)),
    "engaged": Count("pk", distinct=True, filter=_reached([Referral.Status.ENGAGED])),
}


def referral_funnel(referrals) -> list[dict]:
    """Per top-level kind of service, then for all kinds: offered, accepted, connected, engaged,
    the connection rate and the median days to connection (docs/checkins.md, "Referrals").

    Two queries whatever the data, per kind and overall, each grouped by the
    days to connection as well: a referral has one such value (or none), so the
    groups split the referrals and their counts add up to the kind's, and the
    connected groups are the histogram whose median Python reads. At most
    kinds × distinct days rows.
    """
    top_kind = Q(service__terms__facet="kind", service__terms__parent__isnull=True)
    kind = "service__terms__name"
    per_kind: dict[str, list[dict]] = {}
    for row in referrals.filter(top_kind).values(kind, "days_to_connect").annotate(**FUNNEL).order_by(kind):
        per_kind.setdefault(row[kind], []).append(row)
    result = [_funnel_row(name, rows) for name, rows in per_kind.items()]
    overall = list(referrals.values("days_to_connect").annotate(**FUNNEL).order_by())
    if overall:
        result.append(_funnel_row(str(_("All kinds")), overall, total=True))
    return result


def _funnel_row(kind: str, groups: list[dict], total: bool = False) -> dict:
    counts = {key: sum(group[key] for group in groups) for key in FUNNEL}
    days = {group["days_to_connect"]: group["offered"] for group in groups if group["days_to_connect"] is not None}
    offered = counts["offered"]
    return {
        "kind": kind, "total": total, **counts,
        # Of those offered, the share that connected, in whole percent.
        "connection_rate": round(100 * counts["connected"] / offered) if offered else None,
        "median_days": median_of_counts(days),
    }


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}: the middle one, or the mean of the two."""
    n = sum(counts.values())
    if not n:
        return None
    found, seen = [], 0
    middle = sorted({(n - 1) // 2, n // 2})  # positions in the sorted values
    for value in sorted(counts):
        found += [value for position in middle if seen <= position < seen + counts[value]]
        seen += counts[value]
    median = sum(found) / len(found)
    return int(median) if median == int(median) else median


def cached_figures(scope: Scope) -> dict:
    """`figures`, kept for DASHBOARD_CACHE_SECONDS (default 60) per scope.

    Over a whole organization's year the aggregates take a noticeable fraction
    of a second; a supervisor reloading the page does not need them to the
    second. The page says how old they are; exports always count afresh.

    The figures hold words (status labels, "All kinds", week labels) in the
    language they were counted in: one copy per language, so a supervisor
    reading Spanish never gets the English copy another just made.
    """
    teams = "all" if scope.teams is None else ",".join(str(t.pk) for t in scope.teams)
    key = f"dashboard:{get_language()}:{scope.start}:{scope.end}:{teams}:{scope.program_id}"
    data = cache.get(key)
    if data is None:
        data = figures(scope)
        data["as_of"] = timezone.now()
        cache.set(key, data, getattr(settings, "DASHBOARD_CACHE_SECONDS", 60))
    return data


def _weeks(scope: Scope, daily) -> list[tuple[str, int]]:
    """Contacts per week (Monday first) across the range, 0 where there were none: a gap is a figure too."""
    counts: dict[date, int] = {}
    for row in daily:
        monday = row["happened_on"] - timedelta(days=row["happened_on"].weekday())
        counts[monday] = counts.get(monday, 0) + row["count"]
    monday = scope.start - timedelta(days=scope.start.weekday())
    # A week's label is short (the chart's columns are narrow), in the reader's
    # language: the shape itself is translated ("M j" is "Sep 29", "j b" is "29 sept").
    shape = pgettext("date shape of a week's label on the dashboard chart (Django date format)", "M j")
    weeks = []
    while monday <= scope.end:
        weeks.append((dateformat.format(monday, shape), counts.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def suppress(value) -> str:
    """Counts above 0 and under REPORT_SMALL_CELL_THRESHOLD (11) become "<11" in exports
    while SMALL_COUNT_SUPPRESSION is on (public health practice: a small count can point at a person)."""
    threshold = getattr(settings, "REPORT_SMALL_CELL_THRESHOLD", 11)
    if (getattr(settings, "SMALL_COUNT_SUPPRESSION", True) and isinstance(value, int)
            and not isinstance(value, bool) and 0 < value < threshold):
        return f"<{threshold}"
    return str(value)
