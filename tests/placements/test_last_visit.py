"""Issue 20, goals 3 and 4: a placement's latest visit is kept on the placement, and
its weeks with a visit in VisitWeek, by the visit services, so the dashboard and the
indicators read no visit; the kept values always equal those computed from the visits."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import DateField, Max
from django.db.models.functions import TruncWeek
from django.utils import timezone

from placements import services
from placements.models import Placement, Visit, VisitWeek

pytestmark = pytest.mark.django_db


def assert_kept_equals_computed():
    computed = dict(
        Placement.objects.annotate(latest=Max("visits__visited_at")).values_list("pk", "latest")
    )
    kept = dict(Placement.objects.values_list("pk", "last_visit_at"))
    assert kept == computed
    tz = timezone.get_default_timezone()
    weeks = Visit.objects.annotate(
        week=TruncWeek("visited_at", output_field=DateField(), tzinfo=tz)
    ).values_list("placement_id", "week")
    assert set(VisitWeek.objects.values_list("placement_id", "week")) == set(weeks)
    assert VisitWeek.objects.count() == len(set(weeks))


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


def local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_a_visit_counts_in_its_local_week_and_moves_with_a_correction(
    make_placement, social_worker, administrator
):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 14)
    placement = make_placement(admitted_on=monday - datetime.timedelta(days=14))
    mother = placement.child.parents.get()

    def record(at):
        return services.visit_record(
            placement=placement, parent=mother, visited_at=at, duration_minutes=30, by=social_worker
        )

    # Sunday 23:30 and Monday 00:30 in Astana are both Sunday in UTC: two weeks here.
    late_sunday = record(local(monday - datetime.timedelta(days=1), 23, 30))
    record(local(monday, 0, 30))
    record(local(monday + datetime.timedelta(days=3), 15))  # the same week again
    weeks = set(placement.visit_weeks.values_list("week", flat=True))
    assert weeks == {monday - datetime.timedelta(days=7), monday}
    assert_kept_equals_computed()

    # The Sunday visit was typed a week early: its week is now the next one.
    services.visit_update(
        visit=late_sunday, visited_at=local(monday + datetime.timedelta(days=6), 23, 30),
        by=administrator,
    )  # fmt: skip
    assert set(placement.visit_weeks.values_list("week", flat=True)) == {monday}
    assert_kept_equals_computed()


def test_the_migration_fills_the_weeks_of_visits_logged_before_it(make_placement, make_visit):
    placements = [make_placement(days_ago=40) for _ in range(3)]
    for placement in placements[:2]:
        for days in (1, 2, 9, 30):
            make_visit(placement, days_ago=days)
    VisitWeek.objects.all().delete()  # as before the migration

    migration = importlib.import_module("placements.migrations.0016_visit_weeks")
    migration.fill(apps, None)

    assert VisitWeek.objects.filter(placement=placements[0]).count() >= 3
    assert not VisitWeek.objects.filter(placement=placements[2]).exists()
    assert_kept_equals_computed()
