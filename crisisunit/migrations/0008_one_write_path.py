"""One write path: the records the workspace writes (visits, consultations, return
applications, follow-ups) are read-only in the admin for social workers and medical
staff, who write them in the workspace; only administrators correct them in the admin.
What the roles are given is in crisisunit.roles; this takes away what they held before.
Unapplied, it gives nothing back (that would undo a decision, not a schema)."""

from django.db import migrations

REVOKE = {
    "Social worker": ["change_visit", "change_consultation", "change_returnapplication",
                      "change_followup"],
    "Medical staff": ["change_consultation"],
}  # fmt: skip


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in REVOKE.items():
        taken = Permission.objects.filter(
            content_type__app_label="placements", codename__in=codenames
        )
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*taken)


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0007_outcome_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
