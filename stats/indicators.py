"""The unit's indicators for a period, computed by the database with a fixed number of
queries whatever the amount of data. Each has a definition (DEFINITIONS), shown beside
it on the page and in the README. Counts only: no name, no personal data."""

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, DurationField, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import add_months
from crisisunit.lib.text import interpolate_lazy
from placements.kept import kept as keep
from placements.models import Consultation, FollowUp, Placement, TermExtension
from placements.models.placement_queries import came_back_into_care
from stats import compliance, family_work

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
DEFINITIONS["family_work"] = family_work.DEFINITION
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
    histograms: dict[Any, Any] = {}
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
    """Placements closed from the first of `years` to the last: a range of dates, which
    the index on the closing date serves; the callers count by year, so a year in a gap
    between them is counted and not shown (a filter on the years themselves, which the
    planner cannot estimate, made it sort instead of hash)."""
    return Q(
        closed_on__gte=datetime.date(min(years), 1, 1),
        closed_on__lte=datetime.date(max(years), 12, 31),
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
    counts = Placement.objects.filter(opened_in | closed_in).aggregate(
        opened=Count("pk", filter=opened_in),
        closed=Count("pk", filter=closed_in),
        returned=Count("pk", filter=returned_in),
        extended=Count("pk", filter=closed_in & Q(extended)),
        reentered=Count("pk", filter=returned_in & Q(came_back_into_care())),
    )
    outcomes = dict(
        Placement.objects.filter(closed_in)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    stays = percentile_stays(Placement.objects.filter(closed_in), [0.5, 0.9])
    placements_in_care = Placement.objects.filter(admitted_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    # Weeks end yesterday at the latest: today's week is not over.
    by_band = compliance.bands(
        placements_in_care, start, min(end, today - datetime.timedelta(days=1))
    )
    in_care = sum(n for n, _weeks, _visited in by_band.values())
    visits = _visit_compliance(by_band)
    consultations = dict(
        Consultation.objects.filter(held_on__gte=start, held_on__lte=end)
        .order_by()
        .values_list("specialist")
        .annotate(n=Count("held_on"))  # not the key: the index on (day, specialist) answers
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
        "in_care": in_care,
        "visits": visits,
        "consultations": [
            (
                value,
                label,
                consultations.get(value, 0),
                round(consultations.get(value, 0) / in_care, 2) if in_care else None,
            )
            for value, label in Consultation.Specialist.choices
        ],
        "consultations_total": sum(consultations.values()),
        "follow_ups": _follow_ups(start, end),
        "family_work": family_work.compute(start, end, today),
    }


def _visit_compliance(by_band):
    counted = {band: by_band.get(band, (0, 0, 0)) for band, _label in COMPLIANCE_BANDS}
    weeks = sum(weeks for _n, weeks, _visited in counted.values())
    visited = sum(visited for _n, _weeks, visited in counted.values())
    return {
        "weeks": weeks,
        "visited_weeks": visited,
        "compliance": share(visited, weeks),
        "placements": sum(n for n, _weeks, _visited in counted.values()),
        "bands": [(band, label, counted[band][0]) for band, label in COMPLIANCE_BANDS],
    }


def _follow_ups(start, end):
    grace = datetime.timedelta(days=settings.FOLLOW_UP_GRACE_DAYS)
    due = FollowUp.objects.filter(due_on__gte=start, due_on__lte=end)
    done = Q(done_on__isnull=False)
    # Counting the due date, not the key: the index on it answers alone.
    counts = due.aggregate(
        due=Count("due_on"),
        on_time=Count("due_on", filter=done & Q(done_on__lte=F("due_on") + grace)),
        late=Count("due_on", filter=done & Q(done_on__gt=F("due_on") + grace)),
        missed=Count("due_on", filter=~Q(missed_reason="")),
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
    by_year: dict[Any, Any] = {}
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
