"""What the home finds and asks for outside its walls: the inspection act of a family's
living conditions (with a risk level), and a parent's referrals to outside services.
Written by placements/services/familywork.py."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.dates import add_months, format_date
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text
from families.models import Parent, Recorded


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


def _section(label):
    return models.TextField(label, blank=True, validators=[validate_visible_text])


class InspectionAct(Recorded):
    """The act of an inspection of a family's living conditions: where, who inspected,
    what they found section by section, the conclusion and the family's risk level
    with its reason. The signed scan is kept among the case's documents."""

    Risk = RiskLevel
    # The sections, in the order of the printed act.
    SECTIONS = (
        "housing",
        "income",
        "household",
        "infant_sleeping",
        "infant_heating",
        "infant_water",
        "infant_sanitation",
        "relations",
        "risks",
    )

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("placement"),
    )
    inspected_on = models.DateField(
        _("date of the inspection"), validators=[validate_plausible_date]
    )
    inspectors = models.CharField(
        _("who inspected"), max_length=300, validators=[validate_visible_text]
    )
    address = models.CharField(_("address"), max_length=300, validators=[validate_visible_text])
    housing = _section(_("housing and its condition"))
    income = _section(_("income and employment"))
    household = _section(_("who lives there"))
    infant_sleeping = _section(_("a sleeping place for the child"))
    infant_heating = _section(_("heating"))
    infant_water = _section(_("water"))
    infant_sanitation = _section(_("sanitation"))
    relations = _section(_("relations and support"))
    risks = _section(_("risks observed"))
    conclusion = models.TextField(_("conclusion"), validators=[validate_visible_text])
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    risk_reason = models.TextField(
        _("reason for the risk level"), validators=[validate_visible_text]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection act")
        verbose_name_plural = _("inspection acts")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["placement", "inspected_on"], name="inspection_placement_day")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(risk_level__in=RiskLevel.values), name="inspection_risk_level"
            ),
            models.CheckConstraint(
                condition=~models.Q(risk_reason=""),
                name="inspection_risk_with_reason",
                violation_error_message=_("Give the reason for the risk level."),
            ),
        ]

    def __str__(self):
        return str(_("Inspection act of %(date)s")) % {"date": format_date(self.inspected_on)}

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        if self.placement_id and self.inspected_on:
            try:
                self.placement.check_date_within(self.inspected_on, "inspected_on")
            except ValidationError as error:
                errors.update(error.message_dict)
        if not (self.risk_reason or "").strip():
            errors["risk_reason"] = [_("Give the reason for the risk level.")]
        if errors:
            raise ValidationError(errors)

    def sections(self):
        """(label, text) of each section, in the printed act's order."""
        fields = [cast(models.Field, self._meta.get_field(name)) for name in self.SECTIONS]
        return [(field.verbose_name, getattr(self, field.name)) for field in fields]


def first_inspection_due(admitted_on):
    """The day by which a stay's first inspection act is due: a month after the
    admission (one at intake or in the first month)."""
    return add_months(admitted_on, 1)


class ServiceKind(models.TextChoices):
    HOUSING = "housing", _("housing queue")
    EMPLOYMENT = "employment", _("employment centre")
    BENEFITS = "benefits", _("social benefits")
    LEGAL = "legal", _("legal aid")
    TREATMENT = "treatment", _("medical or addiction treatment")
    PSYCHOLOGICAL = "psychological", _("psychological help")
    OTHER = "other", _("other")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    GIVEN = "given", _("service given")
    REFUSED = "refused", _("refused")
    NO_ANSWER = "no_answer", _("no answer")


class Referral(Recorded):
    """A parent referred to an outside service: which, to whom, what was asked, and
    what came of it; linked to the plan's action it serves, if any."""

    Service = ServiceKind
    Status = ReferralStatus
    # Statuses that are an answer from the service.
    ANSWERED = (ReferralStatus.ACCEPTED, ReferralStatus.GIVEN, ReferralStatus.REFUSED)

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("placement"),
    )
    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("parent")
    )
    service = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    organisation = models.CharField(
        _("organisation"), max_length=300, validators=[validate_visible_text]
    )
    sent_on = models.DateField(_("sent on"), validators=[validate_plausible_date])
    request = models.TextField(_("what was asked"), validators=[validate_visible_text])
    action = models.ForeignKey(
        "placements.PlanAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("the plan's action it serves"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    answered_on = models.DateField(
        _("answered on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    outcome = models.TextField(_("outcome"), blank=True, validators=[validate_visible_text])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral to a service")
        verbose_name_plural = _("referrals to services")
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["status", "sent_on"], name="referral_status_sent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__in=ServiceKind.values), name="referral_service"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status"
            ),
        ]

    def __str__(self):
        return f"{self.get_service_display()}: {self.organisation}"

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        if self.placement_id and self.sent_on:
            try:
                self.placement.check_date_within(self.sent_on, "sent_on")
            except ValidationError as error:
                errors.update(error.message_dict)
        if self.placement_id and self.parent_id:
            try:
                self.placement.check_parent_of_child(self.parent_id, "parent")
            except ValidationError as error:
                errors.update(error.message_dict)
        action = self.action if self.action_id else None
        if action is not None and action.goal.plan.placement_id != self.placement_id:
            errors["action"] = [_("Choose an action of this child's plan.")]
        errors.update(self._answer_errors())
        if errors:
            raise ValidationError(errors)

    def _answer_errors(self) -> dict[str, Any]:
        if self.status in self.ANSWERED and not self.answered_on:
            return {"answered_on": [_("Give the date of the service's answer.")]}
        if self.answered_on and self.sent_on and self.answered_on < self.sent_on:
            return {
                "answered_on": [
                    _("The answer cannot be before the referral was sent (%(date)s).")
                    % {"date": format_date(self.sent_on)}
                ]
            }
        if self.answered_on and self.answered_on > timezone.localdate():
            return {"answered_on": [_("The date cannot be in the future.")]}
        if (
            self.status in (ReferralStatus.GIVEN, ReferralStatus.REFUSED)
            and not (self.outcome or "").strip()
        ):
            return {"outcome": [_("Say what came of the referral.")]}
        return {}

    def is_awaiting(self) -> bool:
        return self.status == ReferralStatus.SENT
