"""Backup and restore of the whole database: pg_dump/pg_restore for PostgreSQL, SQLite's
online backup for SQLite. Used by `manage.py backup` and `manage.py restore`."""

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import environ
import psycopg
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

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
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(
            _("The backup could not be written to %(path)s: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


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
