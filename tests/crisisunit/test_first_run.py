"""Issue 37: a newcomer's commands start quietly on the default database."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_no_system_check_warns_on_the_default_database():
    out, err = io.StringIO(), io.StringIO()

    call_command("check", "--database", "default", stdout=out, stderr=err)

    assert "W040" not in out.getvalue() + err.getvalue()
    assert "no issues" in out.getvalue()


@pytest.mark.postgres
def test_postgresql_still_gets_the_covering_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexname IN ('visit_time', 'follow_up_due_on')"
        )
        found = dict(cursor.fetchall())

    assert set(found) == {"visit_time", "follow_up_due_on"}
    assert all("INCLUDE" in definition for definition in found.values())


def test_the_shell_starts_without_a_list_of_models_it_could_not_import(capsys):
    call_command("shell", command="print(Placement.__name__, Visit.__name__)")

    out = capsys.readouterr()
    assert "could not be automatically imported" not in out.out + out.err
    assert "Placement Visit" in out.out
