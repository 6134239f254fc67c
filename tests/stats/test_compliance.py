"""Issue 20, goal 4: the weekly visit compliance, counted by the database from the weeks
with a visit the visit services keep, equals the one worked out week by week from the
visits themselves, on random data over several periods."""

import collections
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from placements import services
from placements.models import Placement, Visit
from stats import indicators

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def worked_out_by_hand(start, end, today):
    """Every full week of every placement in care, one by one, and whether a visit
    fell on one of its days."""
    end = min(end, today)
    last_day = min(end, today - DAY)
    days = collections.defaultdict(set)
    for placement_id, at in Visit.objects.values_list("placement_id", "visited_at"):
        days[placement_id].add(timezone.localtime(at).date())
    bands = dict.fromkeys(["none", "under_half", "half_or_more", "all"], 0)
    in_care = weeks = visited = 0
    for placement in Placement.objects.all():
        if placement.admitted_on > end or (placement.closed_on or end) < start:
            continue
        in_care += 1
        first = max(placement.admitted_on, start)
        last = min(placement.closed_on or last_day, last_day)
        monday = first + (-first.weekday() % 7) * DAY
        mondays = []
        while monday + 6 * DAY <= last:
            mondays.append(monday)
            monday += 7 * DAY
        if not mondays:
            continue
        seen = sum(any(m + i * DAY in days[placement.pk] for i in range(7)) for m in mondays)
        weeks += len(mondays)
        visited += seen
        if seen == 0:
            bands["none"] += 1
        elif seen == len(mondays):
            bands["all"] += 1
        else:
            bands["under_half" if 2 * seen < len(mondays) else "half_or_more"] += 1
    return in_care, weeks, visited, bands


@pytest.fixture
def random_caseload(make_placement, social_worker, administrator):
    with open("/dev/null", "w") as quiet:
        call_command("seed_synthetic", "--placements", "80", "--years", "3", stdout=quiet)
    # Edge cases: a stay within one week, visited (its one week cut at both ends); one
    # from a Monday to a Sunday, visited on both.
    today = timezone.localdate()
    monday = today - (today.weekday() + 21) * DAY
    for admitted, closed, visits in [
        (monday + DAY, monday + 4 * DAY, [monday + 2 * DAY]),
        (monday - 7 * DAY, monday + 6 * DAY, [monday - 7 * DAY, monday + 6 * DAY]),
    ]:
        placement = make_placement(admitted_on=admitted)
        for day in visits:
            services.visit_record(
                placement=placement,
                parent=placement.child.parents.get(),
                visited_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23))),
                duration_minutes=30,
                by=social_worker,
            )
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=closed, by=administrator
        )
    return today


def test_the_counted_compliance_equals_the_one_worked_out_week_by_week(random_caseload):
    today = random_caseload
    periods = [
        indicators.Period.last_12_months(today),
        *(indicators.Period.year_of(today.year - i) for i in range(3)),
        indicators.Period(today - 40 * DAY, today - 30 * DAY),  # ten days
        indicators.Period(today - 3 * DAY, today),  # no full week yet
    ]
    assert Visit.objects.count() > 500
    for period in periods:
        found = indicators.compute(period, today)
        in_care, weeks, visited, bands = worked_out_by_hand(period.start, period.end, today)

        assert found["in_care"] == in_care, period
        assert (found["visits"]["weeks"], found["visits"]["visited_weeks"]) == (weeks, visited)
        assert {band: n for band, _label, n in found["visits"]["bands"]} == bands, period
        assert found["visits"]["placements"] == sum(bands.values())
