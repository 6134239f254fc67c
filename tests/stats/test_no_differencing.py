"""Security #3 and #7: the public statistics cannot be differenced, and the cached
page cannot miss a closing that commits out of order."""

import re
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from placements import services
from placements.models import Placement

STATS = "/en/stats/"


def returned_this_year(page: str, year: int) -> int:
    row = re.search(rf'<th scope="row">{year}</th>\s*<td class="number">(\d+)</td>', page)
    return int(row.group(1))


@pytest.mark.django_db
def test_3_a_stay_ended_this_year_changes_nothing_but_the_headline(
    client, make_placement, make_return, administrator, today
):
    make_return(on=today)
    placement = make_placement(days_ago=20, crisis_reason=Placement.CrisisReason.HOUSING)
    before = client.get(STATS).content.decode()

    services.placement_close(
        placement=placement, outcome=Placement.Outcome.TRANSFERRED, on=today, by=administrator
    )
    after = client.get(STATS).content.decode()

    assert after == before  # not returned home: nothing on the page may move
    assert f'<th scope="col" class="number">{today.year}</th>' not in after
    assert "only the number of children returned home is shown" in after


@pytest.mark.django_db
def test_3_a_return_this_year_moves_only_the_count(client, make_return, today):
    make_return(on=today)
    before = client.get(STATS).content.decode()

    make_return(on=today)
    after = client.get(STATS).content.decode()

    assert returned_this_year(after, today.year) == returned_this_year(before, today.year) + 1
    assert f'<th scope="col" class="number">{today.year}</th>' not in after


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_7_a_closing_that_commits_late_still_reaches_the_cached_page(
    make_return, make_placement, administrator, today
):
    if connection.vendor != "postgresql":
        pytest.skip("two transactions at once need PostgreSQL")
    first, second = make_placement(days_ago=30), make_placement(days_ago=30)
    visitor = Client()
    start = returned_this_year(visitor.get(STATS).content.decode(), today.year)
    closed, go = threading.Event(), threading.Event()

    def close_and_hold():
        try:
            with transaction.atomic():
                services.placement_close(
                    placement=first, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
                )
                closed.set()
                go.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=close_and_hold)
    holder.start()
    assert closed.wait(10)
    services.placement_close(  # a later history id, committed first
        placement=second, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
    )
    assert returned_this_year(visitor.get(STATS).content.decode(), today.year) == start + 1
    go.set()
    holder.join(10)

    assert returned_this_year(visitor.get(STATS).content.decode(), today.year) == start + 2
