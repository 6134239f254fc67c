"""The forgiving search: each person's spelling-blind name key, stored and filled in
for everyone already recorded; on PostgreSQL a trigram index on it (as 0003 made for
the names), so that a search stays fast at 100,000 placements; and plain indexes on
the date of birth and the phone, searched by exact value."""

import logging

import crisisunit.lib.phone
import crisisunit.lib.plausible
from django.db import DatabaseError, migrations, models, transaction

from crisisunit.lib.names import name_key

logger = logging.getLogger(__name__)
TABLES = ["families_child", "families_parent"]


def fill_keys(apps, schema_editor):
    for model_name in ("Child", "Parent"):
        model = apps.get_model("families", model_name)
        people = list(model.objects.only("surname", "given_name", "patronymic"))
        for person in people:
            names = (person.surname, person.given_name, person.patronymic)
            person.search_key = " ".join(key for key in map(name_key, names) if key)
        model.objects.bulk_update(people, ["search_key"], batch_size=2000)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("pg_trgm is not available: the search works without its index.")
        return
    for table in TABLES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_search_key_trgm" '
            f'ON "{table}" USING gin ("search_key" gin_trgm_ops)'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search_key_trgm"')


class Migration(migrations.Migration):

    dependencies = [
        ('families', '0004_plausible_input'),
    ]

    operations = [
        migrations.AddField(
            model_name='child',
            name='search_key',
            field=models.CharField(blank=True, editable=False, max_length=320),
        ),
        migrations.AddField(
            model_name='parent',
            name='search_key',
            field=models.CharField(blank=True, editable=False, max_length=320),
        ),
        migrations.AlterField(
            model_name='child',
            name='date_of_birth',
            field=models.DateField(db_index=True, validators=[crisisunit.lib.plausible.validate_plausible_date], verbose_name='date of birth'),
        ),
        migrations.AlterField(
            model_name='historicalchild',
            name='date_of_birth',
            field=models.DateField(db_index=True, validators=[crisisunit.lib.plausible.validate_plausible_date], verbose_name='date of birth'),
        ),
        migrations.AlterField(
            model_name='historicalparent',
            name='date_of_birth',
            field=models.DateField(db_index=True, validators=[crisisunit.lib.plausible.validate_plausible_date], verbose_name='date of birth'),
        ),
        migrations.AlterField(
            model_name='historicalparent',
            name='phone',
            field=crisisunit.lib.phone.KzPhoneField(blank=True, db_index=True, max_length=12, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='parent',
            name='date_of_birth',
            field=models.DateField(db_index=True, validators=[crisisunit.lib.plausible.validate_plausible_date], verbose_name='date of birth'),
        ),
        migrations.AlterField(
            model_name='parent',
            name='phone',
            field=crisisunit.lib.phone.KzPhoneField(blank=True, db_index=True, max_length=12, verbose_name='phone'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
