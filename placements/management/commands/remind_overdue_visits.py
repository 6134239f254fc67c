from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from placements.reminders import reminders_send
from placements.services import family_work_tasks_raise


class Command(BaseCommand):
    help = (
        "Email each assigned social worker their placements overdue for a parent's visit "
        "and the overdue follow-ups of the children they returned home, and the "
        f"administrators the placements overdue by more than {settings.ESCALATION_DAYS} "
        "days. At most one email per person per day, however often it runs (run it from "
        "cron each morning). First raises the tasks of the work with the family: a plan's "
        "review overdue, a referral the service has not answered."
    )

    def handle(self, *args, **options):
        family_work_tasks_raise(today=timezone.localdate())
        sent = reminders_send(today=timezone.localdate(), base_url=settings.SITE_URL)
        self.stdout.write(_("Reminders sent: %(count)s.") % {"count": sent})
