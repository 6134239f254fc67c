"""A parent's application for the child's return, and its decision."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.dates import format_date
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text
from families.models import Parent
from placements.models.choices import ApplicationStatus, PlacementStatus

APPROVE_PERMISSION = "placements.approve_returnapplication"


class ReturnApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ReturnApplication.OPEN)

    def past_deadline(self, today):
        """Sent to the authority more than settings.AUTHORITY_DECISION_DAYS ago, and
        still undecided."""
        limit = today - datetime.timedelta(days=settings.AUTHORITY_DECISION_DAYS)
        return self.open().filter(sent_on__lt=limit)


# Open until the authority decides or the parent withdraws; then final.
OPEN_STATUSES = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]


class ReturnApplication(models.Model):
    """A parent's application for the child's return home.

    submitted -> under review -> approved or rejected (after the guardianship and
    custody authority's decision); submitted or under review -> withdrawn. Approved,
    rejected and withdrawn are final.
    """

    Status = ApplicationStatus

    OPEN = tuple(OPEN_STATUSES)
    DECIDED = (Status.APPROVED, Status.REJECTED)
    TRANSITIONS: dict[str, set[str]] = {
        Status.SUBMITTED: {Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        Status.UNDER_REVIEW: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
    }

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="return_applications",
        verbose_name=_("placement"),
    )
    applicant = models.ForeignKey(
        Parent,
        on_delete=models.PROTECT,
        related_name="return_applications",
        verbose_name=_("applicant"),
    )
    filed_on = models.DateField(_("filed on"), validators=[validate_plausible_date])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    decision_number = models.CharField(
        _("authority's decision number"), max_length=50, blank=True, editable=False
    )
    decision_date = models.DateField(
        _("authority's decision date"),
        null=True,
        blank=True,
        editable=False,
        validators=[validate_plausible_date],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    comment = models.TextField(_("comment"), blank=True, validators=[validate_visible_text])
    # The authority's file: when the application went to the guardianship and custody
    # authority, under which outgoing number, with which inspection act.
    sent_on = models.DateField(
        _("sent to the authority on"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
    )
    outgoing_number = models.CharField(
        _("outgoing number"), max_length=50, blank=True, validators=[validate_visible_text]
    )
    inspection = models.ForeignKey(
        "placements.InspectionAct",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspection act sent with it"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    objects = ReturnApplicationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("return application")
        verbose_name_plural = _("return applications")
        ordering = ["-filed_on", "-pk"]
        permissions = [
            ("approve_returnapplication", _("Can approve or reject return applications")),
            (
                "review_returnapplication",
                _("Can send return applications for review and record withdrawals"),
            ),
        ]
        indexes = [
            # The dashboard's open applications, in the order it lists them.
            models.Index(
                fields=["status", "filed_on", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="returnapplication_open",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="returnapplication_one_open_per_placement",
                violation_error_message=_("This placement already has an open return application."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=OPEN_STATUSES,
                        decision_number="",
                        decision_date__isnull=True,
                        decided_by__isnull=True,
                        decided_at__isnull=True,
                    )
                    | models.Q(
                        status=ApplicationStatus.APPROVED,
                        decision_number__gt="",
                        decision_date__gte=models.F("filed_on"),
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    | models.Q(
                        status=ApplicationStatus.REJECTED,
                        decision_number__gt="",
                        decision_date__gte=models.F("filed_on"),
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                        comment__gt="",
                    )
                    | models.Q(
                        status=ApplicationStatus.WITHDRAWN,
                        decision_number="",
                        decision_date__isnull=True,
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                ),
                name="returnapplication_decision_complete",
                violation_error_message=_(
                    "A decided application needs the authority's decision number and date, "
                    "and a rejection needs a reason."
                ),
            ),
        ]

    def __str__(self):
        return _("Return application No. %(pk)s for %(child)s") % {
            "pk": self.pk,
            "child": self.placement.child,
        }

    @property
    def is_open(self):
        return self.status in self.OPEN

    def clean(self):
        super().clean()
        if self.placement_id and self.filed_on:
            self.placement.check_date_within(self.filed_on, "filed_on")
        if self.placement_id and self.applicant_id:
            self.placement.check_parent_of_child(self.applicant_id, "applicant")
        if (
            self.placement_id
            and self._state.adding
            and self.placement.status != PlacementStatus.ACTIVE
        ):
            raise ValidationError(_("The placement is closed; no application can be added."))
        if self.sent_on and self.placement_id:
            self.check_sending(self.sent_on, self.inspection if self.inspection_id else None)
        if self.status in self.DECIDED:
            self._clean_decision()

    def check_sending(self, sent_on, inspection) -> None:
        """Refuse (ValidationError on the field) sending the application to the
        authority on `sent_on` before it was filed or in the future, or with an
        inspection act of another stay or made after it was sent."""
        if self.filed_on and sent_on < self.filed_on:
            raise ValidationError(
                {
                    "sent_on": _(
                        "The application cannot go to the authority before it was filed (%(date)s)."
                    )
                    % {"date": format_date(self.filed_on)}
                }
            )
        if sent_on > timezone.localdate():
            raise ValidationError({"sent_on": _("The date cannot be in the future.")})
        if inspection is not None and inspection.placement_id != self.placement_id:
            raise ValidationError({"inspection": _("Choose an inspection act of this stay.")})
        if inspection is not None and inspection.inspected_on > sent_on:
            raise ValidationError(
                {"inspection": _("The inspection act is dated after the application was sent.")}
            )

    @property
    def decision_due_on(self):
        """The day the authority's decision is due: settings.AUTHORITY_DECISION_DAYS
        after the application was sent; None before it is sent."""
        if self.sent_on is None:
            return None
        return self.sent_on + datetime.timedelta(days=settings.AUTHORITY_DECISION_DAYS)

    def _clean_decision(self):
        """The authority's decision: its number, and a date neither in the future nor
        before the application was filed."""
        if not (self.decision_number or "").strip():
            raise ValidationError({"decision_number": _("Enter the authority's decision number.")})
        if self.decision_date is None or self.decision_date > timezone.localdate():
            raise ValidationError(
                {
                    "decision_date": _(
                        "Enter the authority's decision date; it cannot be in the future."
                    )
                }
            )
        if self.filed_on and self.decision_date < self.filed_on:
            raise ValidationError(
                {
                    "decision_date": _(
                        "The decision cannot be dated before the application was filed (%(date)s)."
                    )
                    % {"date": format_date(self.filed_on)}
                }
            )

    def require_transition(self, to):
        """Refuse (ValidationError) a move from this status to `to` that the workflow
        does not allow; a decided or withdrawn application never changes again."""
        if to in self.TRANSITIONS.get(self.status, ()):
            return
        if not self.is_open:
            raise ValidationError(
                _("This application is already %(status)s; its status cannot change again."),
                code="final",
                params={"status": self.get_status_display()},
            )
        raise ValidationError(
            _("This application is already %(status)s."),
            code="same",
            params={"status": self.get_status_display()},
        )
