"""A child's stay in the home: the placement, its term extensions, and the named
filters the workspace, the reminders and the figures use."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from crisisunit import roles
from crisisunit.lib.dates import add_months, format_date, week_start
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text, years_before
from families.models import Child, ChildParent
from placements.models.choices import PlacementOutcome, PlacementStatus
from placements.models.contacts import Contact
from placements.models.followups import FollowUp
from placements.models.placement_queries import PlacementQuerySet
from placements.models.plans import FamilyPlan, PlanReview

if TYPE_CHECKING:  # the stubs are a development dependency
    from django_stubs_ext import StrOrPromise


def default_planned_end(admitted_on: datetime.date) -> datetime.date:
    """The end of the first term: admission + PLACEMENT_TERM_MONTHS."""
    return add_months(admitted_on, settings.PLACEMENT_TERM_MONTHS)


class Placement(models.Model):
    """One temporary stay of a child in the home, from admission to closing."""

    Status = PlacementStatus

    class ReferralSource(models.TextChoices):
        MOTHER_AND_CHILD = (
            "mother_and_child",
            _("mother-and-child department, Public Health Department of Astana"),
        )
        GUARDIANSHIP = (
            "guardianship",
            _("guardianship and custody department, Education Department of Astana"),
        )
        OTHER = "other", _("other")

    class CrisisReason(models.TextChoices):
        RELATIONSHIP = "relationship", _("relationship breakdown leaving no material support")
        CRIMINAL = "criminal", _("criminal proceedings or imprisonment")
        MEDICAL = "medical", _("long-term medical treatment")
        HOUSING = "housing", _("housing")
        OTHER = "other", _("other")

    Outcome = PlacementOutcome

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="placements", verbose_name=_("child")
    )
    admitted_on = models.DateField(_("admission date"), validators=[validate_plausible_date])
    planned_end_on = models.DateField(
        _("planned end date"),
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Left empty, it is the admission date plus the standard term."),
    )
    referral_source = models.CharField(
        _("referred by"), max_length=30, choices=ReferralSource.choices
    )
    referral_number = models.CharField(
        _("referral document number"), max_length=50, blank=True, validators=[validate_visible_text]
    )
    referral_date = models.DateField(
        _("referral document date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    crisis_reason = models.CharField(
        _("crisis reason"), max_length=20, choices=CrisisReason.choices
    )
    crisis_notes = models.TextField(
        _("notes on the crisis"), blank=True, validators=[validate_visible_text]
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_placements",
        verbose_name=_("assigned social worker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, editable=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    # The latest visit's date and time, kept by the visit services
    # (placements/visit_summary.py) so that lists and counts need not look at the visits.
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)
    closed_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        editable=False,
        validators=[validate_plausible_date],
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Set on a placement brought in from a spreadsheet: the import's log entry.
    imported = models.ForeignKey(
        "placements.CaseloadImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("imported from"),
        editable=False,
    )

    objects = PlacementQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["last_visit_at"])  # derived, not edited

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-admitted_on", "-pk"]
        indexes = [
            # The lists, newest admission first; the indicators' placements opened.
            models.Index(fields=["-admitted_on", "-id"], name="placement_admitted"),
            # Placements closed in a period: the indicators, the public figures by
            # year, the retention report; on PostgreSQL with what they count, so that
            # the cold statistics page reads the index alone.
            models.Index(
                fields=["closed_on"],
                include=["status", "outcome", "crisis_reason", "admitted_on", "id"],
                name="placement_closed_on",
            ),
        ]
        permissions = [
            ("export_placements", _("Can export placements and visits")),
            ("export_personal_data", _("Can include names and IINs in exports")),
            ("view_indicators", _("Can see the unit's indicators")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status=PlacementStatus.ACTIVE),
                name="placement_one_active_per_child",
                violation_error_message=_("This child already has an active placement."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("admitted_on")),
                name="placement_end_after_admission",
                violation_error_message=_("The planned end date must be after the admission."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=PlacementStatus.ACTIVE,
                        outcome="",
                        closed_on__isnull=True,
                        closed_by__isnull=True,
                    )
                    | models.Q(
                        status=PlacementStatus.CLOSED,
                        outcome__in=PlacementOutcome.values,
                        closed_on__gte=models.F("admitted_on"),
                        closed_by__isnull=False,
                    )
                ),
                name="placement_closing_complete",
                violation_error_message=_(
                    "A closed placement needs an outcome, a closing date and who closed it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(child)s, admitted %(date)s") % {
            "child": self.child,
            "date": format_date(self.admitted_on),
        }

    def get_absolute_url(self) -> str:
        return reverse("placements:detail", args=[self.pk])

    # Fields whose change makes clean() check what a stay's records and rules hold.
    WATCHED = ("admitted_on", "closed_on", "social_worker_id")
    _stored: dict[str, object]  # what from_db read of WATCHED

    @classmethod
    def from_db(cls, db, field_names, values):
        placement = super().from_db(db, field_names, values)
        placement._stored = {
            name: value for name, value in zip(field_names, values, strict=True)
            if name in cls.WATCHED
        }  # fmt: skip
        return placement

    def changed(self, attname: str) -> bool:
        """Whether `attname` differs from what was read from the database (always true
        for a new placement)."""
        stored = getattr(self, "_stored", {})
        return attname not in stored or stored[attname] != getattr(self, attname)

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors = self._window_errors()
        chosen = self.social_worker_id and self.changed("social_worker_id")
        if chosen and not roles.may_be_assigned(self.social_worker):
            errors["social_worker"] = self.NOT_ASSIGNABLE % {"name": self.social_worker}
        if self.admitted_on:
            if self.admitted_on > today:
                errors["admitted_on"] = _("The admission date cannot be in the future.")
            elif self.planned_end_on is None:
                self.planned_end_on = default_planned_end(self.admitted_on)
            if "admitted_on" in errors or not self.child_id:
                pass
            elif refusal := self.admission_refusal(self.child.date_of_birth):
                errors["admitted_on"] = refusal
            elif self._overlapping().exists():
                errors["admitted_on"] = self.OVERLAPPING
        if self.referral_date and self.referral_date > today:
            errors["referral_date"] = _("The referral document cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)

    OVERLAPPING = _("This child has another placement over these dates.")
    NOT_ASSIGNABLE = _("%(name)s is not an active social worker.")

    def _window_errors(self) -> dict:
        """check_stay_window on the dates this save changes, as field errors."""
        errors = {}
        for field in ("admitted_on", "closed_on"):
            if self.pk and getattr(self, field) and self.changed(field):
                try:
                    self.check_stay_window(**{field: getattr(self, field)})
                except ValidationError as error:
                    errors[field] = error
        return errors

    def check_stay_window(
        self, *, admitted_on: datetime.date | None = None, closed_on: datetime.date | None = None
    ) -> None:
        """The stay window: every dated record of the stay (visits, consultations,
        contacts, return applications, the plan, its reviews, inspection acts and
        referrals) falls between the admission and the closing.
        Refuse (ValidationError) admitting on `admitted_on` when a record is dated
        before it, or closing on `closed_on` when one is dated after it."""
        if admitted_on and self._records_dated(before=admitted_on):
            raise ValidationError(
                _("Records of this stay (visits, consultations, contacts, applications, "
                  "the work with the family) are dated before %(date)s.")
                % {"date": format_date(admitted_on)},
                code="admission_date",
            )  # fmt: skip
        if closed_on and self._records_dated(after=closed_on):
            raise ValidationError(
                _("Records of this stay (visits, consultations, contacts, applications, "
                  "the work with the family) are dated after %(date)s.")
                % {"date": format_date(closed_on)},
                code="closing_date",
            )  # fmt: skip

    def _records_dated(self, *, before=None, after=None) -> bool:
        dated = [
            (self.visits.all(), "visited_at__date"),  # a local date (the current zone)
            (self.consultations.all(), "held_on"),
            (Contact.objects.filter(placement=self), "happened_on"),
            (self.return_applications.all(), "filed_on"),
            # The work with the family (placements/models/plans.py, inspections.py).
            (FamilyPlan.objects.filter(placement=self), "started_on"),
            (PlanReview.objects.filter(plan__placement=self), "held_on"),
            (self.inspections.all(), "inspected_on"),
            (self.referrals.all(), "sent_on"),
        ]
        bound, day = ("lt", before) if before else ("gt", after)
        return any(records.filter(**{f"{name}__{bound}": day}).exists() for records, name in dated)

    def check_closing(self, *, outcome: str, on: datetime.date) -> None:
        """Refuse (ValidationError) closing this stay with `outcome` on `on`: an outcome
        is required, and the date falls between the admission and today."""
        if outcome not in PlacementOutcome.values:
            raise ValidationError(_("Choose an outcome."), code="outcome")
        if on < self.admitted_on or on > timezone.localdate():
            raise ValidationError(
                _("The closing date must be between the admission and today."),
                code="closing_date",
            )

    def overlaps(self, admitted_on: datetime.date, closed_on: datetime.date | None) -> bool:
        """Whether this stay overlaps another of the child's, from `admitted_on` to
        `closed_on` (None: not closed): the rule _overlapping asks the database, for
        stays not saved yet (an import's rows). A stay may begin the day another ends."""
        ends_after = closed_on is None or closed_on > self.admitted_on
        return ends_after and (self.closed_on is None or admitted_on < self.closed_on)

    def pending_follow_ups_of_earlier_stays(self) -> models.QuerySet[FollowUp]:
        """The re-entry rule's records: the follow-ups still pending after an earlier
        stay of this child that closed by this admission. A child back in care will not
        have them; placements.services closes them, saying why (reentry_reason)."""
        return FollowUp.objects.filter(
            placement__child=self.child_id,
            placement__closed_on__lte=self.admitted_on,
            done_on__isnull=True,
            missed_reason="",
        ).exclude(placement=self.pk)

    def reentry_reason(self) -> str:
        return _("The child came back into care on %(date)s.") % {
            "date": format_date(self.admitted_on)
        }

    def admission_refusal(self, date_of_birth: datetime.date) -> "StrOrPromise | None":
        """Why a child born on `date_of_birth` cannot be admitted on this admission
        date, or None."""
        if self.admitted_on < date_of_birth:
            return _("The admission date is before the child's birth.")
        if self.admitted_on >= years_before(date_of_birth, -settings.ADMISSION_MAX_AGE_YEARS):
            years = settings.ADMISSION_MAX_AGE_YEARS
            return ngettext(
                "On this date the child was already %(years)s year old; "
                "the unit admits children only.",
                "On this date the child was already %(years)s years old; "
                "the unit admits children only.",
                years,
            ) % {"years": years}
        return None

    def weekly_visit_record(
        self, visit_days: Iterable[datetime.date], today: datetime.date
    ) -> tuple[list[dict[str, Any]], float | None]:
        """Each week (Monday to Sunday) of the stay with whether a parent visited, and
        the share of weeks visited. A week counts once it is over, or the stay ended in
        it, or it already has a visit; the week under way without a visit does not yet."""
        visit_days = set(visit_days)
        last_day = self.closed_on or today
        weeks = []
        monday = week_start(self.admitted_on)
        while monday <= last_day:
            sunday = monday + datetime.timedelta(days=6)
            visited = any(monday + datetime.timedelta(days=i) in visit_days for i in range(7))
            counts = visited or sunday < today or self.closed_on is not None
            weeks.append({"start": monday, "end": sunday, "visited": visited, "counts": counts})
            monday += datetime.timedelta(days=7)
        counted = [w for w in weeks if w["counts"]]
        rate = sum(bool(w["visited"]) for w in counted) / len(counted) if counted else None
        return weeks, rate

    def _overlapping(self) -> models.QuerySet["Placement"]:
        others = Placement.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        overlapping = others.filter(
            models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=self.admitted_on)
        )
        if self.closed_on:
            overlapping = overlapping.filter(admitted_on__lt=self.closed_on)
        return overlapping

    def check_date_within(self, day: datetime.date, field: str) -> None:
        """Raise a ValidationError on `field` unless `day` falls inside this stay
        and is not later than today."""
        if day > timezone.localdate():
            raise ValidationError({field: _("The date cannot be in the future.")})
        if day < self.admitted_on:
            raise ValidationError(
                {
                    field: _("The date is before the admission on %(date)s.")
                    % {"date": format_date(self.admitted_on)}
                }
            )
        if self.closed_on and day > self.closed_on:
            raise ValidationError(
                {
                    field: _("The date is after the placement closed on %(date)s.")
                    % {"date": format_date(self.closed_on)}
                }
            )

    def check_parent_of_child(self, parent_id: int, field: str) -> None:
        """Raise a ValidationError on `field` unless the parent is linked to this child."""
        if not ChildParent.objects.filter(child_id=self.child_id, parent_id=parent_id).exists():
            raise ValidationError(
                {field: _("This person is not recorded as a parent of the child.")}
            )


class TermExtension(models.Model):
    """A longer term for a placement: the new end, the reason, the basis and who granted it."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("placement")
    )
    previous_end_on = models.DateField(
        _("previous end date"), editable=False, validators=[validate_plausible_date]
    )
    new_end_on = models.DateField(_("new planned end date"), validators=[validate_plausible_date])
    reason = models.TextField(_("reason"), validators=[validate_visible_text])
    basis_number = models.CharField(
        _("basis document number"), max_length=50, validators=[validate_visible_text]
    )
    basis_date = models.DateField(_("basis document date"), validators=[validate_plausible_date])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term extension")
        verbose_name_plural = _("term extensions")
        ordering = ["placement", "granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_end_on__gt=models.F("previous_end_on")),
                name="termextension_moves_end_later",
                violation_error_message=_("The new end date must be after the current one."),
            ),
        ]

    def __str__(self) -> str:
        return _("Extended to %(date)s") % {"date": format_date(self.new_end_on)}

    def clean(self) -> None:
        super().clean()
        if self.basis_date and self.basis_date > timezone.localdate():
            raise ValidationError({"basis_date": _("The date cannot be in the future.")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the extension.")})
        if self.previous_end_on and self.new_end_on and self.new_end_on <= self.previous_end_on:
            raise ValidationError(
                {
                    "new_end_on": _("The new end date must be after the current one (%(date)s).")
                    % {"date": format_date(self.previous_end_on)}
                }
            )
        if self.previous_end_on and self.new_end_on:
            latest = add_months(self.previous_end_on, settings.EXTENSION_MAX_MONTHS)
            if self.new_end_on > latest:
                raise ValidationError(
                    {
                        "new_end_on": _(
                            "A term is extended by at most %(months)s months at a time: "
                            "until %(date)s."
                        )
                        % {"months": settings.EXTENSION_MAX_MONTHS, "date": format_date(latest)}
                    }
                )
