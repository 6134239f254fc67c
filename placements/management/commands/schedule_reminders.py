from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from placements import jobs


class Command(BaseCommand):
    help = (
        "Queue the next morning's reminder emails as a background job (run by "
        "`manage.py db_worker`), which queues the following morning's as it runs. Run it "
        "once after each release (with migrate); running it again queues nothing more."
    )

    def handle(self, *args, **options):
        if jobs.schedule_reminders():
            self.stdout.write(_("The next morning's reminders are queued."))
        else:
            self.stdout.write(_("The reminders are queued already."))
