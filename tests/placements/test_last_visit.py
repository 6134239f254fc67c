"""Issue 20, goal 3: a placement's latest visit is kept on the placement by the visit
services, so the dashboard reads no visit; the kept value always equals the one
computed from the visits."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from placements import services
from placements.models import Placement, Visit

pytestmark = pytest.mark.django_db


def assert_kept_equals_computed():
    computed = dict(
        Placement.objects.annotate(latest=Max("visits__visited_at")).values_list("pk", "latest")
    )
    kept = dict(Placement.objects.values_list("pk", "last_visit_at"))
    assert kept == computed


def test_logging_and_correcting_visits_keeps_the_latest(
    make_placement, social_worker, administrator
):
    placement = make_placement(days_ago=30)
    mother = placement.child.parents.get()
    now = timezone.now()
    visits = [
        services.visit_record(
            placement=placement,
            parent=mother,
            visited_at=now - datetime.timedelta(days=days),
            duration_minutes=30,
            by=social_worker,
        )
        for days in (10, 3)
    ]
    assert_kept_equals_computed()

    # The latest visit was typed on the wrong day: corrected to before the other.
    services.visit_update(
        visit=visits[1], visited_at=now - datetime.timedelta(days=20), by=administrator
    )

    assert_kept_equals_computed()
    placement.refresh_from_db()
    assert placement.last_visit_at == visits[0].visited_at


def test_a_placement_without_visits_keeps_none(make_placement):
    assert make_placement().last_visit_at is None
    assert_kept_equals_computed()


def test_the_demo_and_bulk_loaded_data_keep_it_too():
    call_command("demo", password="a-demo-password-for-tests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_synthetic", "--placements", "60", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Visit.objects.count() > 100
    assert_kept_equals_computed()
