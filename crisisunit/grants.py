"""Role permissions are granted by migrations; this builds their RunPython step."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def revoke_permissions(revokes):
    """A reversible migration step: take from each group in `revokes` those permissions
    (given back when the migration is reversed)."""
    step = grant_permissions(revokes)
    return migrations.RunPython(step.reverse_code, step.code)


def grant_permissions(grants):
    """A reversible migration step: give each group in `grants` ({group name:
    [(app label, codename), …]}) those permissions, creating them first if the
    app's models are new in this run of migrate."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return {
            group: [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in wanted
            ]
            for group, wanted in grants.items()
        }

    def grant(apps, schema_editor):
        for label in {app for wanted in grants.values() for app, _ in wanted}:
            app_config = apps.get_app_config(label)
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        for name, granted in permissions(apps).items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(*granted)

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for name, granted in permissions(apps).items():
            for group in Group.objects.filter(name=name):
                group.permissions.remove(*granted)

    return migrations.RunPython(grant, revoke)
