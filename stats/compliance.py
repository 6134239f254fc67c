"""Weekly visit compliance of the placements in care in a period, counted by the
database in one query that returns a row per band (stats/indicators.py shows it).

A placement's full weeks are the Monday-to-Sunday weeks that lie wholly within both
the period and its stay; a full week is visited when the visit services kept a week
with a visit for it (VisitWeek). Dates are compared as day numbers (Python's
date.toordinal(): day 1, 1 January of year 1, was a Monday), so that the week
arithmetic is whole numbers in PostgreSQL and SQLite alike."""

import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min

from placements.models import VisitWeek

# The SQL of a date column's day number, per database.
DAY_NUMBER = {
    "postgresql": "({} - DATE '0001-01-01' + 1)",
    "sqlite": "(CAST(julianday({}) - julianday('0001-01-01') AS INTEGER) + 1)",
}


def full_weeks(first: int, last: int):
    """The first Monday (a day number) of the Monday-to-Sunday weeks that lie wholly
    from day `first` to day `last`, and how many there are (0 when none)."""
    monday = first + (1 - first) % 7
    return monday, max(0, (last - monday + 1) // 7)


def bands(in_care, start: datetime.date, last_day: datetime.date):
    """{band: (placements, full weeks, full weeks visited)} for the placements of the
    queryset `in_care`, over their full weeks from `start` to `last_day`; band
    "uncounted" holds those with no full week. The other bands: "none" (no full week
    visited), "under_half", "half_or_more" (not all) and "all"."""
    found: dict[Any, Any] = {}
    for weeks, visited, n in _weeks_and_visited(in_care, start, last_day):
        band = _band(weeks, visited)
        placements, total, total_visited = found.get(band, (0, 0, 0))
        if band == "uncounted":
            weeks = visited = 0
        found[band] = (placements + n, total + n * weeks, total_visited + n * visited)
    return found


def _band(weeks, visited):
    if weeks <= 0:
        return "uncounted"
    if visited == 0:
        return "none"
    if visited == weeks:
        return "all"
    return "under_half" if 2 * visited < weeks else "half_or_more"


def _weeks_and_visited(in_care, start, last_day):
    """[(full weeks, full weeks visited, placements)]: how many placements of `in_care`
    have each pair (a few hundred rows, whatever the number of placements)."""
    first, last = start.toordinal(), last_day.toordinal()
    period_monday, period_weeks = full_weeks(first, last)
    day = DAY_NUMBER[connection.vendor]
    weeks = (
        VisitWeek.objects.filter(
            week__gte=datetime.date.fromordinal(period_monday),
            week__lt=datetime.date.fromordinal(period_monday + 7 * period_weeks),
        )
        .order_by()
        .values("placement_id")
        .annotate(n=Count("*"), first_week=Min("week"), last_week=Max("week"))
    )
    placements = in_care.order_by().values("id", "admitted_on", "closed_on")
    placements_sql, placements_params = placements.query.sql_with_params()
    weeks_sql, weeks_params = weeks.query.sql_with_params()
    # Innermost: each placement's days, its counted span (lo to hi) and its weeks with a
    # visit (n, the first and last Monday). A visited week that starts before the
    # admission is the admission's cut week; one that ends after the closing, the
    # closing's: neither is a full week of the stay (both cut one week when the stay
    # begins and ends within it: none visited, not fewer).
    sql = f"""
        SELECT weeks, CASE WHEN uncut < 0 THEN 0 ELSE uncut END AS visited, COUNT(*)
        FROM (
            SELECT
                (hi - (lo + (7 - (lo - 1) %% 7) %% 7) + 1) / 7 AS weeks,
                CASE WHEN n IS NULL THEN 0 ELSE n
                    - CASE WHEN first_week < admitted THEN 1 ELSE 0 END
                    - CASE WHEN closed IS NOT NULL AND last_week + 6 > closed
                        THEN 1 ELSE 0 END
                END AS uncut
            FROM (
                SELECT admitted, closed, n, first_week, last_week,
                    CASE WHEN admitted > %s THEN admitted ELSE %s END AS lo,
                    CASE WHEN closed IS NOT NULL AND closed < %s THEN closed ELSE %s END AS hi
                FROM (
                    SELECT {day.format("p.admitted_on")} AS admitted,
                        {day.format("p.closed_on")} AS closed, w.n,
                        {day.format("w.first_week")} AS first_week,
                        {day.format("w.last_week")} AS last_week
                    FROM ({placements_sql}) p
                    LEFT JOIN ({weeks_sql}) w ON w.placement_id = p.id
                ) days
            ) spans
        ) counted
        GROUP BY 1, 2
    """  # noqa: S608 (the inner queries are the ORM's, with their parameters)
    params = [first, first, last, last, *placements_params, *weeks_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # PostgreSQL gives bigints back as they are, SQLite too: whole numbers.
        return [(int(weeks), int(visited), n) for weeks, visited, n in cursor.fetchall()]
