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
from placements import forms, services
from placements.models import (
    Placement,
    ReturnApplication,
)
from placements.views.common import VIEW, add_record


@staff_view(VIEW, "placements.add_returnapplication", reads=Placement)
def application_new(request, pk):
    return add_record(
        request, pk, forms.ReturnApplicationForm, services.application_register,
        _("Register a return application"), _("The return application is registered."),
    )  # fmt: skip


@staff_view(VIEW, "placements.review_returnapplication")
@require_POST
def application_progress(request, pk, step):
    """Send an open application to the authority for review, or record that the parent
    withdrew it; then back to the placement's page with what happened."""
    steps = {
        "review": (services.application_start_review, _("The application is under review.")),
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
