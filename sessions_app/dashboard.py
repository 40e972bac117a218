"""Program figures: what the program did in a date range, as aggregate queries.

Every figure is one query over the check-ins in scope (the supervisor's teams,
or the whole organization), so the number of queries does not grow with the data.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone

from harmreduction.models import Team
from sessions_app.models import CheckIn, OverdoseReversal, Referral, SupplyGiven

NALOXONE = "Naloxone kits"


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
    # By the top-level kind of the service (syringe services, MAT / MOUD, ...).
    by_kind: dict[str, dict[str, int]] = {}
    for row in (
        referrals.filter(service__terms__facet="kind", service__terms__parent__isnull=True)
        .values("service__terms__name", "status").annotate(count=Count("pk")).order_by("service__terms__name")
    ):
        by_kind.setdefault(row["service__terms__name"], {})[row["status"]] = row["count"]
    return {
        "totals": totals,
        "by_method": [(row["method__name"], row["count"]) for row in by_method],
        "supplies": [(row["item__name"], row["count"]) for row in supplies],
        "weekly": _weeks(scope, daily),
        "referrals": [(label, by_status.get(value, 0)) for value, label in Referral.Status.choices],
        "referrals_by_kind": [
            (kind, [counts.get(value, 0) for value in Referral.Status.values]) for kind, counts in by_kind.items()
        ],
    }


def cached_figures(scope: Scope) -> dict:
    """`figures`, kept for DASHBOARD_CACHE_SECONDS (default 60) per scope.

    Over a whole organization's year the aggregates take a noticeable fraction
    of a second; a supervisor reloading the page does not need them to the
    second. The page says how old they are; exports always count afresh.
    """
    teams = "all" if scope.teams is None else ",".join(str(t.pk) for t in scope.teams)
    key = f"dashboard:{scope.start}:{scope.end}:{teams}:{scope.program_id}"
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
    weeks = []
    while monday <= scope.end:
        weeks.append((monday.strftime("%b %-d"), counts.get(monday, 0)))
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
