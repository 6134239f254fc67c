"""Follow-ups after the child went home: recording one, or marking it missed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from crisisunit import submissions
from crisisunit.auth import staff_view
from crisisunit.lib.dates import format_date
from crisisunit.lib.forms import add_refusal
from placements import forms, services
from placements.models import (
    FollowUp,
)
from placements.views.common import VIEW, created_once, next_or, record_form


@staff_view(VIEW, "placements.record_followup", reads=FollowUp)
def followup_record(request, pk):
    """Record a follow-up after the child went home, or mark it missed."""
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("placement__child", "placement__social_worker"), pk=pk
    )
    placement = follow_up.placement
    landing = next_or(request, placement.get_absolute_url())
    if request.method == "POST" and (repeat := submissions.already_sent(request, landing)):
        return repeat  # the same form sent again lands where the first did
    if not follow_up.is_pending:
        messages.info(request, _("This follow-up is already recorded."))
        return redirect(placement.get_absolute_url())
    form = forms.FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return created_once(
                request, lambda: _record(follow_up, form.cleaned_data, request.user), landing,
                _("The follow-up is recorded."),
            )  # fmt: skip
        except ValidationError as error:
            add_refusal(form, error)
    title = _("%(months)s-month follow-up, due %(due)s") % {
        "months": follow_up.months_after,
        "due": format_date(follow_up.due_on),
    }
    return record_form(request, placement, form, title)


def _record(follow_up, data, by):
    if data["happened"] == forms.FollowUpForm.DONE:
        services.followup_record(
            follow_up=follow_up, done_on=data["done_on"], method=data["method"],
            situation=data["situation"], notes=data["notes"], by=by,
        )  # fmt: skip
    else:
        services.followup_mark_missed(follow_up=follow_up, reason=data["missed_reason"], by=by)
