"""The reminder emails sent, so that nobody gets two on one day."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import format_date


class ReminderLog(models.Model):
    """A reminder email sent to one staff member on one day: never two on the same day,
    however often the command runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    sent_on = models.DateField(_("sent on"))
    placements_count = models.PositiveIntegerField(_("placements listed"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "sent_on"], name="reminder_once_a_day_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} {format_date(self.sent_on)}"
