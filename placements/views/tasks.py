"""Tasks and notices: the task list (mine, a colleague's or the team's), a task set
by hand, a task marked done (with a note); the notices page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit import submissions
from crisisunit.audit import record_list, record_read_of
from crisisunit.auth import staff_view
from crisisunit.lib.forms import add_refusal
from placements import notices, services
from placements.models import Notice, Placement, Task
from placements.services.tasks import ADD_PERMISSION
from placements.task_forms import TaskDoneForm, TaskFilterForm, TaskForm
from placements.views.common import VIEW, created_once, next_or

TASKS_PAGE = 50
NOTICES_PAGE = 50


@staff_view(VIEW)
def task_list(request):
    """Open tasks, overdue first (by due date), with their counts; filtered."""
    today = timezone.localdate()
    form = TaskFilterForm(request.GET or None, user=request.user)
    tasks = form.filter(Task.objects.open(), user=request.user, today=today)
    page = Paginator(
        tasks.select_related("placement__child", "assigned_to").order_by("due_on", "pk"),
        TASKS_PAGE,
    ).get_page(request.GET.get("page"))
    record_list(request, Task, query=request.GET.urlencode(), results=len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "placements/task_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "late_count": tasks.filter(due_on__lt=today).count(),
            "today": today,
            "new_form": TaskForm(user=request.user, auto_id="new_%s")
            if request.user.has_perm(ADD_PERMISSION)
            else None,
            "submission": submissions.token(request),
            "team": form.is_valid() and bool(form.cleaned_data.get("whose")),
        },
    )


@staff_view(VIEW, ADD_PERMISSION)
def task_new(request):
    """A task set by hand: from the task list (a case of mine, or none) or from a case
    page (?placement=N: that case)."""
    placement = None
    if pk := request.GET.get("placement"):
        placement = get_object_or_404(Placement.objects.select_related("child"), pk=_number(pk))
    landing = next_or(
        request, placement.get_absolute_url() if placement else reverse("placements:tasks")
    )
    form = TaskForm(request.POST or None, user=request.user, placement=placement)
    if request.method == "POST":
        if repeat := submissions.already_sent(request, landing):
            return repeat
        if form.is_valid():
            try:
                return created_once(
                    request,
                    lambda: services.task_add(**form.cleaned_data, by=request.user),
                    landing,
                    _("The task is set."),
                )
            except ValidationError as error:
                add_refusal(form, error)
    if placement is not None:
        record_read_of(request, Placement, placement.pk)
    else:  # the cases of mine the form offers
        cases = form.cases.count()
        record_list(request, Placement, query="task form", results=cases)
    return render(
        request,
        "placements/task_new.html",
        {
            "form": form,
            "placement": placement,
            "next": next_or(request, ""),
            "submission": submissions.token(request),
        },
        status=400 if form.errors else 200,
    )


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@staff_view(VIEW)
@require_POST
def task_done(request, pk):
    """Mark one of my tasks done, with an optional note (an administrator may mark
    anyone's)."""
    task = get_object_or_404(Task, pk=pk)
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(next_or(request, reverse("placements:dashboard")))
    try:
        services.task_done(task=task, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The task is done."))
    return redirect(next_or(request, reverse("placements:dashboard")))


@staff_view(VIEW)
def notice_list(request):
    """My notices, the unread first, newest first."""
    page = Paginator(
        request.user.notices.select_related("placement__child").order_by(
            F("read_at").desc(nulls_first=True), "-created_at", "-pk"
        ),
        NOTICES_PAGE,
    ).get_page(request.GET.get("page"))
    record_list(request, Notice, query="notices", results=len(page.object_list))
    return render(
        request,
        "placements/notice_list.html",
        {"page": page, "query": "", "unread": request.user.notices.unread().count()},
    )


@staff_view(VIEW)
@require_POST
def notices_read(request):
    notices.notices_read(user=request.user)
    return redirect(next_or(request, reverse("placements:dashboard")))
