"""Follow-ups and indicators: granted by crisisunit.roles now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0006_audit_permissions")]
    operations = []
