"""The staff workspace's permissions: granted by crisisunit.roles now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0003_figure_permissions")]
    operations = []
