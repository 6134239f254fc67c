"""Forms that only validate; the services (placements/services/) change state."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from crisisunit import roles
from crisisunit.lib.forms import (
    CapitalizedLabels,
    DateInput,
    DateTimeInput,
    RecordsField,
    not_in_future,
)
from crisisunit.lib.plausible import PlausibleDateField
from families.models import RELATION_SEX, Child, Parent, Relation
from placements.models import (
    AgreedVisit,
    Consultation,
    Contact,
    FollowUp,
    Placement,
    ReturnApplication,
    Visit,
    Visitor,
)


class DecisionForm(CapitalizedLabels, forms.Form):
    """The guardianship and custody authority's decision on a return application. Its
    fields are the arguments of the approve and reject services, which check them."""

    decision_number = forms.CharField(label=_("authority's decision number"), max_length=50)
    decision_date = PlausibleDateField(
        label=_("authority's decision date"), widget=DateInput, validators=[not_in_future]
    )


class ApprovalForm(DecisionForm):
    returned_on = PlausibleDateField(
        label=_("date the child goes home"),
        widget=DateInput,
        validators=[not_in_future],
        initial=timezone.localdate,
    )


class RejectionForm(DecisionForm):
    reason = forms.CharField(label=_("reason for the rejection"), widget=forms.Textarea)


class ClosingForm(CapitalizedLabels, forms.Form):
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
    closed_on = PlausibleDateField(
        label=_("closing date"),
        widget=DateInput,
        validators=[not_in_future],
        initial=timezone.localdate,
    )


# The staff workspace. Each form validates through the model's own clean(); the view
# calls the service.


class ParentChoiceMixin:
    """Limit the parent field to the parents of the placement's child."""

    parent_field = "parent"

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement  # the model's clean() checks the dates
        field = self.fields[self.parent_field]
        field.queryset = placement.child.parents.all()
        field.error_messages["invalid_choice"] = _(
            "Choose one of this child's parents; the person chosen is not linked to the child."
        )
        field.empty_label = None if field.queryset.count() == 1 else field.empty_label


class VisitForm(ParentChoiceMixin, CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["parent", "visited_at", "duration_minutes", "notes"]
        widgets = {"visited_at": DateTimeInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["visited_at"].initial = now
        self.fields["duration_minutes"].initial = 60


class ConsultationForm(ParentChoiceMixin, CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "parent",
            "specialist",
            "specialist_name",
            "held_on",
            "summary",
            "follow_up_needed",
        ]
        widgets = {"held_on": DateInput, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The child alone (a doctor's examination) is always a choice.
        self.fields["parent"].empty_label = _("none: the child alone")
        self.fields["held_on"].initial = timezone.localdate
        self.fields["held_on"].validators.append(not_in_future)


class ReturnApplicationForm(ParentChoiceMixin, CapitalizedLabels, forms.ModelForm):
    """A return application as the parent submitted it."""

    parent_field = "applicant"

    class Meta:
        model = ReturnApplication
        fields = ["applicant", "filed_on", "comment"]
        widgets = {"filed_on": DateInput, "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filed_on"].initial = timezone.localdate
        self.fields["filed_on"].validators.append(not_in_future)


class ExtensionForm(CapitalizedLabels, forms.Form):
    new_end_on = PlausibleDateField(label=_("new planned end date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    basis_number = forms.CharField(label=_("basis document number"), max_length=50)
    basis_date = PlausibleDateField(
        label=_("basis document date"), widget=DateInput, validators=[not_in_future]
    )


WHEN_DONE = _("Required when the contact took place.")


class FollowUpForm(CapitalizedLabels, forms.Form):
    """A follow-up after the return: done (when, how, the family's situation) or missed
    (why). Which fields are needed depends on the answer, so none is marked optional."""

    mark_optional = False  # each field's help text says when it is needed

    DONE, MISSED = "done", "missed"
    happened = forms.ChoiceField(
        label=_("did the contact happen?"),
        choices=[(DONE, _("yes, it took place")), (MISSED, _("no, it was missed"))],
        widget=forms.RadioSelect,
        initial=DONE,
    )
    done_on = PlausibleDateField(
        label=_("date of the contact"),
        widget=DateInput,
        required=False,
        validators=[not_in_future],
        initial=timezone.localdate,
        help_text=WHEN_DONE,
    )
    method = forms.ChoiceField(
        label=_("how"),
        choices=[("", "—")] + FollowUp.Method.choices,
        required=False,
        help_text=WHEN_DONE,
    )
    situation = forms.ChoiceField(
        label=_("the family's situation"),
        choices=[("", "—")] + FollowUp.Situation.choices,
        required=False,
        help_text=WHEN_DONE,
    )
    notes = forms.CharField(
        label=format_lazy("{} ({})", _("notes"), _("optional")),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    missed_reason = forms.CharField(
        label=_("why it was missed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the contact was missed."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("happened") == self.DONE:
            required = {
                "done_on": _("Enter the date of the contact."),
                "method": _("Choose how the contact took place."),
                "situation": _("Choose how the family is doing."),
            }
        else:
            required = {"missed_reason": _("Say why the follow-up was missed.")}
        for field, message in required.items():
            if field not in self.errors and not cleaned.get(field):
                self.add_error(field, message)
        return cleaned


# Intake: the child, one or two parents, the consent and the placement on one page.


class KnownIinAllowed:
    """A known IIN is not an error on the intake page: it offers the existing record.
    The IIN's own format and its agreement with the birth date are still checked."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"iin"}


class ChildForm(KnownIinAllowed, CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Child
        fields = ["surname", "given_name", "patronymic", "date_of_birth", "sex", "iin"]
        widgets = {"date_of_birth": DateInput}


class ParentForm(KnownIinAllowed, CapitalizedLabels, forms.ModelForm):
    relation = forms.ChoiceField(label=_("relation"), choices=Relation.choices)
    consent_given_on = PlausibleDateField(
        label=_("consent to data processing given on"),
        widget=DateInput,
        validators=[not_in_future],
        initial=timezone.localdate,
    )
    consent_covers = forms.CharField(
        label=_("what the consent covers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_(
            "Names, IIN, dates of birth, contacts and the case record, kept by the home "
            "for the child's placement and return and for the term the law requires; "
            "given to the guardianship and custody authority only."
        ),
    )

    class Meta:
        model = Parent
        fields = [
            "relation", "surname", "given_name", "patronymic", "date_of_birth", "sex", "iin",
            "phone", "address",
        ]  # fmt: skip
        widgets = {"date_of_birth": DateInput, "address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = False
        self.fields["sex"].help_text = _("Left empty for a mother or a father.")

    def clean(self):
        cleaned = super().clean()
        implied = RELATION_SEX.get(cleaned.get("relation"))
        if implied and not cleaned.get("sex"):
            cleaned["sex"] = implied
        elif not cleaned.get("sex") and "relation" in cleaned:
            self.add_error("sex", _("Choose the sex of a legal representative."))
        return cleaned

    def _post_clean(self):
        self.instance.sex = self.cleaned_data.get("sex") or ""
        super()._post_clean()


class SecondParentForm(ParentForm):
    """Optional: left untouched, it is skipped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, empty_permitted=True, use_required_attribute=False, **kwargs)
        self.fields["relation"].initial = Relation.FATHER


class IntakePlacementForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "admitted_on", "planned_end_on", "referral_source", "referral_number",
            "referral_date", "crisis_reason", "crisis_notes", "social_worker",
        ]  # fmt: skip
        widgets = {
            "admitted_on": DateInput,
            "planned_end_on": DateInput,
            "referral_date": DateInput,
            "crisis_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = roles.assignable()
        self.fields["admitted_on"].initial = timezone.localdate
        if roles.may_be_assigned(user):
            self.fields["social_worker"].initial = user.pk


class ExportForm(CapitalizedLabels, forms.Form):
    WHAT = [("placements", _("placements")), ("visits", _("visits"))]

    FORMATS = [("csv", _("CSV for Excel")), ("xlsx", _("Excel workbook (.xlsx)"))]

    what = forms.ChoiceField(label=_("records"), choices=WHAT)
    format = forms.ChoiceField(
        label=_("file"),
        choices=FORMATS,
        required=False,
        initial="csv",
        widget=forms.RadioSelect,
        help_text=_("A workbook keeps IINs and phones as text and dates as dates."),
    )
    date_from = PlausibleDateField(label=_("from"), widget=DateInput)
    date_to = PlausibleDateField(label=_("to"), widget=DateInput, initial=timezone.localdate)
    with_names = forms.BooleanField(
        label=_("include names and IINs"),
        required=False,
        help_text=_("Only when the purpose needs them; every export is personal data."),
    )

    def __init__(self, *args, may_see_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].initial = timezone.localdate() - datetime.timedelta(days=30)
        if not may_see_names:
            del self.fields["with_names"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        if start and end and (end - start).days > 366 * 5:
            self.add_error("date_from", _("Choose a period of at most five years."))
        return cleaned


class PlacementFilterForm(CapitalizedLabels, forms.Form):
    mark_optional = False  # every filter may be left empty

    q = forms.CharField(
        label=_("search"),
        required=False,
        max_length=200,
        help_text=_(
            "Names in any order and in any letters, an IIN, a date of birth (31.12.2024) "
            "or a phone number."
        ),
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("any"))] + Placement.Status.choices
    )
    social_worker = forms.ModelChoiceField(
        label=_("assigned social worker"), required=False, queryset=None, empty_label=_("any")
    )
    crisis_reason = forms.ChoiceField(
        label=_("crisis reason"),
        required=False,
        choices=[("", _("any"))] + Placement.CrisisReason.choices,
    )
    referral_source = forms.ChoiceField(
        label=_("referred by"),
        required=False,
        choices=[("", _("any"))] + Placement.ReferralSource.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Former social workers too: their placements stay findable.
        self.fields["social_worker"].queryset = roles.members(roles.SOCIAL_WORKER)

    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_sort(self):
        """A column of the list, or the default order: a sort link from an older page
        never costs the search typed beside it."""
        sort = self.cleaned_data["sort"]
        return sort if sort in Placement.objects.sort_names() else ""

    def filter(self, placements, *, parent_iin: bool):
        data = self.cleaned_data
        if data.get("q"):
            placements = placements.search(data["q"], parent_iin=parent_iin)
        for field in ("status", "social_worker", "crisis_reason", "referral_source"):
            if data.get(field):
                placements = placements.filter(**{field: data[field]})
        return placements.sorted_by(data.get("sort") or "-admitted")


class ReassignForm(forms.Form):
    """Administrators give one or many active placements to another social worker."""

    placements = RecordsField(
        label=_("placements"),
        queryset=Placement.objects.active(),
        error_messages={
            "required": _("Tick the placements to reassign."),
            "invalid_choice": _("A ticked placement is closed or no longer exists."),
        },
    )
    social_worker = forms.ModelChoiceField(
        label=_("assign to"),
        queryset=None,
        error_messages={
            "required": _("Choose the social worker to assign them to."),
            "invalid_choice": _("Choose an active social worker."),
        },
    )
    next = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = roles.assignable()


class ParentContactsForm(CapitalizedLabels, forms.ModelForm):
    """A parent's phone and address, as a social worker updates them from the case."""

    class Meta:
        model = Parent
        fields = ["phone", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class ContactForm(CapitalizedLabels, forms.ModelForm):
    """A contact with a parent or a visitor of this child, or an attempt at one."""

    class Meta:
        model = Contact
        fields = ["kind", "happened_on", "parent", "visitor", "outcome", "note"]
        widgets = {"happened_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement
        self.fields["parent"].queryset = placement.child.parents.all()
        self.fields["visitor"].queryset = placement.visitors.all()
        self.fields["happened_on"].initial = timezone.localdate
        self.fields["happened_on"].validators.append(not_in_future)


class VisitorForm(CapitalizedLabels, forms.ModelForm):
    class Meta:
        model = Visitor
        fields = ["name", "relation", "phone"]

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.placement = placement


class AgreedVisitsForm(CapitalizedLabels, forms.Form):
    """The days of the week one parent agreed to come, and at what time."""

    parent = forms.ModelChoiceField(label=_("parent"), queryset=None)
    days = forms.TypedMultipleChoiceField(
        label=_("days of the week"),
        choices=AgreedVisit.Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every day unticked to end the agreement."),
    )
    time = forms.TimeField(
        label=_("time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = placement.child.parents.all()
