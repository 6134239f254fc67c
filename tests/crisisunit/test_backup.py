"""A backup of a populated database, restored into an empty one, holds every row."""

import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from crisisunit import backups
from placements.models import Visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _quiet():
    return open("/dev/null", "w")


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


def test_a_restored_backup_holds_every_row_of_every_table(
    populated, tmp_path, empty_database, settings
):
    tables = _tables()
    with connection.cursor() as cursor:
        before = {table: _rows(cursor, table) for table in tables}
    path = tmp_path / "backup.file"

    call_command("backup", output=str(path), stdout=_quiet())
    settings.DOCUMENTS_ROOT = tmp_path / "restored-documents"  # a new machine's, empty
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


def test_a_backup_is_private_from_its_first_byte_and_appears_only_when_complete(
    populated, tmp_path, monkeypatch
):
    folder = tmp_path / "new" / "backups"
    target = folder / "crisisunit.dump"
    seen = {}
    real_dump = backups._dump

    def watched(partial):
        seen["mode"] = partial.stat().st_mode & 0o777
        seen["target_exists"] = target.exists()
        real_dump(partial)

    monkeypatch.setattr(backups, "_dump", watched)

    call_command("backup", output=str(target), stdout=_quiet())

    assert seen == {"mode": 0o600, "target_exists": False}
    assert target.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    # No partial file is left: the dump and the archive of the case documents.
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["crisisunit.dump", "crisisunit.dump.documents.tar"]
    assert (folder / names[1]).stat().st_mode & 0o777 == 0o600


def test_a_full_disk_leaves_no_partial_dump_and_says_so(populated, tmp_path, monkeypatch):
    import errno

    def disk_fills(partial):
        partial.write_bytes(b"PGDMP" + b"\0" * 65536)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_dump", disk_fills)

    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup", output=str(tmp_path / "crisisunit.dump"), stdout=_quiet())

    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_gives_a_message_not_a_traceback(populated, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(CommandError, match="cannot be created"):
        call_command("backup", output=str(blocker / "sub" / "x.dump"), stdout=_quiet())

    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]


def test_a_backup_carries_the_case_documents_and_a_restore_puts_them_back(
    tmp_path, settings, empty_database
):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    scan = settings.DOCUMENTS_ROOT / "7" / "a1b2.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 a scan")
    dump = tmp_path / "backups" / "b.sqlite3"

    call_command("backup", output=str(dump), stdout=_quiet())
    archive = backups.documents_archive(dump)
    assert archive.is_file() and oct(archive.stat().st_mode & 0o777) == "0o600"
    settings.DOCUMENTS_ROOT = tmp_path / "restored-documents"
    call_command("restore", str(dump), database_url=empty_database, stdout=_quiet())

    assert (tmp_path / "restored-documents" / "7" / "a1b2.pdf").read_bytes() == b"%PDF-1.4 a scan"
    with pytest.raises(CommandError, match="documents folder .* is not empty"):
        backups.check_documents_target(dump)


@pytest.mark.parametrize(("database_url", "emptied"), [(None, True), ("sqlite:///x", False)])
def test_a_restore_into_this_database_empties_the_cache_of_the_data_before(
    monkeypatch, database_url, emptied
):
    from django.core.cache import cache

    monkeypatch.setattr(backups, "check_documents_target", lambda *args, **kwargs: None)
    monkeypatch.setattr(backups, "restore", lambda *args, **kwargs: None)
    monkeypatch.setattr(backups, "restore_documents", lambda *args, **kwargs: 0)
    cache.set("dashboard:kept-before", "lists of the data before the restore")

    call_command("restore", "b.dump", database_url=database_url, stdout=_quiet())

    assert (cache.get("dashboard:kept-before") is None) is emptied


def test_no_test_reads_or_writes_the_projects_documents_folder(settings):
    """Code review finding 5: `make run` fills private/documents with the demo's scans,
    and the backup tests then failed on them; every test has a folder of its own."""
    project = Path(settings.BASE_DIR) / "private" / "documents"
    assert Path(settings.DOCUMENTS_ROOT).resolve() != project.resolve()
    assert not Path(settings.DOCUMENTS_ROOT).resolve().is_relative_to(Path(settings.BASE_DIR))


def test_a_truncated_documents_archive_is_refused_before_the_database_is_touched(
    tmp_path, settings, empty_database
):
    """Reliability finding 4: the database was restored, then the archive failed."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    for n in range(3):
        scan = settings.DOCUMENTS_ROOT / str(n) / "scan.pdf"
        scan.parent.mkdir(parents=True)
        scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 200)
    dump = tmp_path / "backups" / "b.dump"
    call_command("backup", output=str(dump), stdout=_quiet())
    archive = backups.documents_archive(dump)
    archive.write_bytes(archive.read_bytes()[:15000])
    settings.DOCUMENTS_ROOT = tmp_path / "restored-documents"

    with pytest.raises(CommandError, match="damaged or incomplete"):
        call_command("restore", str(dump), database_url=empty_database, stdout=_quiet())

    assert _restored_tables(empty_database) == []
    assert not (tmp_path / "restored-documents").exists()


def _restored_tables(url):
    target = backups.database_from_url(url)
    if connection.vendor == "sqlite":
        if not Path(target["NAME"]).exists():
            return []
        db = sqlite3.connect(target["NAME"])
        try:
            return db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        finally:
            db.close()
    with psycopg.connect(**backups._pg_connect_args(target)) as db:
        return db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()


def test_restored_document_folders_are_private(tmp_path, settings, empty_database):
    """Reliability finding 11: restored subfolders were 0755."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    scan = settings.DOCUMENTS_ROOT / "7" / "a1b2.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 a scan")
    dump = tmp_path / "backups" / "b.dump"
    call_command("backup", output=str(dump), stdout=_quiet())
    settings.DOCUMENTS_ROOT = tmp_path / "restored"

    call_command("restore", str(dump), database_url=empty_database, stdout=_quiet())

    assert oct((tmp_path / "restored" / "7").stat().st_mode & 0o777) == "0o700"
