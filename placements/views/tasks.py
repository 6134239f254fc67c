"""Tasks and notices: marking a task done, marking the notices read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit.auth import staff_view
from placements import notices, services
from placements.models import Task
from placements.views.common import VIEW, next_or


@staff_view(VIEW)
@require_POST
def task_done(request, pk):
    """Mark one of my tasks done (an administrator may mark anyone's)."""
    task = get_object_or_404(Task, pk=pk)
    try:
        services.task_done(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The task is done."))
    return redirect(next_or(request, reverse("placements:dashboard")))


@staff_view(VIEW)
@require_POST
def notices_read(request):
    notices.notices_read(user=request.user)
    return redirect(next_or(request, reverse("placements:dashboard")))
