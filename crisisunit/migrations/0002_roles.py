"""The three staff roles. Once created here with their permissions; now by
crisisunit.roles.ensure_roles after every migrate, so that this app's migrations
depend on no other app's and unapplying one never takes the roles away."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("crisisunit", "0001_initial")]
    operations = []
