"""Migrations never take case or audit data with them when they are unapplied.

Unapplying a migration that created a table drops the table. Before `migrate` runs a
plan that would do so, `keep_data` (connected to pre_migrate in CrisisunitConfig) looks
at each table it would drop and refuses, with the tables and their row counts, when
any holds rows. ALLOW_DATA_LOSS=on lets a developer through on a database whose data
does not matter."""

import os

from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.operations import CreateModel
from django.utils.translation import gettext as _


def keep_data(plan=None, using="default", **kwargs):
    if not plan or os.environ.get("ALLOW_DATA_LOSS", "").lower() in ("on", "1", "yes", "true"):
        return
    holding = {}
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    for migration, backwards in plan:
        if not backwards:
            continue
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                table = _table(migration.app_label, operation)
                if table in existing and (count := _rows(connection, table)):
                    holding[table] = count
    if holding:
        tables = ", ".join(f"{table} ({count})" for table, count in sorted(holding.items()))
        raise CommandError(
            _(
                "Unapplying these migrations would drop tables that hold records: %(tables)s. "
                "Nothing was changed. Make a backup first; to drop them all the same, set "
                "ALLOW_DATA_LOSS=on."
            )
            % {"tables": tables}
        )


def _table(app_label, operation: CreateModel) -> str:
    return operation.options.get("db_table") or f"{app_label}_{operation.name_lower}"


def _rows(connection, table) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]
