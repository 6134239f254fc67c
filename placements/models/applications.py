"""A parent's application for the child's return, and its decision."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.dates import format_date
from families.models import Parent
from placements.models.placement import Placement

APPROVE_PERMISSION = "placements.approve_returnapplication"


class ReturnApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ReturnApplication.OPEN)


class ReturnApplication(models.Model):
    """A parent's application for the child's return home.

    submitted -> under review -> approved or rejected (after the guardianship and
    custody authority's decision); submitted or under review -> withdrawn. Approved,
    rejected and withdrawn are final.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW)
    DECIDED = (Status.APPROVED, Status.REJECTED)
    TRANSITIONS = {
        Status.SUBMITTED: {Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        Status.UNDER_REVIEW: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
    }

    placement = models.ForeignKey(
        Placement,
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
    filed_on = models.DateField(_("filed on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False
    )
    decision_number = models.CharField(
        _("authority's decision number"), max_length=50, blank=True, editable=False
    )
    decision_date = models.DateField(
        _("authority's decision date"), null=True, blank=True, editable=False
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
    comment = models.TextField(_("comment"), blank=True)
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
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"],
                condition=models.Q(status__in=["submitted", "under_review"]),
                name="returnapplication_one_open_per_placement",
                violation_error_message=_("This placement already has an open return application."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=["submitted", "under_review"],
                        decision_number="",
                        decision_date__isnull=True,
                        decided_by__isnull=True,
                        decided_at__isnull=True,
                    )
                    | models.Q(
                        status="approved",
                        decision_number__gt="",
                        decision_date__gte=models.F("filed_on"),
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                    | models.Q(
                        status="rejected",
                        decision_number__gt="",
                        decision_date__gte=models.F("filed_on"),
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                        comment__gt="",
                    )
                    | models.Q(
                        status="withdrawn",
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
            and self.placement.status != Placement.Status.ACTIVE
        ):
            raise ValidationError(_("The placement is closed; no application can be added."))

    # State changes. Each locks the placement, then the application, and re-reads the
    # application's status under the lock before deciding anything.

    def _lock(self):
        placement = Placement.objects.select_for_update().get(pk=self.placement_id)
        application = ReturnApplication.objects.select_for_update().get(pk=self.pk)
        return placement, application

    @staticmethod
    def _require_transition(application, to):
        if to in ReturnApplication.TRANSITIONS.get(application.status, ()):
            return
        if application.status in ReturnApplication.DECIDED or application.status == "withdrawn":
            raise ValidationError(
                _("This application is already %(status)s; its status cannot change again."),
                code="final",
                params={"status": application.get_status_display()},
            )
        raise ValidationError(
            _("This application is already %(status)s."),
            code="same",
            params={"status": application.get_status_display()},
        )

    def _record_decision(self, application, *, status, by, decision_number, decision_date):
        decision_number = (decision_number or "").strip()
        if not decision_number:
            raise ValidationError(_("Enter the authority's decision number."), code="number")
        if decision_date is None or decision_date > timezone.localdate():
            raise ValidationError(
                _("Enter the authority's decision date; it cannot be in the future."),
                code="decision_date",
            )
        if decision_date < application.filed_on:
            raise ValidationError(
                _("The decision cannot be dated before the application was filed (%(date)s)."),
                code="decision_date",
                params={"date": format_date(application.filed_on)},
            )
        application.status = status
        application.decision_number = decision_number
        application.decision_date = decision_date
        application.decided_by = by
        application.decided_at = timezone.now()

    def _copy_from(self, application):
        for field in (
            "status",
            "decision_number",
            "decision_date",
            "decided_by_id",
            "decided_at",
            "comment",
        ):
            setattr(self, field, getattr(application, field))

    def start_review(self, *, by):
        """Mark the application as sent to the guardianship and custody authority."""
        with transaction.atomic():
            _placement, application = self._lock()
            self._require_transition(application, self.Status.UNDER_REVIEW)
            application.status = self.Status.UNDER_REVIEW
            application.save(update_fields=["status"])
        self._copy_from(application)

    def approve(self, *, by, decision_number, decision_date, returned_on=None):
        """Approve after the authority's decision, and close the placement in the same
        transaction with the outcome "returned to the biological family" on
        `returned_on` (default today). Exactly one of any concurrent decisions wins."""
        if not by.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied
        returned_on = returned_on or timezone.localdate()
        with transaction.atomic():
            placement, application = self._lock()
            self._require_transition(application, self.Status.APPROVED)
            if placement.status != Placement.Status.ACTIVE:
                raise ValidationError(_("This placement is already closed."), code="closed")
            self._record_decision(
                application,
                status=self.Status.APPROVED,
                by=by,
                decision_number=decision_number,
                decision_date=decision_date,
            )
            if returned_on < application.decision_date:
                raise ValidationError(
                    _("The child cannot go home before the authority's decision."),
                    code="returned_on",
                )
            application.save()
            placement.close(outcome=Placement.Outcome.RETURNED, on=returned_on, by=by)
        self._copy_from(application)
        self.placement = placement

    def reject(self, *, by, decision_number, decision_date, reason):
        """Reject after the authority's decision; the child stays in care."""
        if not by.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for the rejection."), code="reason")
        with transaction.atomic():
            _placement, application = self._lock()
            self._require_transition(application, self.Status.REJECTED)
            self._record_decision(
                application,
                status=self.Status.REJECTED,
                by=by,
                decision_number=decision_number,
                decision_date=decision_date,
            )
            application.comment = "\n".join(c for c in (application.comment, reason) if c)
            application.save()
        self._copy_from(application)

    def withdraw(self, *, by):
        """The parent withdrew the application before a decision."""
        with transaction.atomic():
            _placement, application = self._lock()
            self._require_transition(application, self.Status.WITHDRAWN)
            application.status = self.Status.WITHDRAWN
            application.decided_by = by
            application.decided_at = timezone.now()
            application.save(update_fields=["status", "decided_by", "decided_at"])
        self._copy_from(application)
