"""The unit's indicators for a period, computed by the database with a fixed number of
queries whatever the amount of data. Each has a definition (DEFINITIONS), shown beside
it on the page and in the README. Counts only: no name, no personal data."""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, DateField, DurationField, F, OuterRef, Q
from django.db.models.functions import ExtractYear, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import add_months, start_of_day, week_start
from crisisunit.lib.text import interpolate_lazy
from placements.kept import kept as keep
from placements.models import Consultation, FollowUp, Placement, TermExtension, Visit

DEFINITIONS = {
    "flow": _(
        "Placements opened: admitted in the period. Closed: closed in the period, by "
        "outcome. Share returned home: closed with the child returned to the biological "
        "family, out of all closed in the period."
    ),
    "stay": _(
        "Length of stay: days from admission to closing, for placements closed in the "
        "period. Median and 90th percentile by nearest rank. Extended: placements closed "
        "in the period whose term was extended at least once."
    ),
    "outcomes": _(
        "Outcomes: the placements closed in the period, by how the stay ended; the share "
        "returned home is of all of them."
    ),
    "visits": _(
        "Weekly visit compliance: of the full weeks (Monday to Sunday) a child spent in "
        "care within the period, the share with at least one parent visit. A week cut by "
        "the admission, the closing, the period's edges or today is not counted."
    ),
    "consultations": _(
        "Consultations held in the period, by specialist, divided by the placements in "
        "care at any time in the period."
    ),
    "reentry": interpolate_lazy(
        _(
            "Re-entry: children who went home in the period and came back into care within "
            "%(months)s months of that return, out of all who went home in the period. "
            "Returns less than %(months)s months ago may still re-enter."
        ),
        months=lambda: settings.REENTRY_MONTHS,
    ),
}
# The placements by their share of full weeks with a visit (see weekly_compliance).
COMPLIANCE_BANDS = [
    ("none", _("no visit in any full week")),
    ("under_half", _("under half of the weeks")),
    ("half_or_more", _("half or more, not all")),
    ("all", _("every week")),
]


@dataclass
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    year: int | None = None

    @classmethod
    def year_of(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), year)

    @classmethod
    def last_12_months(cls, today):
        return cls(add_months(today, -12) + datetime.timedelta(days=1), today)


def share(part, whole):
    """A percentage rounded to one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def stay_expression():
    return models.ExpressionWrapper(F("closed_on") - F("admitted_on"), output_field=DurationField())


def percentile_stays(placements, fractions, partition=None):
    """{(partition value, fraction): days}: the nearest-rank percentile of the length
    of stay of `placements` (closed ones), per value of `partition` (an expression) or
    over all (partition value None). One query: how many stays of each length, per
    partition (a few hundred rows where there are tens of thousands of stays)."""
    group = partition if partition is not None else models.Value(None, models.IntegerField())
    counts = (
        placements.order_by()
        .annotate(group=group, stay=stay_expression())
        .values_list("group", "stay")
        .annotate(n=Count("pk"))
    )
    histograms = {}
    for value, stay, n in counts:
        histograms.setdefault(value, []).append((stay.days, n))
    found = {}
    for value, histogram in histograms.items():
        histogram.sort()
        total = sum(n for _days, n in histogram)
        for fraction in fractions:
            rank, seen = max(1, math.ceil(total * fraction)), 0
            for days, n in histogram:
                seen += n
                if seen >= rank:
                    found[(value, fraction)] = days
                    break
    return found


def in_years(years):
    """Placements closed in one of `years`: a range of dates, which the index on the
    closing date serves, then the years themselves."""
    return Q(closed_on__gte=datetime.date(min(years), 1, 1)) & Q(
        closed_on__lte=datetime.date(max(years), 12, 31), closed_on__year__in=years
    )


# The longest computed indicators are shown: what changes outside the services shows
# within this time.
KEPT_SECONDS = 10 * 60


def kept(period: Period, today: datetime.date):
    """compute(), kept in the shared cache under the version of the case records
    (placements/kept.py): seeing the page again, switching language or downloading its
    tables one by one computes nothing until a record changes."""
    parts = [period.start, period.end, today]
    return keep("indicators", parts, KEPT_SECONDS, lambda: compute(period, today))


def compute(period: Period, today: datetime.date):
    """Every indicator for `period`, as plain numbers for the page and the CSV files."""
    start, end = period.start, min(period.end, today)
    opened_in = Q(admitted_on__gte=start, admitted_on__lte=end)
    closed_in = Q(status=Placement.Status.CLOSED, closed_on__gte=start, closed_on__lte=end)
    returned_in = closed_in & Q(outcome=Placement.Outcome.RETURNED)
    extended = models.Exists(TermExtension.objects.filter(placement=OuterRef("pk")))
    came_back = Placement.objects.returned_then_back_in_care().filter(pk=OuterRef("pk"))
    counts = Placement.objects.filter(opened_in | closed_in).aggregate(
        opened=Count("pk", filter=opened_in),
        closed=Count("pk", filter=closed_in),
        returned=Count("pk", filter=returned_in),
        extended=Count("pk", filter=closed_in & Q(extended)),
        reentered=Count("pk", filter=returned_in & Q(models.Exists(came_back))),
    )
    outcomes = dict(
        Placement.objects.filter(closed_in)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    stays = percentile_stays(Placement.objects.filter(closed_in), [0.5, 0.9])
    in_care = list(
        Placement.objects.filter(admitted_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values_list("pk", "admitted_on", "closed_on")
    )
    visits = _visit_compliance(in_care, start, end, today)
    consultations = dict(
        Consultation.objects.filter(held_on__gte=start, held_on__lte=end)
        .values_list("specialist")
        .annotate(n=Count("pk"))
        .values_list("specialist", "n")
    )
    return {
        "period": period,
        "counts": counts,
        "returned_share": share(counts["returned"], counts["closed"]),
        "extended_share": share(counts["extended"], counts["closed"]),
        "reentry_share": share(counts["reentered"], counts["returned"]),
        "outcomes": [
            (value, label, outcomes.get(value, 0)) for value, label in Placement.Outcome.choices
        ],
        "median_stay": stays.get((None, 0.5)),
        "p90_stay": stays.get((None, 0.9)),
        "in_care": len(in_care),
        "visits": visits,
        "consultations": [
            (
                value,
                label,
                consultations.get(value, 0),
                round(consultations.get(value, 0) / len(in_care), 2) if in_care else None,
            )
            for value, label in Consultation.Specialist.choices
        ],
        "consultations_total": sum(consultations.values()),
        "follow_ups": _follow_ups(start, end),
    }


def full_weeks(first: datetime.date, last: datetime.date):
    """The Monday of the first Monday-to-Sunday week that lies wholly from `first` to
    `last`, and how many such weeks there are (0 when none)."""
    monday = week_start(first)
    if monday < first:
        monday += datetime.timedelta(days=7)
    return monday, max(0, ((last - monday).days + 1) // 7)


def _visit_compliance(in_care, start, end, today):
    # The last day a week can end on: yesterday at the latest (today's week is not over).
    last_day = min(end, today - datetime.timedelta(days=1))
    period_monday, period_weeks = full_weeks(start, last_day)
    visited = _visited_weeks(period_monday, period_weeks) if period_weeks else {}
    total_weeks = total_visited = placements = 0
    bands = dict.fromkeys([band for band, _label in COMPLIANCE_BANDS], 0)
    for pk, admitted_on, closed_on in in_care:
        _first_monday, count = full_weeks(
            max(admitted_on, start), min(closed_on or last_day, last_day)
        )
        if not count:
            continue
        placements += 1
        total_weeks += count
        weeks = _full_weeks_visited(visited.get(pk), admitted_on, closed_on)
        total_visited += weeks
        if weeks == 0:
            band = "none"
        elif weeks == count:
            band = "all"
        else:
            band = "under_half" if 100 * weeks / count < 50 else "half_or_more"
        bands[band] += 1
    return {
        "weeks": total_weeks,
        "visited_weeks": total_visited,
        "compliance": share(total_visited, total_weeks),
        "placements": placements,
        "bands": [(band, label, bands[band]) for band, label in COMPLIANCE_BANDS],
    }


def _full_weeks_visited(found, admitted_on, closed_on):
    """Of a placement's weeks with a visit within the period's full weeks (`found`: how
    many, the first and the last), those wholly within its stay: a visit can only fall
    within the stay, so only the week of the admission and that of the closing may be
    cut, and only when they are the first or the last found."""
    if found is None:
        return 0
    weeks, first, last = found
    cut_first = first == week_start(admitted_on) and admitted_on.weekday() != 0
    cut_last = bool(closed_on) and last == week_start(closed_on) and closed_on.weekday() != 6
    if first == last:
        return 0 if cut_first or cut_last else weeks
    return weeks - cut_first - cut_last


def _visited_weeks(first_monday, weeks):
    """{placement pk: (weeks with at least one visit, the first one's Monday, the last
    one's)}, over the `weeks` full weeks from `first_monday`: counted by the database,
    one row per placement. The distinct (placement, week) pairs are grouped first (a
    hash table each; a COUNT(DISTINCT) made PostgreSQL sort every visit)."""
    tz = timezone.get_current_timezone()
    pairs = (
        # A range of instants, which the index on visited_at (placement included) serves
        # alone; a local-date lookup would convert every row first.
        Visit.objects.filter(
            visited_at__gte=start_of_day(first_monday),
            visited_at__lt=start_of_day(first_monday + datetime.timedelta(weeks=weeks)),
        )
        .annotate(week=TruncWeek("visited_at", output_field=DateField(), tzinfo=tz))
        .order_by()
        .values_list("placement_id", "week")
        .distinct()
    )
    inner, params = pairs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pairs.placement_id, COUNT(*), MIN(pairs.week), MAX(pairs.week)"  # noqa: S608
            f" FROM ({inner}) pairs GROUP BY pairs.placement_id",
            params,
        )
        return {pk: (n, _day(first), _day(last)) for pk, n, first, last in cursor.fetchall()}


def _day(value):
    """A date as the database gives it back outside the ORM (SQLite: text)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def _follow_ups(start, end):
    grace = datetime.timedelta(days=settings.FOLLOW_UP_GRACE_DAYS)
    due = FollowUp.objects.filter(due_on__gte=start, due_on__lte=end)
    done = Q(done_on__isnull=False)
    counts = due.aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=done & Q(done_on__lte=F("due_on") + grace)),
        late=Count("pk", filter=done & Q(done_on__gt=F("due_on") + grace)),
        missed=Count("pk", filter=~Q(missed_reason="")),
    )
    counts["open"] = counts["due"] - counts["on_time"] - counts["late"] - counts["missed"]
    counts["on_time_share"] = share(counts["on_time"], counts["due"] - counts["open"])
    return counts


def yearly_outcomes(years, small_cell, closed=None):
    """For each year: placements closed, the share returned home and the median length
    of stay, each hidden (None) when fewer than `small_cell` placements closed that
    year. Two queries, whatever the number of years; one when `closed` gives the
    placements closed by (year, crisis reason, outcome) (stats.figures.closed_by_year)."""
    if not years:
        return []
    placements = Placement.objects.closed().filter(in_years(years))
    if closed is None:
        rows = (
            placements.annotate(year=ExtractYear("closed_on"))
            .values_list("year", "crisis_reason", "outcome")
            .annotate(n=Count("pk"))
            .order_by()
        )
        closed = {(year, reason, outcome): n for year, reason, outcome, n in rows}
    by_year = {}
    for (year, _reason, outcome), n in closed.items():
        total, returned = by_year.get(year, (0, 0))
        by_year[year] = (total + n, returned + n * (outcome == Placement.Outcome.RETURNED))
    medians = percentile_stays(placements, [0.5], partition=ExtractYear("closed_on"))
    rows = []
    for year in years:
        n, returned = by_year.get(year, (0, 0))
        shown = n >= small_cell
        rows.append(
            {
                "year": year,
                "closed": n if shown else None,
                "returned_share": share(returned, n) if shown else None,
                "median_stay": medians.get((year, 0.5)) if shown else None,
                "hidden": not shown and n > 0,
            }
        )
    return rows
