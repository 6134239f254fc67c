"""Follow-ups after a return: social workers and administrators record them, medical
staff see them. Social workers and administrators see the unit's indicators."""

from django.db import migrations

from crisisunit.grants import grant_permissions

GRANTS = {
    "Social worker": [
        ("placements", "view_followup"),
        ("placements", "change_followup"),
        ("placements", "view_indicators"),
    ],
    "Medical staff": [("placements", "view_followup")],
    "Administrator": [
        ("placements", "view_followup"),
        ("placements", "change_followup"),
        ("placements", "view_indicators"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0006_audit_permissions"),
        ("placements", "0004_follow_ups"),
    ]
    operations = [grant_permissions(GRANTS)]
