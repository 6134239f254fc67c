"""The yearly figures the public pages show, computed in two queries.

A year with a stored YearlyFigure shows it (the home's published figure, or one an
administrator fixed). Any other year from STATS_FIRST_YEAR (2016) to this year is
counted live from the placements closed that year with the child returned home."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone

from crisisunit.caching import Memo, cache_add, cache_get, cache_set
from placements.models import Placement
from stats.models import Refresh, YearlyFigure


@dataclass(frozen=True)
class YearFigure:
    year: int
    children_returned: int
    source: str  # YearlyFigure.Source: "published" or "recorded"
    fixed: bool  # stored in the database rather than counted live
    in_progress: bool  # the current year, not over yet
    note: str = ""

    @property
    def published(self):
        return self.source == YearlyFigure.Source.PUBLISHED


def closed_by_year(first_year: int, last_year: int) -> dict[tuple[int, str, str], int]:
    """Placements closed from `first_year` to `last_year`, by (year of the closing,
    crisis reason, outcome): one query that the statistics page's tables share."""
    rows = (
        Placement.objects.closed()
        .filter(
            closed_on__gte=datetime.date(first_year, 1, 1),
            closed_on__lte=datetime.date(last_year, 12, 31),
        )
        .annotate(year=ExtractYear("closed_on"))
        .values_list("year", "crisis_reason", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(year, reason, outcome): n for year, reason, outcome, n in rows}


def counted_from_records(first_year: int, last_year: int, closed=None) -> dict[int, int]:
    """Children returned home per year of the closing date, from the placements (or
    from `closed`, as closed_by_year gives it)."""
    if closed is None:
        closed = closed_by_year(first_year, last_year)
    counted: dict[Any, Any] = {}
    for (year, _reason, outcome), n in closed.items():
        if outcome == Placement.Outcome.RETURNED and first_year <= year <= last_year:
            counted[year] = counted.get(year, 0) + n
    return counted


def yearly_returns(today: datetime.date | None = None) -> list[YearFigure]:
    """Every year from settings.STATS_FIRST_YEAR to this year, oldest first."""
    return yearly_returns_and_closed(today)[0]


def yearly_returns_and_closed(today: datetime.date | None = None):
    """yearly_returns(), and closed_by_year() over every year whose figure is not the
    home's published one (the years the statistics page breaks down among them)."""
    this_year = (today or timezone.localdate()).year
    fixed = {f.year: f for f in YearlyFigure.objects.filter(year__gte=settings.STATS_FIRST_YEAR)}
    last_year = max([this_year, *fixed])
    years = range(settings.STATS_FIRST_YEAR, last_year + 1)
    published = YearlyFigure.Source.PUBLISHED
    counted_years = [y for y in years if y not in fixed or fixed[y].source != published]
    closed = closed_by_year(min(counted_years), max(counted_years)) if counted_years else {}
    counted = counted_from_records(settings.STATS_FIRST_YEAR, last_year, closed)
    figures = []
    for year in years:
        in_progress = year >= this_year
        if year in fixed:
            f = fixed[year]
            figure = YearFigure(year, f.children_returned, f.source, True, in_progress, f.note)
        else:
            recorded = YearlyFigure.Source.RECORDED
            figure = YearFigure(year, counted.get(year, 0), recorded, False, in_progress)
        figures.append(figure)
    return figures, closed


def summary(figures: list[YearFigure]) -> dict:
    """The total over every year shown, and the average over the complete years."""
    complete = [f for f in figures if not f.in_progress]
    complete_total = sum(f.children_returned for f in complete)
    return {
        "total": sum(f.children_returned for f in figures),
        "average": round(complete_total / len(complete), 1) if complete else None,
        "first_year": figures[0].year if figures else None,
        "latest": complete[-1] if complete else None,  # the last complete year
    }


def returns_by_reason(years: list[int], closed=None) -> list[dict]:
    """Children returned home per crisis reason and year, for the given years, with every
    count under STATS_SMALL_CELL hidden (None), and one more cell hidden in a year where
    only one was, so that it cannot be worked out from that year's total. From `closed`
    (closed_by_year over these years) when given."""
    if not years:
        return []
    if closed is None:
        closed = closed_by_year(min(years), max(years))
    counts = {}
    for (year, reason, outcome), n in closed.items():
        if outcome == Placement.Outcome.RETURNED:
            counts[(reason, year)] = n
    shown = {}
    for year in years:
        column = {reason: counts.get((reason, year), 0) for reason in Placement.CrisisReason.values}
        hidden = {reason for reason, n in column.items() if n < settings.STATS_SMALL_CELL}
        if len(hidden) == 1:
            visible = sorted((n, reason) for reason, n in column.items() if reason not in hidden)
            if visible:
                hidden.add(visible[0][1])
        for reason, n in column.items():
            shown[(reason, year)] = None if reason in hidden else n
    return [
        {"reason": label, "cells": [shown[(reason, year)] for year in years]}
        for reason, label in Placement.CrisisReason.choices
    ]


def version() -> str:
    """Changes whenever what the public pages show can change: a change to a placement,
    a figure or the public content, once committed (bump), a new day. The history id and
    the figures' own marks are kept too, for writes in bulk that send no signal.

    Asked on every public page served from the cache, so it is one plain statement:
    four index lookups in one round trip, whatever the number of placements, without
    the ORM's query building (which cost more than the lookups themselves)."""
    figures_table = connection.ops.quote_name(YearlyFigure._meta.db_table)
    history_table = connection.ops.quote_name(Placement.history.model._meta.db_table)
    refresh_table = connection.ops.quote_name(Refresh._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {figures_table}),"  # noqa: S608 (table names)
            f" (SELECT MAX(updated_at) FROM {figures_table}),"
            f" (SELECT MAX(history_id) FROM {history_table}),"
            f" (SELECT MAX(counter) FROM {refresh_table})"
        )
        figures_count, last_figure, last_change, refreshed = cursor.fetchone()
    today = timezone.localdate().isoformat()
    return f"{today}:{figures_count}:{last_figure}:{last_change}:{refreshed}"


VERSION_KEY = "public-data-version"


def current_version() -> str:
    """version(), read from the shared cache when there is one (settings
    PUBLIC_VERSION_IN_CACHE, on with Redis), so that a cached public page costs no
    database query; and remembered by this process for VERSION_MEMO_SECONDS, so that
    most cached pages cost no round trip to Redis either (a change made through another
    process shows here that much later at most; through this one, at once). bump()
    writes the new version after each commit; a reader only adds a version where there
    is none, so it never puts back an older one."""
    if not settings.PUBLIC_VERSION_IN_CACHE:
        return version()
    if _unsent:
        _send_version()  # a bump this process could not send: tried again first
    today = timezone.localdate().isoformat()
    kept = _remembered.get()
    if kept is not None and kept.startswith(today):
        return kept
    kept = cache_get(VERSION_KEY)
    if kept is None:
        kept = version()
        cache_add(VERSION_KEY, kept, VERSION_TIMEOUT)
    elif not kept.startswith(today):
        # A new day: an announcement may begin or end, the year may turn.
        kept = version()
        cache_set(VERSION_KEY, kept, VERSION_TIMEOUT)
    _remembered.put(kept)
    return kept


VERSION_MEMO_SECONDS = 1
_remembered = Memo(VERSION_MEMO_SECONDS)
# Writes in bulk send no signal: the version read from the database is kept this long.
VERSION_TIMEOUT = 5 * 60


def bump():
    """Move the refresh counter: called once the change is committed, so that a page
    cached meanwhile from the older data is never served again."""
    if not Refresh.objects.update(counter=F("counter") + 1):
        Refresh.objects.create(counter=1)
    if settings.PUBLIC_VERSION_IN_CACHE:
        _send_version()


# A bump whose new version the shared cache did not take (Redis down or frozen at the
# commit): sent again by this process's next public page, so that other processes do
# not go on showing the older figures for VERSION_TIMEOUT (reliability finding 8).
_unsent = False


def _send_version():
    global _unsent
    new = version()
    _unsent = not cache_set(VERSION_KEY, new, VERSION_TIMEOUT)
    _remembered.put(new)


def bump_on_case_write(**kwargs):
    """Connected to case_written, sent once a service's transaction has committed: writes
    in bulk (an import) send no model signal, and move the figures all the same."""
    bump()


def bump_after_commit(**kwargs):
    """Connected to the saves and deletions of placements and figures (StatsConfig)."""
    transaction.on_commit(bump)
