"""The funder report: what funders and the national SSP survey count, for a quarter or a range.

Per program and team: encounters, unduplicated participants, new participants;
for the whole scope: supplies per item in its unit (split by funding source),
naloxone doses, overdose reversals reported, referrals by kind and status.
Every figure is an aggregate query, so the number of queries does not grow with
the data (tests/sessions_app/test_funder_report.py pins it). The definitions
shown on the page are in DEFINITIONS; docs/checkins.md gives their sources.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from sessions_app.dashboard import Scope
from sessions_app.models import OverdoseReversal, Referral, SupplyGiven

# The referral status county opioid-settlement reports call "engaged". Counted
# when Referral.Status has it; every status there gets its own column anyway,
# so a new status is one line in Referral.Status and nothing here.
ENGAGED = "engaged"

# (key, label) of the figures per program and team, in the order shown.
PEOPLE = [
    ("encounters", _("Encounters")),
    ("participants", _("Unduplicated participants")),
    ("new_participants", _("New participants")),
    ("anonymous", _("Anonymous contacts")),
]

DEFINITIONS = [
    (_("Encounters"), _(
        "Every check-in in the period: one contact between a peer and a person, named by their code or "
        "anonymous.")),
    (_("Unduplicated participants"), _(
        "Each participant (a code) once in the period, however many times and by however many peers or "
        "teams they were met. In a row for one team or program, a person met by two teams is counted "
        "in each team's row, and once in the total. Anonymous contacts are counted as encounters only, "
        "never as participants.")),
    (_("New participants"), _(
        "Participants first given a code in the period and met in it.")),
    (_("Supplies distributed"), _(
        "What peers handed out, counted as the peer counts it (kits, packs) and in the unit funders "
        "count (doses, strips, syringes): a naloxone kit with two doses counts two doses.")),
    (_("Supplies collected"), _(
        "Used supplies people brought back to us for disposal (syringes), counted at check-ins.")),
    (_("Naloxone doses distributed"), _(
        "The doses in every naloxone item handed out (units per handout × handouts).")),
    (_("Overdose reversals reported"), _(
        "Overdoses a participant told a peer they reversed, counted on the day they told us (at a "
        "check-in or on their page), whenever the overdose happened. Told outside a check-in, a "
        "reversal belongs to no program.")),
    (_("Referrals"), _(
        "Services from the directory offered at a check-in in the period, by the top-level kind of "
        "service and by where each referral stands now.")),
]


@dataclass
class Report:
    scope: Scope
    left_out: list = field(default_factory=list)  # funding sources whose items are not counted
    total: dict = field(default_factory=dict)
    by_program: list = field(default_factory=list)
    by_team: list = field(default_factory=list)
    by_program_and_team: list = field(default_factory=list)
    supplies: list = field(default_factory=list)  # [(funding source name, [item rows])]
    naloxone_doses: int = 0
    naloxone_kits: int = 0
    reversals: dict = field(default_factory=dict)
    reversal_outcomes: list = field(default_factory=list)
    referral_statuses: list = field(default_factory=list)  # [(value, label)]
    referrals_by_kind: list = field(default_factory=list)  # [(kind, [count per status], total)]
    referral_totals: list = field(default_factory=list)
    engaged: int | None = None


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def recent_quarters(today: date, count: int = 8) -> list[tuple[str, str]]:
    """("2026-Q3", "July to September 2026") for this quarter and the ones before it, newest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    # A month's short name, in the reader's language and case ("Jul", "jul").
    shape = pgettext("date shape of a month in a quarter's name (Django date format)", "M")
    choices = []
    for _i in range(count):
        start, end = quarter_range(year, quarter)
        months = {"first": dateformat.format(start, shape), "last": dateformat.format(end, shape)}
        label = _("Q%(quarter)s %(year)s (%(first)s – %(last)s)") % {"quarter": quarter, "year": year, **months}
        choices.append((f"{year}-Q{quarter}", label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


def build(scope: Scope, left_out=()) -> Report:
    report = Report(scope=scope, left_out=list(left_out))
    checkins = scope.checkins()
    tz = timezone.get_current_timezone()
    new = Q(
        participant__created_at__gte=datetime.combine(scope.start, time.min, tz),
        participant__created_at__lt=datetime.combine(scope.end + timedelta(days=1), time.min, tz),
    )
    people = {
        "encounters": Count("pk"),
        "participants": Count("participant", distinct=True),
        "new_participants": Count("participant", distinct=True, filter=new),
        "anonymous": Count("pk", filter=Q(participant__isnull=True)),
    }
    # Unduplicated counts cannot be summed from smaller groups: each grouping is its own query.
    report.total = checkins.aggregate(**people)
    report.by_program = list(
        checkins.values("program__name").annotate(**people).order_by("program__name"))
    report.by_team = list(
        checkins.values("peer__team__name").annotate(**people).order_by("peer__team__name"))
    report.by_program_and_team = list(
        checkins.values("program__name", "peer__team__name").annotate(**people)
        .order_by("program__name", "peer__team__name"))

    # The figures in PEOPLE's order, for the page's table.
    for row in [report.total, *report.by_program, *report.by_team, *report.by_program_and_team]:
        row["values"] = [row[key] for key, _label in PEOPLE]

    supplies = SupplyGiven.objects.filter(checkin__in=checkins)
    if report.left_out:
        supplies = supplies.exclude(item__funding_source__in=report.left_out)
    by_funder: dict[str, list] = {}
    for row in (
        supplies.values("item__name", "item__order", "item__handed_out_as", "item__unit",
                        "item__units_per_handout", "item__naloxone", "item__collected",
                        "item__funding_source__name")
        .annotate(handouts=Sum("count"), collected=Sum("collected"))
        .order_by("item__funding_source__name", "item__order", "item__name")
    ):
        per = row["item__units_per_handout"]
        item = {
            "name": row["item__name"], "handed_out_as": row["item__handed_out_as"], "unit": row["item__unit"],
            "units_per_handout": per, "handouts": row["handouts"], "units": row["handouts"] * per,
            "collected": row["collected"] if row["item__collected"] or row["collected"] else None,
        }
        by_funder.setdefault(row["item__funding_source__name"] or "", []).append(item)
        if row["item__naloxone"]:
            report.naloxone_kits += row["handouts"]
            report.naloxone_doses += row["handouts"] * per
    report.supplies = sorted(by_funder.items(), key=lambda pair: (pair[0] == "", pair[0]))

    reversals = scope.reversals()
    report.reversals = reversals.aggregate(
        reported=Count("pk"),
        naloxone_doses=Sum("naloxone_doses", default=0),
        ems_called=Count("pk", filter=Q(ems_called=True)),
    )
    outcomes = dict(reversals.values_list("outcome").annotate(count=Count("pk")).order_by())
    report.reversal_outcomes = [(label, outcomes.get(value, 0)) for value, label in OverdoseReversal.Outcome.choices]

    referrals = Referral.objects.filter(checkin__in=checkins)
    report.referral_statuses = list(Referral.Status.choices)
    values = [value for value, _label in report.referral_statuses]
    by_status = dict(referrals.values_list("status").annotate(count=Count("pk")).order_by())
    report.referral_totals = [by_status.get(value, 0) for value in values]
    if ENGAGED in values:
        report.engaged = by_status.get(ENGAGED, 0)
    by_kind: dict[str, dict[str, int]] = {}
    for row in (
        referrals.filter(service__terms__facet="kind", service__terms__parent__isnull=True)
        .values("service__terms__name", "status").annotate(count=Count("pk")).order_by("service__terms__name")
    ):
        by_kind.setdefault(row["service__terms__name"], {})[row["status"]] = row["count"]
    report.referrals_by_kind = [
        (kind, [counts.get(value, 0) for value in values], sum(counts.values())) for kind, counts in by_kind.items()
    ]
    return report


def csv_rows(report: Report, suppress) -> list[list]:
    """The report as rows of (section, program, team, measure, unit, value); counts through `suppress`.

    Every word is in the reader's language (docs/checkins.md, "The funder report"); the columns
    and the order of the rows are the same in every language.
    """
    word = {
        "range": pgettext("funder report CSV", "range"),
        "no program": pgettext("funder report CSV", "No program"),
        "no team": pgettext("funder report CSV", "No team"),
        "no funder": pgettext("funder report CSV", "No funding source"),
        "distributed": pgettext("funder report CSV", "supplies distributed"),
        "collected": pgettext("funder report CSV", "supplies collected"),
        "doses": pgettext("funder report CSV", "doses"),
        "reversals": pgettext("funder report CSV", "reversals"),
        "overdose reversals": pgettext("funder report CSV", "overdose reversals"),
        "referrals": pgettext("funder report CSV", "referrals"),
    }
    s = report.scope
    rows = [
        [word["range"], "", "", pgettext("funder report CSV", "from"), "", s.start.isoformat()],
        [word["range"], "", "", pgettext("funder report CSV", "to"), "", s.end.isoformat()],
    ]
    for source in report.left_out:
        rows.append([pgettext("funder report CSV", "left out"), "", "",
                     pgettext("funder report CSV", "funding source"), "", source.name])
    no_program, no_team = word["no program"], word["no team"]
    groups = [(pgettext("funder report CSV", "all"), None, None, report.total)]
    groups += [(pgettext("funder report CSV", "by program"), r["program__name"] or no_program, "", r)
               for r in report.by_program]
    groups += [(pgettext("funder report CSV", "by team"), "", r["peer__team__name"] or no_team, r)
               for r in report.by_team]
    groups += [(pgettext("funder report CSV", "by program and team"), r["program__name"] or no_program,
                r["peer__team__name"] or no_team, r) for r in report.by_program_and_team]
    contacts, people = pgettext("funder report CSV", "contacts"), pgettext("funder report CSV", "people")
    for section, program, team, row in groups:
        for key, label in PEOPLE:
            unit = contacts if key in ("encounters", "anonymous") else people
            rows.append([section, program or "", team or "", str(label), unit, suppress(row[key])])
    for funder, items in report.supplies:
        source = funder or word["no funder"]
        for item in items:
            rows.append([word["distributed"], source, "", item["name"], item["handed_out_as"],
                         suppress(item["handouts"])])
            rows.append([word["distributed"], source, "", item["name"], item["unit"], suppress(item["units"])])
            if item["collected"] is not None:
                rows.append([word["collected"], source, "", item["name"], item["unit"], suppress(item["collected"])])
    rows.append([pgettext("funder report CSV", "naloxone"), "", "",
                 pgettext("funder report CSV", "naloxone doses distributed"), word["doses"],
                 suppress(report.naloxone_doses)])
    section, reversals = word["overdose reversals"], word["reversals"]
    rows.append([section, "", "", pgettext("funder report CSV", "reported"), reversals,
                 suppress(report.reversals["reported"])])
    rows.append([section, "", "", pgettext("funder report CSV", "naloxone doses used"), word["doses"],
                 suppress(report.reversals["naloxone_doses"])])
    rows.append([section, "", "", pgettext("funder report CSV", "911 / EMS called"), reversals,
                 suppress(report.reversals["ems_called"])])
    for label, count in report.reversal_outcomes:
        outcome = pgettext("funder report CSV", "outcome: %(outcome)s") % {"outcome": label}
        rows.append([section, "", "", outcome, reversals, suppress(count)])
    section = unit = word["referrals"]
    all_kinds = pgettext("funder report CSV", "all kinds")
    for (_value, label), count in zip(report.referral_statuses, report.referral_totals, strict=True):
        rows.append([section, all_kinds, "", str(label), unit, suppress(count)])
    for kind, counts, _total in report.referrals_by_kind:
        for (_value, label), count in zip(report.referral_statuses, counts, strict=True):
            rows.append([section, kind, "", str(label), unit, suppress(count)])
    return rows


def csv_header() -> list[str]:
    """The CSV's first row, in the reader's language; the columns of csv_rows, in their order."""
    return [pgettext("funder report CSV", "section"), pgettext("funder report CSV", "program or funder"),
            pgettext("funder report CSV", "team"), pgettext("funder report CSV", "measure"),
            pgettext("funder report CSV", "unit"), pgettext("funder report CSV", "value")]
