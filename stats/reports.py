"""The period report to the Education Department: for a month, a quarter or a year, the
children in care at the start and at the end, admitted (by age at admission, by sex, by
crisis reason), left (by outcome), the length of the stays ended, weekly visit
compliance and the follow-ups due. Counts only: no name, no personal data leaves.

A period that ends before the portal's first record has "no records", never zeros."""

import calendar
import datetime
import statistics
from collections import Counter

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import months_between_dates
from families.models import Sex
from placements.models import Placement
from stats import family_work
from stats.indicators import Period, compute

# The home takes children from birth to 4: their age on the day of admission.
AGE_BANDS = [
    (0, _("under 1 year")),
    (1, _("1 year")),
    (2, _("2 years")),
    (3, _("3 years and older")),
]
QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def period_of(year: int, part: str) -> Period:
    """The year (part ""), a quarter ("q1"…"q4") or a month ("1"…"12") of `year`."""
    if not part:
        return Period.year_of(year)
    if part.startswith("q"):
        first, last = QUARTERS[int(part[1:])]
    else:
        first = last = int(part)
    end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    return Period(datetime.date(year, first, 1), end)


def first_record() -> datetime.date | None:
    return Placement.objects.aggregate(first=Min("admitted_on"))["first"]


def compute_report(period: Period, today: datetime.date) -> dict | None:
    """Every figure of the report, or None when the period ends before the first record."""
    first = first_record()
    if first is None or period.end < first:
        return None
    start, end = period.start, min(period.end, today)
    data = compute(period, today)
    open_at_start = Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    open_after_end = Q(closed_on__isnull=True) | Q(closed_on__gt=end)
    in_care = Placement.objects.aggregate(
        at_start=Count("pk", filter=Q(admitted_on__lt=start) & open_at_start),
        at_end=Count("pk", filter=Q(admitted_on__lte=end) & open_after_end),
    )
    admitted = Placement.objects.filter(admitted_on__gte=start, admitted_on__lte=end)
    ages: Counter[int] = Counter()
    sexes: Counter[str] = Counter()
    for admitted_on, born, sex in admitted.values_list(
        "admitted_on", "child__date_of_birth", "child__sex"
    ):
        ages[min(months_between_dates(born, admitted_on) // 12, AGE_BANDS[-1][0])] += 1
        sexes[sex] += 1
    reasons = dict(admitted.values_list("crisis_reason").annotate(n=Count("pk")))
    stays = [
        (closed - admitted_on).days
        for admitted_on, closed in Placement.objects.closed()
        .filter(closed_on__gte=start, closed_on__lte=end)
        .values_list("admitted_on", "closed_on")
    ]
    return {
        "period": period,
        "data": data,
        "in_care_at_start": in_care["at_start"],
        "in_care_at_end": in_care["at_end"],
        "by_age": [(label, ages.get(band, 0)) for band, label in AGE_BANDS],
        "by_sex": [(label, sexes.get(value, 0)) for value, label in Sex.choices],
        "by_reason": [
            (label, reasons.get(value, 0)) for value, label in Placement.CrisisReason.choices
        ],
        "average_stay": round(statistics.mean(stays), 1) if stays else None,
    }


def report_tables(report) -> list[tuple[str, object, list]]:
    """The report as (id, title, rows of (label, value)), the same for the page and the
    workbook."""
    data = report["data"]
    counts, follow_ups = data["counts"], data["follow_ups"]
    return [
        ("movement", _("Children in care and their movement"), [
            (_("in care at the start of the period"), report["in_care_at_start"]),
            (_("admitted in the period"), counts["opened"]),
            (_("left in the period"), counts["closed"]),
            (_("in care at the end of the period"), report["in_care_at_end"]),
        ]),
        ("outcomes", _("Left, by outcome"), [(label, n) for _v, label, n in data["outcomes"]]),
        ("ages", _("Admitted, by age on admission"), report["by_age"]),
        ("sexes", _("Admitted, by sex"), report["by_sex"]),
        ("reasons", _("Admitted, by crisis reason"), report["by_reason"]),
        ("stays", _("Length of the stays ended, days"), [
            (_("average"), report["average_stay"]),
            (_("median"), data["median_stay"]),
        ]),
        ("visits", _("Parents' visits"), [
            (_("weekly visit compliance, %"), data["visits"]["compliance"]),
            (_("full weeks in care"), data["visits"]["weeks"]),
            (_("of them with a visit"), data["visits"]["visited_weeks"]),
        ]),
        ("family_work", _("Work with the family"), family_work.table(data["family_work"])),
        ("referrals", _("Referrals to services sent in the period, by service"), [
            (label, sent) for label, sent, *_answers in data["family_work"]["referrals"]
        ]),
        ("follow_ups", _("Follow-ups after the return, due in the period"), [
            (_("follow-ups due"), follow_ups["due"]),
            (_("done on time"), follow_ups["on_time"]),
            (_("done late"), follow_ups["late"]),
            (_("missed"), follow_ups["missed"]),
            (_("still open"), follow_ups["open"]),
        ]),
    ]  # fmt: skip
