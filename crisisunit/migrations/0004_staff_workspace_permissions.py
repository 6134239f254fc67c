"""The staff workspace: social workers register a child's intake (they add the child,
the parents, the consent and the placement; they still change none of them) and export
placements and visits without names; administrators may include names and IINs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Social worker": [
        ("families", "add_child"),
        ("families", "add_parent"),
        ("families", "add_childparent"),
        ("families", "add_consent"),
        ("placements", "add_placement"),
        ("placements", "export_placements"),
    ],
    "Administrator": [
        ("placements", "export_placements"),
        ("placements", "export_personal_data"),
        ("placements", "view_reminderlog"),
    ],
}


def _permissions(apps, wanted):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in wanted
    ]


def grant(apps, schema_editor):
    for label in ("families", "placements"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, wanted))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, wanted in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, wanted))


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0003_figure_permissions"),
        ("families", "0001_initial"),
        ("placements", "0002_staff_workspace"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
