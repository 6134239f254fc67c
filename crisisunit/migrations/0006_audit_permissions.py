"""Administrators read the audit records: who opened which case record, and the sign-in
attempts, successes and failures that django-axes keeps. They may unlock a locked
sign-in (delete its access attempt). Nobody may change or delete a read record."""

from django.db import migrations

from crisisunit.grants import grant_permissions

GRANTS = {
    "Administrator": [
        ("crisisunit", "view_readaccess"),
        ("axes", "view_accessattempt"),
        ("axes", "delete_accessattempt"),
        ("axes", "view_accesslog"),
        ("axes", "view_accessfailurelog"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("crisisunit", "0005_read_access"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [grant_permissions(GRANTS)]
