"""The forms of the task list: filters, a task set by hand, done with a note. They
validate; placements/services/tasks.py changes state (and Task.clean holds the rules)."""

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit import roles
from crisisunit.lib.forms import CapitalizedLabels, DateInput
from crisisunit.lib.names import name_key
from crisisunit.lib.plausible import validate_visible_text
from crisisunit.models import User
from placements.models import Placement, Task


def colleagues():
    """Who a task may be given to: active members of the roles that see the cases."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[roles.SOCIAL_WORKER, roles.MEDICAL_STAFF, roles.ADMINISTRATOR],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class TaskFilterForm(CapitalizedLabels, forms.Form):
    mark_optional = False

    DUE = [
        ("", _("any date")),
        ("late", _("overdue")),
        ("week", _("due within 7 days")),
        ("later", _("due later")),
    ]
    whose = forms.ChoiceField(label=_("whose"), required=False, choices=[])
    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("any kind")), *Task.Kind.choices]
    )
    child = forms.CharField(label=_("child's name"), required=False, max_length=100)
    due = forms.ChoiceField(label=_("due"), required=False, choices=DUE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        whose: list[tuple[str, object]] = [("", _("mine"))]
        if user.has_perm("placements.change_placement"):
            whose.append(("team", _("the whole team's")))
            whose += [(str(u.pk), str(u)) for u in colleagues().exclude(pk=user.pk)]
        cast(forms.ChoiceField, self.fields["whose"]).choices = whose

    def filter(self, tasks, *, user, today):
        data = self.cleaned_data if self.is_valid() else {}
        whose = data.get("whose") or ""
        if whose == "":
            tasks = tasks.filter(assigned_to=user)
        elif whose != "team":
            tasks = tasks.filter(assigned_to_id=int(whose))
        if data.get("kind"):
            tasks = tasks.filter(kind=data["kind"])
        for word in (data.get("child") or "").split():
            tasks = tasks.filter(placement__child__search_key__contains=name_key(word))
        week = today + datetime.timedelta(days=7)
        due = data.get("due")
        if due == "late":
            tasks = tasks.filter(due_on__lt=today)
        elif due == "week":
            tasks = tasks.filter(due_on__gte=today, due_on__lte=week)
        elif due == "later":
            tasks = tasks.filter(due_on__gt=week)
        return tasks


class CaseField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Placement) -> str:
        return str(obj.child)


class TaskForm(CapitalizedLabels, forms.Form):
    """A task set by hand: for a case (from the case page, or one of my cases) or none."""

    title = forms.CharField(
        label=_("what to do"), max_length=200, validators=[validate_visible_text]
    )
    placement = CaseField(
        label=_("child's case"),
        queryset=Placement.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the active cases.")},
    )
    due_on = forms.DateField(label=_("due"), widget=DateInput)
    assigned_to = forms.ModelChoiceField(
        label=_("for"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Choose an active colleague.")},
    )

    def __init__(self, *args, user, placement=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("assigned_to", user.pk)
        kwargs["initial"].setdefault("due_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assigned_to"]).queryset = colleagues()
        cases = Placement.objects.active().select_related("child")
        if placement is not None:
            cases = Placement.objects.filter(pk=placement.pk).select_related("child")
            self.fields["placement"].required = True
            self.fields["placement"].widget = forms.HiddenInput()
            self.initial["placement"] = placement.pk
        else:
            cases = cases.assigned_to(user).order_by("child__surname", "child__given_name")
        cast(forms.ModelChoiceField, self.fields["placement"]).queryset = cases
        self.cases = cases


class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, validators=[validate_visible_text]
    )
