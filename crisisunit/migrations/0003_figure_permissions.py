"""Administrators publish the yearly figures (view, add, change; never delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WANTED = ["view_yearlyfigure", "add_yearlyfigure", "change_yearlyfigure"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("stats")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="stats", codename__in=WANTED)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="stats", codename__in=WANTED)
        )


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0002_roles"), ("stats", "0001_initial")]
    operations = [migrations.RunPython(grant, revoke)]
