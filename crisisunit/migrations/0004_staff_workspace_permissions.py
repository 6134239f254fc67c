"""The staff workspace: social workers register a child's intake (they add the child,
the parents, the consent and the placement; they still change none of them) and export
placements and visits without names; administrators may include names and IINs."""

from django.db import migrations

from crisisunit.grants import grant_permissions

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


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0003_figure_permissions"),
        ("families", "0001_initial"),
        ("placements", "0002_staff_workspace"),
    ]
    operations = [grant_permissions(GRANTS)]
