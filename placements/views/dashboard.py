"""The staff dashboard: what a social worker checks first each morning.

Its lists (overdue visits, not yet visited this week, terms, follow-ups, applications)
and counts are the costly part: with a shared cache they are kept, rendered, per user,
view, day and language, under the version of the case records (placements/kept.py).
The user's own tasks and notices, which carry forms, and the read log are done on
every request.

The page comes in order of urgency: overdue visits, then my tasks (overdue first) and
overdue follow-ups, then this week's visits, terms, follow-ups due and applications.
Notices are one line with their count and a link to their page. Every list cut short
says "N of M" and links to the whole list."""

from django.conf import settings
from django.db.models import Count, Window, prefetch_related_objects
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from crisisunit.audit import record_list
from crisisunit.auth import staff_view
from crisisunit.lib.dates import start_of_day, week_start
from placements.kept import kept
from placements.models import FollowUp, Placement, ReturnApplication, Task, Visit
from placements.views.common import VIEW

DASHBOARD_ROWS = 20
# My tasks on the dashboard, the most overdue first; all of them on the task list. And
# the children not yet visited this week (not overdue): all of them on the week's page.
DASHBOARD_TASKS = 10
THIS_WEEK_ROWS = 5
# The longest a kept dashboard is shown: what changes outside the services (a staff
# member's name or permissions) shows within this time.
KEPT_SECONDS = 120


@staff_view(VIEW)
def dashboard(request):
    today = timezone.localdate()
    mine = request.GET.get("mine") == "1"
    lists = _kept_lists(request, today, mine)
    record_list(request, Placement, query=request.GET.urlencode(), results=lists["shown"])
    # The first tasks with how many there are in all, in one query (a window count).
    tasks = list(
        Task.objects.open()
        .assigned_to(request.user)
        .select_related("placement__child")
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")[:DASHBOARD_TASKS]
    )
    return render(
        request,
        "placements/dashboard.html",
        {
            "today": today,
            "mine": mine,
            "urgent": mark_safe(lists["urgent"]),  # noqa: S308 (our template's output)
            "lists": mark_safe(lists["html"]),  # noqa: S308 (our template's output)
            **lists["counts"],
            "tasks": tasks,
            "tasks_count": tasks[0].total if tasks else 0,
            "notices_count": request.user.notices.unread().count(),
        },
    )


def _kept_lists(request, today, mine):
    parts = [request.user.pk, mine, today.isoformat(), get_language()]
    return kept("dashboard-2", parts, KEPT_SECONDS, lambda: _lists(request, today, mine))


def _lists(request, today, mine):
    """The lists rendered, the counts, and how many placements they show."""
    monday = week_start(today)
    placements = Placement.objects.select_related("social_worker")
    applications = ReturnApplication.objects.open().select_related("placement__child")
    visits = Visit.objects.filter(visited_at__gte=start_of_day(monday))
    follow_ups = FollowUp.objects.select_related("placement__child")
    if mine:
        placements = placements.assigned_to(request.user)
        applications = applications.filter(placement__social_worker=request.user)
        visits = visits.filter(placement__social_worker=request.user)
        follow_ups = follow_ups.assigned_to(request.user)
    rows = DASHBOARD_ROWS
    overdue = list(
        placements.overdue_for_visit(today)
        .with_contact_attempts()
        .order_by("visit_reference", "pk")[:rows]
    )
    for placement in overdue:
        placement.days_since_visit = (today - placement.visit_reference).days
    this_week = list(
        placements.not_visited_this_week(today).order_by("visit_reference", "pk")[:THIS_WEEK_ROWS]
    )
    ending = list(
        placements.term_ending(today, settings.TERM_WARNING_DAYS).order_by("planned_end_on", "pk")[
            :rows
        ]
    )
    passed = list(
        placements.term_passed_without_application(today).order_by("planned_end_on", "pk")[:rows]
    )
    no_plan = list(placements.without_plan(today).order_by("admitted_on", "pk")[:rows])
    # The children of the placements shown, in one query after the sorts and limits:
    # joined in, they made PostgreSQL read every child to sort a few hundred placements.
    prefetch_related_objects([*overdue, *this_week, *ending, *passed, *no_plan], "child")
    follow_ups_due = list(follow_ups.due_within(today, settings.FOLLOW_UP_WARNING_DAYS)[:rows])
    follow_ups_overdue = list(follow_ups.overdue(today)[:rows])
    # Each list says how long it is when cut at `rows`: counted apart (from the open
    # follow-ups' index), not over the joined rows.
    follow_up_counts = follow_ups.dashboard_counts(today, settings.FOLLOW_UP_WARNING_DAYS)
    for follow_up in follow_ups_overdue:
        follow_up.days_late = (today - follow_up.due_on).days
    by_status = _applications_by_status(applications, rows)
    past_deadline = list(applications.past_deadline(today).order_by("sent_on", "pk")[:rows])
    shown = {p.pk for p in overdue + this_week + ending + passed + no_plan}
    shown |= {f.placement_id for f in follow_ups_due + follow_ups_overdue}
    shown |= {a.placement_id for group in by_status.values() for a in group["rows"]}
    shown |= {a.placement_id for a in past_deadline}
    counts = placements.dashboard_counts(today)
    here = reverse("placements:dashboard") + ("?mine=1" if mine else "")
    urgent = render_to_string(
        "placements/dashboard_urgent.html",
        {
            "here": here,
            "overdue": overdue,
            "overdue_count": counts["overdue"],
            "rows": rows,
            "visit_days": settings.VISIT_DUTY_DAYS,
            "mine": mine,
        },
        request=request,
    )
    html = render_to_string(
        "placements/dashboard_lists.html",
        {
            "today": today,
            "monday": monday,
            "here": here,
            "this_week": this_week,
            "this_week_count": counts["this_week"],
            "ending": ending,
            "passed": passed,
            "ending_count": counts["ending"],
            "passed_count": counts["passed"],
            "no_plan": no_plan,
            "no_plan_count": counts["no_plan"],
            "plan_days": settings.PLAN_DUE_DAYS,
            "applications_by_status": by_status,
            "past_deadline": past_deadline,
            "rows": rows,
            "this_week_rows": THIS_WEEK_ROWS,
            "term_days": settings.TERM_WARNING_DAYS,
            "visit_days": settings.VISIT_DUTY_DAYS,
            "follow_ups_due": follow_ups_due,
            "follow_ups_due_count": follow_up_counts["due"],
            "follow_ups_overdue": follow_ups_overdue,
            "follow_ups_overdue_count": follow_up_counts["overdue"],
            "follow_up_days": settings.FOLLOW_UP_WARNING_DAYS,
        },
        request=request,
    )
    return {
        "urgent": urgent,
        "html": html,
        "shown": len(shown),
        "counts": {
            "active_count": counts["active"],
            "returned_count": counts["returned"],
            "visits_count": visits.count(),
        },
    }


def _applications_by_status(applications, rows):
    """{status shown: {"total": how many, "rows": the `rows` filed first}}: each
    status has its own rows, however many the other has (one query a status, from the
    open applications' index, and one for the totals)."""
    totals = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    by_status = {}
    for status, label in ReturnApplication.Status.choices:
        if status in ReturnApplication.OPEN:
            shown = list(applications.filter(status=status).order_by("filed_on", "pk")[:rows])
            if shown:
                by_status[label] = {"total": totals.get(status, 0), "rows": shown}
    return by_status
