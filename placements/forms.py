"""Forms that only validate; the model methods change state."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.forms import DateInput, not_in_future
from placements.models import Placement


class DecisionForm(forms.Form):
    """The guardianship and custody authority's decision on a return application."""

    decision_number = forms.CharField(label=_("authority's decision number"), max_length=50)
    decision_date = forms.DateField(
        label=_("authority's decision date"), widget=DateInput, validators=[not_in_future]
    )

    def clean_decision_number(self):
        value = self.cleaned_data["decision_number"].strip()
        if not value:
            raise forms.ValidationError(_("Enter the authority's decision number."))
        return value


class ApprovalForm(DecisionForm):
    returned_on = forms.DateField(
        label=_("date the child goes home"),
        widget=DateInput,
        validators=[not_in_future],
        initial=timezone.localdate,
    )

    def clean(self):
        cleaned = super().clean()
        decided, returned = cleaned.get("decision_date"), cleaned.get("returned_on")
        if decided and returned and returned < decided:
            self.add_error(
                "returned_on", _("The child cannot go home before the authority's decision.")
            )
        return cleaned


class RejectionForm(DecisionForm):
    reason = forms.CharField(label=_("reason for the rejection"), widget=forms.Textarea)

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Give the reason for the rejection."))
        return value


class ClosingForm(forms.Form):
    """Closing a placement for any outcome but a return home, which comes from an
    approved return application."""

    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (value, label)
            for value, label in Placement.Outcome.choices
            if value != Placement.Outcome.RETURNED
        ],
    )
    closed_on = forms.DateField(
        label=_("closing date"),
        widget=DateInput,
        validators=[not_in_future],
        initial=timezone.localdate,
    )
