"""Trigram indexes for the staff search by name or IIN (`Placement.objects.search`),
PostgreSQL only: `icontains` becomes UPPER(column) LIKE UPPER('%…%'), which a btree
index cannot serve. Where the pg_trgm extension cannot be created (a role without the
right), the search still works, only slower: the step says so and goes on."""

import logging

from django.db import DatabaseError, migrations, transaction

TABLES = ["families_child", "families_parent"]
COLUMNS = ["surname", "given_name", "iin"]
logger = logging.getLogger(__name__)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("pg_trgm is not available: the name search works without its indexes.")
        return
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" '
                f'ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [("families", "0002_history")]
    operations = [migrations.RunPython(create, drop)]
