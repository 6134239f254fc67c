"""The forms of the work with the family; they only validate (the models' clean()
runs in each ModelForm), and placements/services/familywork.py writes."""

from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.forms import CapitalizedLabels, DateInput, not_in_future
from families.models import Consent
from placements.models import (
    FamilyPlan,
    GoalProgress,
    InspectionAct,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    ReturnApplication,
)

TEXT = forms.Textarea(attrs={"rows": 3})


def require(form: forms.ModelForm, names: list[str]) -> None:
    """Fields the model leaves optional (older records have none) that this form asks
    for, labelled without "(optional)"."""
    for name in names:
        field = form.fields[name]
        field.required = True
        field.label = capfirst(form._meta.model._meta.get_field(name).verbose_name)


SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class PlanStartForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = FamilyPlan
        fields = ["started_on"]
        widgets = {"started_on": DateInput}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement
        self.fields["started_on"].initial = timezone.localdate


class GoalForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["area", "description"]
        widgets = {"description": SHORT_TEXT}
        help_texts = {"description": _("What the family must achieve for the child to go home.")}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = placement.plan


class ActionForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["goal", "what", "by_whom", "due_on"]
        widgets = {"what": SHORT_TEXT, "due_on": DateInput}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        goal = cast(forms.ModelChoiceField, self.fields["goal"])
        goal.queryset = placement.plan.goals.all()
        goal.empty_label = None


class ActionChangeForm(CapitalizedLabels, forms.ModelForm):
    """How an action stands; one not done needs the reason."""

    class Meta:
        model = PlanAction
        fields = ["status", "not_done_reason", "what", "by_whom", "due_on"]
        widgets = {"what": SHORT_TEXT, "not_done_reason": SHORT_TEXT, "due_on": DateInput}

    def __init__(self, *args, placement=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReviewForm(CapitalizedLabels, forms.ModelForm):
    """A review of the plan, with one progress step for each of its goals
    (`progress_<goal id>`), given to the service as `progress`."""

    class Meta:
        model = PlanReview
        fields = ["held_on", "parent_took_part", "participants", "decision", "note"]
        widgets = {"held_on": DateInput, "note": TEXT}
        help_texts = {
            "participants": _("For example: the mother, the social worker, the psychologist.")
        }

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = placement.plan
        self.fields["held_on"].initial = timezone.localdate
        self.fields["held_on"].validators.append(not_in_future)
        self.goals = list(placement.plan.goals.all())
        for goal in self.goals:
            self.fields[f"progress_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Progress: %(goal)s") % {"goal": goal},
                choices=GoalProgress.Step.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def clean(self):
        cleaned = super().clean() or {}
        cleaned["progress"] = {
            goal.pk: cleaned.pop(f"progress_{goal.pk}")
            for goal in self.goals
            if f"progress_{goal.pk}" in cleaned
        }
        return cleaned


class InspectionForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = InspectionAct
        fields = [
            "inspected_on", "inspectors", "address", *InspectionAct.SECTIONS,
            "conclusion", "risk_level", "risk_reason",
        ]  # fmt: skip
        widgets = {
            "inspected_on": DateInput,
            **dict.fromkeys(InspectionAct.SECTIONS, SHORT_TEXT),
            "conclusion": TEXT,
            "risk_reason": SHORT_TEXT,
        }
        help_texts = {
            "inspectors": _("Names and positions, as they sign the act."),
            "risk_level": _("Low: the child can go home; medium: with support; high: not yet."),
        }

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement
        self.fields["inspected_on"].initial = timezone.localdate


class ReferralForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["parent", "service", "organisation", "sent_on", "request", "action"]
        widgets = {"sent_on": DateInput, "request": SHORT_TEXT}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = placement.child.parents.all()
        self.fields["sent_on"].initial = timezone.localdate
        plan = getattr(placement, "plan", None)  # a stay with no plan yet: no action
        cast(forms.ModelChoiceField, self.fields["action"]).queryset = (
            PlanAction.objects.filter(goal__plan=plan) if plan else PlanAction.objects.none()
        )


class ReferralAnswerForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["status", "answered_on", "outcome"]
        widgets = {"answered_on": DateInput, "outcome": SHORT_TEXT}

    def __init__(self, *args, placement=None, **kwargs):
        super().__init__(*args, **kwargs)


class ApplicationSendForm(CapitalizedLabels, forms.ModelForm):
    """The authority's file: the day the application goes to the guardianship and
    custody authority, its outgoing number and the inspection act sent with it."""

    class Meta:
        model = ReturnApplication
        fields = ["sent_on", "outgoing_number", "inspection"]
        widgets = {"sent_on": DateInput}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        require(self, ["sent_on", "outgoing_number", "inspection"])
        self.initial["sent_on"] = self.instance.sent_on or timezone.localdate()
        self.fields["sent_on"].help_text = _(
            "The authority's decision is due %(days)s days later (a term the home sets "
            "with its lawyer: AUTHORITY_DECISION_DAYS)."
        ) % {"days": settings.AUTHORITY_DECISION_DAYS}
        inspection = cast(forms.ModelChoiceField, self.fields["inspection"])
        inspection.queryset = placement.inspections.all()
        if not inspection.queryset.exists():
            inspection.help_text = _(
                "No inspection act yet: record one on the page of the work with the family."
            )


class ConsentForm(CapitalizedLabels, forms.ModelForm):
    """A parent's consent to the processing of personal data, given on a date."""

    class Meta:
        model = Consent
        fields = ["given_on", "covers"]
        widgets = {"given_on": DateInput, "covers": TEXT}

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.parent = parent
        self.fields["given_on"].initial = timezone.localdate


class ConsentWithdrawalForm(CapitalizedLabels, forms.ModelForm):
    """The parent withdrew the consent: when, and the reason they gave."""

    class Meta:
        model = Consent
        fields = ["withdrawn_on", "withdrawal_reason"]
        widgets = {"withdrawn_on": DateInput, "withdrawal_reason": SHORT_TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        require(self, ["withdrawn_on", "withdrawal_reason"])
        self.initial["withdrawn_on"] = self.instance.withdrawn_on or timezone.localdate()
