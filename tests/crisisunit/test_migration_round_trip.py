"""Reliability #6: migrating an app back and forward loses nothing.

On a database with data, each app is migrated to zero and forward again. Unapplying a
migration that would drop a table holding records is refused with the tables named
(and nothing changes); what may be unapplied is, and afterwards every table holds
exactly the rows it held before: the roles, the read-access log, the follow-ups."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from crisisunit import roles
from crisisunit.audit import record_read
from crisisunit.models import ReadAccess
from placements import services
from placements.models import FollowUp, Placement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPS = ["crisisunit", "families", "placements", "stats", "content", "axes"]


def snapshot():
    """Every table's rows, as sets of tuples."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == "django_migrations":  # when each was applied: changes, by design
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def migrate(*args):
    call_command("migrate", *args, verbosity=0, interactive=False)


@pytest.fixture
def with_records(make_placement, make_visit, administrator, social_worker, rf, today):
    placement = make_placement(days_ago=60)
    make_visit(placement, days_ago=3)
    returned = make_placement(days_ago=90)
    services.placement_close(
        placement=returned, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
    )
    request = rf.get(placement.get_absolute_url())
    request.user = administrator
    record_read(request, placement)
    assert FollowUp.objects.exists() and ReadAccess.objects.exists()
    yield
    migrate()  # whatever happened, the database ends fully migrated


@pytest.mark.parametrize("app", APPS)
def test_an_app_migrated_to_zero_and_back_loses_no_row(with_records, app):
    before = snapshot()

    try:
        migrate(app, "zero")
    except CommandError as refused:
        assert "would drop tables that hold records" in str(refused)
    migrate()

    after = snapshot()
    assert after.keys() == before.keys()
    changed = [table for table in before if before[table] != after[table]]
    assert changed == [], f"rows changed in {changed}"


def test_unapplying_follow_ups_with_records_is_refused_and_changes_nothing(with_records):
    before = snapshot()

    with pytest.raises(CommandError, match=r"placements_followup \(\d+\)"):
        migrate("placements", "0003")

    assert snapshot() == before


def test_unapplying_an_app_keeps_the_roles_and_the_read_log(
    with_records, monkeypatch, administrator
):
    """Once, unapplying placements emptied every user's roles and unapplying stats the
    read-access log, through migrations of crisisunit that depended on them."""
    reads = ReadAccess.objects.count()
    monkeypatch.setenv("ALLOW_DATA_LOSS", "on")  # the published figures may go

    migrate("stats", "zero")
    migrate()

    assert ReadAccess.objects.count() == reads
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    assert administrator.groups.filter(name=roles.ADMINISTRATOR).exists()
    assert Group.objects.get(name=roles.ADMINISTRATOR).permissions.count() == len(
        roles.ROLES[roles.ADMINISTRATOR]
    )


def test_unapplying_the_first_content_keeps_the_sites_content_and_its_history(with_records):
    """Issue 35, reliability finding 5: `migrate content 0001_initial` emptied the
    content tables and their history."""
    from content.models import Home

    home = Home.objects.get()
    home.email = "edited@example.kz"
    home.save()
    before = snapshot()

    migrate("content", "0001_initial")
    migrate()

    assert snapshot() == before
    assert Home.objects.get().email == "edited@example.kz"


# Reverse steps of data migrations that change no row: they drop an index.
SCHEMA_ONLY_REVERSES = {"drop", "drop_index"}


def test_no_reverse_step_of_a_migration_deletes_records():
    """Every RunPython unapplies as a no-op, or only drops what it made of the schema:
    a data migration that deletes rows when unapplied fails here."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = [
        f"{app}.{name}: {operation.reverse_code.__name__}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in {"crisisunit", "families", "placements", "stats", "content", "team"}
        for operation in migration.operations
        if isinstance(operation, RunPython)
        and operation.reverse_code not in (None, RunPython.noop)
        and operation.reverse_code.__name__ not in SCHEMA_ONLY_REVERSES
    ]
    assert wrong == []
