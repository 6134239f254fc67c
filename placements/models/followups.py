import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text


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

    def dashboard_counts(self, today: datetime.date, days: int):
        """How many pending follow-ups are overdue, and due within `days` days (as
        overdue and due_within select them), in one statement."""
        # Counting the due date, not the key: the open follow-ups' index answers alone.
        return self.pending().aggregate(
            overdue=models.Count("due_on", filter=models.Q(due_on__lt=today)),
            due=models.Count(
                "due_on",
                filter=models.Q(
                    due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
                ),
            ),
        )

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
    due_on = models.DateField(_("due on"), validators=[validate_plausible_date])
    done_on = models.DateField(
        _("done on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, blank=True)
    situation = models.CharField(
        _("the family's situation"), max_length=20, choices=Situation.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_visible_text])
    missed_reason = models.TextField(
        _("why it was missed"), blank=True, validators=[validate_visible_text]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)

    # What recording a follow-up sets; once set, it is never changed.
    RECORDED_FIELDS = ("done_on", "method", "situation", "notes", "missed_reason")

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up after the return")
        verbose_name_plural = _("follow-ups after the return")
        permissions = [("record_followup", _("Can record follow-ups after the return"))]
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
            # The indicators' follow-ups due in a period and how they went, from the
            # index alone.
            models.Index(
                fields=["due_on"], include=["done_on", "missed_reason"], name="follow_up_due_on"
            ),
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

    def clean(self):
        """A contact is dated neither in the future nor before the child went home, and
        a follow-up is recorded once: what another person recorded is never overwritten."""
        super().clean()
        if self.done_on is not None:
            if self.done_on > timezone.localdate():
                raise ValidationError({"done_on": _("The date cannot be in the future.")})
            closed_on = self.placement.closed_on if self.placement_id else None
            if closed_on and self.done_on < closed_on:
                raise ValidationError(
                    {"done_on": _("The contact cannot be before the child went home.")}
                )
            if not self.method or not self.situation:
                raise ValidationError(
                    _("A contact that took place needs how it happened and the family's situation.")
                )
            if self.missed_reason:
                raise ValidationError(
                    _("A follow-up is either recorded as done or marked missed, not both.")
                )
        if self.pk is not None and not self.is_pending and self._changes_a_record():
            raise ValidationError(_("This follow-up is already recorded."), code="recorded")

    def _changes_a_record(self):
        """True when the stored row was already recorded and this one differs from it."""
        stored = FollowUp.objects.filter(pk=self.pk).values(*self.RECORDED_FIELDS).first()
        if not stored or not (stored["done_on"] or stored["missed_reason"]):
            return False
        return any(stored[f] != getattr(self, f) for f in self.RECORDED_FIELDS)
