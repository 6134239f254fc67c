import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from crisisunit.lib.dates import add_months


class FollowUpQuerySet(models.QuerySet):
    def pending(self):
        """Neither recorded nor marked missed yet."""
        return self.filter(done_on__isnull=True, missed_reason="")

    def due_within(self, today: datetime.date, days: int):
        """Pending follow-ups due from today to `days` days ahead."""
        return self.pending().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
        )

    def overdue(self, today: datetime.date):
        """Pending follow-ups whose due date has passed."""
        return self.pending().filter(due_on__lt=today)

    def assigned_to(self, user):
        return self.filter(placement__social_worker=user)


class FollowUp(models.Model):
    """A contact with the family after the child went home: scheduled when a placement
    closes with the child returned (FOLLOW_UP_MONTHS after the closing date), then
    recorded by a social worker, or marked missed with a reason."""

    class Method(models.TextChoices):
        HOME_VISIT = "home_visit", _("home visit")
        PHONE_CALL = "phone_call", _("phone call")
        CAME_IN = "came_in", _("the family came in")

    class Situation(models.TextChoices):
        STABLE = "stable", _("stable")
        CONCERNS = "concerns", _("concerns")
        BACK_IN_CARE = "back_in_care", _("the child is back in care")

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("placement"),
    )
    months_after = models.PositiveSmallIntegerField(_("months after the return"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    situation = models.CharField(
        _("the family's situation"), max_length=20, choices=Situation.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    missed_reason = models.TextField(_("why it was missed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up after the return")
        verbose_name_plural = _("follow-ups after the return")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months_after"], name="one_follow_up_per_offset"
            ),
            # Done (with how and the situation) or missed (with a reason), never both.
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | (~Q(method="") & ~Q(situation="")),
                name="follow_up_done_says_how_and_situation",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(missed_reason=""),
                name="follow_up_not_done_and_missed",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="follow_up_due_on"),
            # The dashboard's follow-ups due and overdue: the few still open.
            models.Index(
                fields=["due_on"],
                condition=Q(done_on__isnull=True, missed_reason=""),
                name="follow_up_open_due_on",
            ),
        ]

    def __str__(self):
        return _("Follow-up %(months)s months after the return of %(child)s") % {
            "months": self.months_after,
            "child": self.placement.child,
        }

    @property
    def is_pending(self):
        return self.done_on is None and not self.missed_reason

    def timeliness(self):
        """ "on_time", "late", "missed" or None while pending: on time when done no
        later than FOLLOW_UP_GRACE_DAYS after the due date."""
        if self.missed_reason:
            return "missed"
        if self.done_on is None:
            return None
        grace = datetime.timedelta(days=settings.FOLLOW_UP_GRACE_DAYS)
        return "on_time" if self.done_on <= self.due_on + grace else "late"

    @classmethod
    def schedule(cls, placement, *, by):
        """Create the follow-ups of a placement just closed with the child returned
        (each with its first line of history, naming who closed the placement)."""
        returned = placement.closed_on
        bulk_create_with_history(
            [
                cls(placement=placement, months_after=m, due_on=add_months(returned, m))
                for m in settings.FOLLOW_UP_MONTHS
            ],
            cls,
            default_user=by,
        )

    def record(self, *, by, done_on, method, situation, notes=""):
        """Record the contact: when, how, and how the family is doing."""
        with transaction.atomic():
            follow_up = FollowUp.objects.select_for_update().get(pk=self.pk)
            if not follow_up.is_pending:
                raise ValidationError(_("This follow-up is already recorded."), code="recorded")
            if done_on is None or done_on > timezone.localdate():
                raise ValidationError(
                    _("Enter the date of the contact; it cannot be in the future."), code="date"
                )
            if done_on < follow_up.placement.closed_on:
                raise ValidationError(
                    _("The contact cannot be before the child went home."), code="date"
                )
            follow_up.done_on, follow_up.method, follow_up.situation = done_on, method, situation
            follow_up.notes = notes
            self._stamp(follow_up, by)
        self.refresh_from_db()

    def mark_missed(self, *, by, reason):
        """The contact did not happen; say why."""
        reason = (reason or "").strip()
        with transaction.atomic():
            follow_up = FollowUp.objects.select_for_update().get(pk=self.pk)
            if not follow_up.is_pending:
                raise ValidationError(_("This follow-up is already recorded."), code="recorded")
            if not reason:
                raise ValidationError(_("Say why the follow-up was missed."), code="reason")
            follow_up.missed_reason = reason
            self._stamp(follow_up, by)
        self.refresh_from_db()

    @staticmethod
    def _stamp(follow_up, by):
        follow_up.recorded_by = by
        follow_up.recorded_at = timezone.now()
        follow_up.full_clean()
        follow_up.save()
