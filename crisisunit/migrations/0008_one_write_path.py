"""One write path: the records the workspace writes (visits, consultations, return
applications, follow-ups) are read-only in the admin for social workers and medical
staff, who write them in the workspace; only administrators correct them in the admin.
Social workers record follow-ups, send applications for review and record withdrawals
in the workspace (two new permissions)."""

from django.db import migrations

from crisisunit.grants import grant_permissions, revoke_permissions

REVOKE = {
    "Social worker": [
        ("placements", "change_visit"),
        ("placements", "change_consultation"),
        ("placements", "change_returnapplication"),
        ("placements", "change_followup"),
    ],
    "Medical staff": [("placements", "change_consultation")],
}
GRANT = {
    "Social worker": [
        ("placements", "record_followup"),
        ("placements", "review_returnapplication"),
    ],
    "Administrator": [
        ("placements", "record_followup"),
        ("placements", "review_returnapplication"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0007_outcome_permissions"),
        ("placements", "0007_workspace_permissions"),
    ]
    operations = [revoke_permissions(REVOKE), grant_permissions(GRANT)]
