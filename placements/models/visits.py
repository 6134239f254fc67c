"""Visits of the parents and consultations given to them during a stay."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.dates import format_date
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text
from families.models import Parent, Recorded


class Visit(Recorded):
    """A parent's visit to the child; the duty is at least one a week."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("placement"),
    )
    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="visits", verbose_name=_("parent")
    )
    visited_at = models.DateTimeField(_("date and time"), validators=[validate_plausible_date])
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"))
    notes = models.TextField(_("notes"), blank=True, validators=[validate_visible_text])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["placement", "visited_at"], name="visit_placement_time"),
            # The dashboard's visits this week; the admin's list, newest first; the
            # indicators' weeks with a visit, from the index alone (placement included).
            models.Index(fields=["visited_at"], include=["placement"], name="visit_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="visit_duration_in_a_day",
                violation_error_message=_("A visit lasts from 1 minute to 24 hours."),
            ),
        ]

    def __str__(self):
        return _("Visit of %(parent)s on %(date)s") % {
            "parent": self.parent,
            "date": format_date(timezone.localtime(self.visited_at).date()),
        }

    def clean(self):
        super().clean()
        if self.placement_id and self.visited_at:
            if self.visited_at > timezone.now():
                raise ValidationError({"visited_at": _("The date cannot be in the future.")})
            self.placement.check_date_within(
                timezone.localtime(self.visited_at).date(), "visited_at"
            )
        if self.placement_id and self.parent_id:
            self.placement.check_parent_of_child(self.parent_id, "parent")


class Consultation(Recorded):
    """A consultation a parent received from a specialist during the stay, or a
    specialist's consultation or examination of the child alone (no parent)."""

    class Specialist(models.TextChoices):
        LAWYER = "lawyer", _("lawyer")
        SOCIAL_WORKER = "social_worker", _("social worker")
        DOCTOR = "doctor", _("doctor")
        PSYCHOLOGIST = "psychologist", _("psychologist")
        OTHER = "other", _("other specialist")

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("placement"),
    )
    parent = models.ForeignKey(
        Parent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("parent"),
        help_text=_("Left empty for a consultation or examination of the child alone."),
    )
    specialist = models.CharField(_("specialist"), max_length=20, choices=Specialist.choices)

    # Advice that is always given to a parent.
    FOR_A_PARENT = (Specialist.LAWYER, Specialist.SOCIAL_WORKER)
    specialist_name = models.CharField(
        _("specialist's name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    held_on = models.DateField(_("date"), validators=[validate_plausible_date])
    summary = models.TextField(_("summary"), validators=[validate_visible_text])
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["placement", "held_on"], name="consultation_placement_day"),
            # The indicators' consultations by specialist in a period, from the index alone.
            models.Index(fields=["held_on", "specialist"], name="consultation_day_specialist"),
        ]

    def __str__(self):
        return _("%(specialist)s consultation on %(date)s") % {
            "specialist": self.get_specialist_display(),
            "date": format_date(self.held_on),
        }

    def clean(self):
        super().clean()
        if self.placement_id and self.held_on:
            self.placement.check_date_within(self.held_on, "held_on")
        if self.placement_id and self.parent_id:
            self.placement.check_parent_of_child(self.parent_id, "parent")
        if not self.parent_id and self.specialist in self.FOR_A_PARENT:
            raise ValidationError(
                {"parent": _("Name the parent who was advised.")}, code="parent_required"
            )


class VisitWeek(models.Model):
    """A week (Monday to Sunday, local time) in which a placement had at least one
    visit: derived from the visits and kept by the visit services
    (placements/visit_summary.py), so that the indicators count weeks with a visit
    without reading every visit of the period. No change history: it is not edited."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="visit_weeks",
        verbose_name=_("placement"),
    )
    week = models.DateField(_("week"))  # its Monday

    class Meta:
        verbose_name = _("week with a visit")
        verbose_name_plural = _("weeks with a visit")
        constraints = [
            # One row a week; also the index that serves a period's weeks, placement
            # included, from the index alone.
            models.UniqueConstraint(fields=["week", "placement"], name="visit_week_once"),
        ]

    def __str__(self):
        return format_date(self.week)
