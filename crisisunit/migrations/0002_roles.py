"""Create the three staff roles as groups with their permissions.

Social worker: view families and placements; add and change visits, consultations and
return applications (as submitted). Medical staff: view; add and change consultations.
Administrator: view, add and change every case record (never delete: case records are
never hard-deleted) and approve or reject return applications.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_MODELS = {
    "families": ["parent", "child", "childparent", "consent"],
    "placements": ["placement", "termextension", "visit", "consultation", "returnapplication"],
}
VIEW_ALL = [(app, f"view_{m}") for app, models in CASE_MODELS.items() for m in models]
ROLES = {
    "Social worker": VIEW_ALL
    + [
        ("placements", "add_visit"),
        ("placements", "change_visit"),
        ("placements", "add_consultation"),
        ("placements", "change_consultation"),
        ("placements", "add_returnapplication"),
        ("placements", "change_returnapplication"),
    ],
    "Medical staff": VIEW_ALL
    + [("placements", "add_consultation"), ("placements", "change_consultation")],
    "Administrator": [
        (app, f"{action}_{m}")
        for app, models in CASE_MODELS.items()
        for m in models
        for action in ("view", "add", "change")
    ]
    + [("placements", "approve_returnapplication")],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for label in CASE_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("families", "0001_initial"),
        ("placements", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
