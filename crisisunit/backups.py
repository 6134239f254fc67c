"""Backup and restore of the whole database: pg_dump/pg_restore for PostgreSQL, SQLite's
online backup for SQLite; and of the case documents kept on this machine, as a tar
archive beside the dump (`<dump>.documents.tar`). Used by `manage.py backup` and
`manage.py restore`. Documents in an S3 bucket are kept by the bucket's own versioning
and replication, not here."""

import os
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

import environ
import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from crisisunit.lib.files import forget

POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


def engine_of(settings_dict):
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise CommandError(
        _("Backups support PostgreSQL and SQLite, not %(engine)s.") % {"engine": engine}
    )


def database_from_url(url):
    """A Django settings dict for a DATABASE_URL-style address."""
    return environ.Env.db_url_config(url)


def _pg_env(settings_dict):
    env = dict(os.environ)
    names = {
        "HOST": "PGHOST",
        "PORT": "PGPORT",
        "USER": "PGUSER",
        "PASSWORD": "PGPASSWORD",
        "NAME": "PGDATABASE",
    }
    for key, name in names.items():
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(command, env):
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as missing:
        raise CommandError(
            _("%(program)s is not installed (the PostgreSQL client tools are needed).")
            % {"program": command[0]}
        ) from missing
    if done.returncode != 0:
        raise CommandError(done.stderr.strip() or done.stdout.strip())


def backup(path):
    """Write the default database to `path`, consistently, while the portal runs.

    The dump is written to a temporary file, readable by the owner only, in a folder
    readable by the owner only, and renamed to `path` only once complete: a failure (a
    full disk, a folder that cannot be written) leaves nothing behind but a message."""
    path = Path(path)
    _private_folder(path.parent)
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        _dump(partial)
        _archive_documents(documents_archive(path))
        os.replace(partial, path)
    except OSError as error:
        forget(partial)
        raise CommandError(
            _("The backup could not be written to %(path)s: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from error
    except BaseException:
        forget(partial)
        raise
    return path


def documents_archive(dump: Path) -> Path:
    return Path(f"{dump}.documents.tar")


def _archive_documents(archive: Path):
    """The documents folder as a tar beside the dump, private and complete, or nothing
    when no document is kept on this machine."""
    root = Path(settings.DOCUMENTS_ROOT)
    if settings.DOCUMENTS_BUCKET or not root.is_dir() or not any(root.rglob("*")):
        return
    partial = archive.with_name(f".{archive.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file, tarfile.open(fileobj=file, mode="w") as tar:
            tar.add(root, arcname="documents")
        os.replace(partial, archive)
    except BaseException:
        forget(partial)
        raise


def restore_documents(dump: Path, *, replace=False) -> int:
    """Unpack the documents archive beside `dump` into DOCUMENTS_ROOT: the number of
    files, 0 when the backup has none. Refuses a folder that holds files already,
    unless `replace`."""
    archive = documents_archive(Path(dump))
    if not archive.is_file():
        return 0
    check_documents_target(dump, replace=replace)
    root = Path(settings.DOCUMENTS_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    count = 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.name.startswith("documents/") or not member.isfile():
                continue
            member.name = member.name.removeprefix("documents/")
            tar.extract(member, root, filter="data")  # nothing outside the folder
            count += 1
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        folder.chmod(0o700)  # as the portal makes them (tar's folders come 0755)
    return count


def verify_documents_archive(dump: Path) -> int:
    """Read the whole documents archive beside `dump` (every member, every byte) before
    anything is restored, so that a truncated or damaged one is refused with a message
    and the target database is left untouched. Returns how many files it holds."""
    archive = documents_archive(Path(dump))
    if not archive.is_file():
        return 0
    count = 0
    try:
        with tarfile.open(archive) as tar:
            for member in tar:
                if member.isfile():
                    data = tar.extractfile(member)
                    while data is not None and data.read(1 << 20):
                        pass
                    count += 1
    except (tarfile.TarError, OSError, EOFError) as error:
        raise CommandError(
            _(
                "The documents archive %(path)s is damaged or incomplete (%(reason)s): "
                "nothing was restored."
            )
            % {"path": archive, "reason": error}
        ) from error
    return count


def check_documents_target(dump: Path, *, replace=False):
    """Refuse, before anything is restored, a documents folder that holds files already
    (unless `replace`) when the backup has documents."""
    root = Path(settings.DOCUMENTS_ROOT)
    if not documents_archive(Path(dump)).is_file() or replace or not root.is_dir():
        return
    if any(p.is_file() for p in root.rglob("*")):
        raise CommandError(
            _(
                "The documents folder %(path)s is not empty. Restore into an empty one, or "
                "add --replace."
            )
            % {"path": root}
        )


def _private_folder(folder: Path):
    try:
        created = not folder.exists()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if created:
            folder.chmod(0o700)  # whatever the umask
    except OSError as error:
        raise CommandError(
            _("The backup folder %(path)s cannot be created: %(reason)s")
            % {"path": folder, "reason": error.strerror or error}
        ) from error


def _dump(target: Path):
    settings_dict = connection.settings_dict
    if engine_of(settings_dict) == "postgresql":
        command = [
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
        ]  # fmt: skip
        _run(command, _pg_env(settings_dict))
        return
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        try:
            connection.connection.backup(copy)
        except sqlite3.Error as error:
            raise OSError(str(error)) from error


def _kind_of_file(path):
    with open(path, "rb") as file:
        head = file.read(16)
    if head.startswith(POSTGRES_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise CommandError(_("%(path)s is not a backup made by this portal.") % {"path": path})


def _has_tables(settings_dict):
    if engine_of(settings_dict) == "sqlite":
        name = str(settings_dict["NAME"])
        if not name.startswith("file:") and not Path(name).exists():
            return False
        with closing(_sqlite(name)) as db:
            return bool(db.execute("SELECT 1 FROM sqlite_master WHERE type='table'").fetchone())
    with psycopg.connect(**_pg_connect_args(settings_dict)) as db:
        found = db.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' LIMIT 1"
        ).fetchone()
    return bool(found)


def _sqlite(name):
    return sqlite3.connect(name, uri=name.startswith("file:"))


def _pg_connect_args(settings_dict):
    return {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }


def restore(path, settings_dict, *, replace=False):
    """Load the backup at `path` into the database `settings_dict` describes. An empty
    database only, unless `replace`: then what is there is dropped first."""
    path = Path(path)
    if not path.is_file():
        raise CommandError(_("No backup file at %(path)s.") % {"path": path})
    kind, target = _kind_of_file(path), engine_of(settings_dict)
    if kind != target:
        raise CommandError(
            _("This backup is of a %(kind)s database; the target is %(target)s.")
            % {"kind": kind, "target": target}
        )
    if not replace and _has_tables(settings_dict):
        raise CommandError(
            _(
                "The target database is not empty. Restore into an empty database, or "
                "add --replace to drop what it holds first."
            )
        )
    if target == "postgresql":
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ]
        if replace:
            command[1:1] = ["--clean", "--if-exists"]
        _run(command, _pg_env(settings_dict))
    else:
        source = sqlite3.connect(path)
        target_db = _sqlite(str(settings_dict["NAME"]))
        try:
            source.backup(target_db)
        finally:
            source.close()
            target_db.close()
