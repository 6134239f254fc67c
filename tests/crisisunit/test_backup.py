"""A backup of a populated database, restored into an empty one, holds every row."""

import sqlite3
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from crisisunit import backups
from placements.models import Visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _quiet():
    return open("/dev/null", "w")  # noqa: SIM115


@pytest.fixture
def populated():
    call_command("demo", password="a-demo-password-for-tests", stdout=_quiet())
    assert Visit.objects.count() > 100


def _rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (a table name we list)
    return cursor.fetchall()


def _tables():
    return connection.introspection.table_names()


@pytest.fixture
def empty_database(tmp_path):
    """The address of a new, empty database of the same kind as the tests use."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = backups._pg_connect_args({**settings_dict, "NAME": "postgres"})
    with psycopg.connect(**admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    host, port = settings_dict["HOST"], settings_dict["PORT"] or 5432
    yield f"postgres://{user}:{password}@{host}:{port}/{name}"
    with psycopg.connect(**admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restored_rows(url, tables):
    target = backups.database_from_url(url)
    if connection.vendor == "sqlite":
        db = sqlite3.connect(target["NAME"], detect_types=sqlite3.PARSE_DECLTYPES)
        try:
            return {table: _rows(db.cursor(), table) for table in tables}
        finally:
            db.close()
    with psycopg.connect(**backups._pg_connect_args(target)) as db:
        return {table: _rows(db.cursor(), table) for table in tables}


def test_a_restored_backup_holds_every_row_of_every_table(populated, tmp_path, empty_database):
    tables = _tables()
    with connection.cursor() as cursor:
        before = {table: _rows(cursor, table) for table in tables}
    path = tmp_path / "backup.file"

    call_command("backup", output=str(path), stdout=_quiet())
    call_command("restore", str(path), database_url=empty_database, stdout=_quiet())

    after = _restored_rows(empty_database, tables)
    assert sum(len(rows) for rows in before.values()) > 1000
    for table in tables:
        assert after[table] == before[table], table
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    path = tmp_path / "backup.file"
    call_command("backup", output=str(path), stdout=_quiet())

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), stdout=_quiet())

    assert Visit.objects.count() > 100  # nothing touched


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_database):
    path = tmp_path / "notes.txt"
    path.write_text("Бұл сақтық көшірме емес")

    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(path), database_url=empty_database, stdout=_quiet())
