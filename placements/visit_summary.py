"""What is derived from a placement's visits, kept by the visit services
(placements/services/records.py) so that lists and indicators need not read every visit:
its latest visit (Placement.last_visit_at) and its weeks with a visit (VisitWeek)."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from crisisunit.lib.dates import week_start
from placements.models import Placement, Visit, VisitWeek


def keep_visit_summary(placement_pks):
    """Keep what is derived from each placement's visits, after a visit is logged,
    corrected or loaded: `last_visit_at`, its latest visit, and its weeks with a visit
    (VisitWeek). Derived data, so no line of change history."""
    latest = (
        Visit.objects.filter(placement=OuterRef("pk")).order_by("-visited_at").values("visited_at")
    )
    pks = sorted(set(placement_pks))
    for first in range(0, len(pks), SUMMARY_BATCH):
        batch = pks[first : first + SUMMARY_BATCH]
        Placement.objects.filter(pk__in=batch).update(last_visit_at=Subquery(latest[:1]))
        VisitWeek.objects.filter(placement_id__in=batch).delete()
        visits = Visit.objects.filter(placement_id__in=batch).values_list(
            "placement_id", "visited_at"
        )
        weeks = visit_weeks(visits.order_by().iterator(chunk_size=10_000))
        VisitWeek.objects.bulk_create(
            [VisitWeek(placement_id=pk, week=week) for pk, week in weeks], batch_size=5000
        )


# Placements whose visit summary is kept in one go (a few thousand visits each time).
SUMMARY_BATCH = 500


def visit_weeks(visits):
    """{(placement pk, Monday)}: the weeks, in the home's time zone, of `visits` given
    as (placement pk, visited_at)."""
    tz = timezone.get_default_timezone()
    return {(pk, week_start(at.astimezone(tz).date())) for pk, at in visits}
