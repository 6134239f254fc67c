"""The figures the home published for 2016–2023 (its annual reports; README, "Figures")."""

from django.db import migrations

PUBLISHED = {2016: 38, 2017: 36, 2018: 30, 2019: 32, 2020: 28, 2021: 48, 2022: 40, 2023: 40}
NOTE = "Published by the home in its notice about the crisis unit."


def load(apps, schema_editor):
    """Each year once: a figure already there (an administrator may have corrected it)
    is kept. Unapplied, the figures stay: they are the home's records, not schema."""
    YearlyFigure = apps.get_model("stats", "YearlyFigure")
    for year, count in PUBLISHED.items():
        YearlyFigure.objects.get_or_create(
            year=year, defaults={"children_returned": count, "source": "published", "note": NOTE}
        )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
