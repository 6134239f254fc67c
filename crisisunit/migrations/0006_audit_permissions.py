"""Administrators read the audit records: granted by crisisunit.roles now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0005_read_access")]
    operations = []
