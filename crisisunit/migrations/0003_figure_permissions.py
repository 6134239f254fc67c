"""Administrators publish the yearly figures: granted by crisisunit.roles now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0002_roles")]
    operations = []
