"""Return applications from the case page: registering one, sending it to the
guardianship and custody authority, recording a withdrawal (decisions are the
admin's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit.auth import staff_view
from crisisunit.lib.forms import add_refusal
from placements import forms, services
from placements.familywork_forms import ApplicationSendForm
from placements.models import (
    Placement,
    ReturnApplication,
)
from placements.views.common import VIEW, add_record, placement_or_404, record_form


@staff_view(VIEW, "placements.add_returnapplication", reads=Placement)
def application_new(request, pk):
    return add_record(
        request, pk, forms.ReturnApplicationForm, services.application_register,
        _("Register a return application"), _("The return application is registered."),
    )  # fmt: skip


@staff_view(VIEW, "placements.review_returnapplication")
@require_POST
def application_progress(request, pk, step):
    """Record that the parent withdrew an open application; then back to the
    placement's page with what happened. (Sending it to the authority is
    application_send, a form.)"""
    steps = {
        "withdraw": (services.application_withdraw, _("The withdrawal is recorded.")),
    }
    if step not in steps:
        raise Http404
    application = get_object_or_404(ReturnApplication, pk=pk)
    write, done = steps[step]
    try:
        write(application=application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("placements:detail", application.placement_id)


@staff_view(VIEW, "placements.review_returnapplication", reads=ReturnApplication)
def application_send(request, pk):
    """The authority's file: send a submitted application to the guardianship and
    custody authority, with the date, the outgoing number and the inspection act."""
    application = get_object_or_404(ReturnApplication, pk=pk)
    placement = placement_or_404(application.placement_id)
    if application.status != ReturnApplication.Status.SUBMITTED:
        messages.info(
            request,
            _("This application is already %(status)s.")
            % {"status": application.get_status_display()},
        )
        return redirect(placement.get_absolute_url())
    form = ApplicationSendForm(request.POST or None, instance=application, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_start_review(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The application is sent to the authority."))
            return redirect(placement.get_absolute_url())
    return record_form(request, placement, form, _("Send the application to the authority"))
