"""Every admin list costs the same number of queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements import services
from tests.placements.test_admin import CHANGELISTS

pytestmark = pytest.mark.django_db


def _queries(client, url):
    """Queries of a request once per-process caches (content types) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.fixture
def add_cases(make_placement, make_visit, make_application, make_parent, administrator, today):
    def add(count):
        for _ in range(count):
            placement = make_placement(days_ago=40)
            make_parent(child=placement.child, relation="father", sex="M")
            make_visit(placement, days_ago=3)
            make_visit(placement, days_ago=10)
            make_application(placement, days_ago=2)
            services.placement_extend(
                placement=placement,
                new_end_on=placement.planned_end_on.replace(year=placement.planned_end_on.year + 1),
                reason="Себеп",
                basis_number="1",
                basis_date=today,
                by=administrator,
            )

    return add


@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_an_admin_list_runs_a_fixed_number_of_queries(
    client, administrator, add_cases, app, model, django_assert_max_num_queries
):
    url = reverse(f"admin:{app}_{model}_changelist")
    client.force_login(administrator)
    add_cases(2)
    small = _queries(client, url)

    add_cases(25)

    with django_assert_max_num_queries(small):
        client.get(url)


def test_a_placement_page_costs_the_same_with_a_year_of_visits(
    client, administrator, make_placement, make_visit, make_application, today
):
    placement = make_placement(days_ago=365)
    make_application(placement, days_ago=1)
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    client.force_login(administrator)
    for days_ago in (3, 10):
        make_visit(placement, days_ago=days_ago)
    small = _queries(client, url)

    for week in range(2, 52):
        make_visit(placement, days_ago=7 * week + 1)

    assert _queries(client, url) == small
