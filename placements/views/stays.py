"""The placements: the list with its filters and search, the case page, the intake,
a term extension, and reassigning cases to another social worker. Every view needs a
login and the model permissions of the user's role (staff_view)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from crisisunit import need_to_know, submissions
from crisisunit.audit import record_list
from crisisunit.auth import staff_view
from crisisunit.lib.forms import add_refusal
from families.models import ChildParent
from placements import forms, intake, services
from placements.models import (
    ApplicationStatus,
    FamilyPlan,
    Placement,
    ReturnApplication,
    plan_due_on,
)
from placements.views.common import (
    PAGE_SIZE,
    VIEW,
    created_once,
    next_or,
    placement_or_404,
    record_form,
)


@staff_view(VIEW)
def placement_list(request):
    form = forms.PlacementFilterForm(request.GET or None)
    placements = Placement.objects.select_related("child", "social_worker")
    if form.is_valid():
        iin = need_to_know.sees(request.user, need_to_know.PARENT_IIN)
        placements = form.filter(placements, parent_iin=iin)
    else:
        placements = placements.sorted_by(SORT)
    page = Paginator(placements, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    record_list(request, Placement, query=request.GET.urlencode(), results=len(page.object_list))
    sort = (form.cleaned_data.get("sort") if form.is_valid() else "") or SORT
    return render(
        request,
        "placements/placement_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "columns": _sort_links(query, sort),
            "today": timezone.localdate(),
            "reassign_form": _reassign_form(request),
        },
    )


def _reassign_form(request):
    """The reassignment's choice of social workers, for those who may reassign."""
    if request.user.has_perm("placements.change_placement"):
        return forms.ReassignForm(initial={"next": request.get_full_path()}, auto_id="reassign_%s")
    return None


SORT = "-admitted"
COLUMNS = [
    ("child", gettext_lazy("Child")),
    ("age", gettext_lazy("Date of birth, age")),
    ("admitted", gettext_lazy("Admitted")),
    ("planned_end", gettext_lazy("Planned end")),
    ("status", gettext_lazy("Status")),
    ("last_visit", gettext_lazy("Last visit")),
]


def _sort_links(query, sort):
    """Each sortable column's header: its link (ascending, or reversed when it is the
    order now) and its aria-sort."""
    columns = []
    for name, label in COLUMNS:
        state = "ascending" if sort == name else "descending" if sort == f"-{name}" else ""
        link = query.copy()
        link.pop("sort", None)
        link["sort"] = f"-{name}" if state == "ascending" else name
        columns.append({"label": label, "url": "?" + link.urlencode(), "sort": state})
    return columns


@staff_view(VIEW, reads=Placement)
def placement_detail(request, pk):
    placement = get_object_or_404(
        Placement.objects.with_reentry().select_related("child", "social_worker", "closed_by"),
        pk=pk,
    )
    today = timezone.localdate()
    follow_ups = list(placement.follow_ups.select_related("recorded_by"))
    links = list(
        ChildParent.objects.filter(child=placement.child_id)
        .select_related("parent")
        .prefetch_related("parent__consents")
    )
    for link in links:
        consents = list(link.parent.consents.all())
        link.consents = consents  # type: ignore[attr-defined]
        link.consented = any(c.is_valid for c in consents)  # type: ignore[attr-defined]
    visits = list(placement.visits.select_related("parent", "recorded_by"))
    consultations = list(placement.consultations.select_related("parent", "recorded_by"))
    extensions = list(placement.extensions.select_related("granted_by"))
    applications = list(
        placement.return_applications.select_related("applicant", "decided_by", "registered_by")
    )
    weeks, rate = placement.weekly_visit_record(
        [timezone.localtime(v.visited_at).date() for v in visits], today
    )
    siblings = _siblings(request, placement, links)
    earlier = _earlier_stays(request, placement)
    timeline = _timeline(placement, visits, consultations, extensions, applications)
    timeline = _with_contacts(timeline, placement.contacts.select_related("parent", "visitor"))
    _mark_correctable(timeline, request.user)
    agreed = list(placement.agreed_visits.current().select_related("parent"))
    for link in links:
        link.agreed = [a for a in agreed if a.parent_id == link.parent_id]  # type: ignore[attr-defined]
    return render(
        request,
        "placements/placement_detail.html",
        {
            "placement": placement,
            "links": links,
            "extensions": extensions,
            "timeline": timeline,
            "weeks": weeks,
            "rate": round(rate * 100) if rate is not None else None,
            "first_end": extensions[0].previous_end_on if extensions else placement.planned_end_on,
            "open_application": any(a.is_open for a in applications),
            "follow_ups": follow_ups,
            "today": today,
            "journal_month": (placement.closed_on or today).replace(day=1),
            "document_count": placement.documents.kept().count(),
            # Each printable document in Kazakh or Russian, named in that language.
            "print_languages": [("kk", "қаз", "Қазақша"), ("ru", "рус", "Русский")],
            "siblings": siblings,
            "earlier_stays": earlier,
            "visitors": list(placement.visitors.all()),
            "plan": FamilyPlan.objects.filter(placement=placement).first(),
            "plan_due_on": plan_due_on(placement.admitted_on),
            "last_act": placement.inspections.only("inspected_on", "risk_level").first(),
            "tasks": list(placement.tasks.open().select_related("assigned_to")),
            "reassign_form": _reassign_form(request),
            "days_past_term": (
                (today - placement.planned_end_on).days
                if placement.status == Placement.Status.ACTIVE and placement.planned_end_on < today
                else 0
            ),
        },
    )


CORRECTIONS = {
    "visit": ("placements:visit_edit", "placements.change_visit"),
    "consultation": ("placements:consultation_edit", "placements.change_consultation"),
    "contact": ("placements:contact_edit", "placements.change_contact"),
}


def _mark_correctable(timeline, user):
    """The link to correct each visit and consultation the user may correct."""
    for entry in timeline:
        if entry["kind"] in CORRECTIONS:
            url_name, permission = CORRECTIONS[entry["kind"]]
            if services.may_correct(entry["item"], user, permission):
                entry["correct_url"] = reverse(url_name, args=[entry["item"].pk])


def _siblings(request, placement, links):
    """The stays of the children who share a parent with this one (their brothers and
    sisters), noted in the read log as a list."""
    stays = list(
        Placement.objects.filter(child__parent_links__parent__in=[link.parent_id for link in links])
        .exclude(child=placement.child_id)
        .select_related("child")
        .distinct()
        .order_by("child__date_of_birth", "child_id", "-admitted_on")
    )
    if stays:
        record_list(request, Placement, query=f"siblings of {placement.pk}", results=len(stays))
    return stays


def _earlier_stays(request, placement):
    """The child's own other stays, however old, each with its outcome, when its plan
    of work with the family started and the authority's decision; noted in the read
    log as a list."""
    decided = ReturnApplication.objects.filter(
        placement=OuterRef("pk"), status__in=ReturnApplication.DECIDED
    ).order_by("-decision_date", "-pk")
    stays = list(
        Placement.objects.filter(child=placement.child_id)
        .exclude(pk=placement.pk)
        .annotate(
            plan_started_on=Subquery(
                FamilyPlan.objects.filter(placement=OuterRef("pk")).values("started_on")[:1]
            ),
            decision_status=Subquery(decided.values("status")[:1]),
            decision_number=Subquery(decided.values("decision_number")[:1]),
            decision_date=Subquery(decided.values("decision_date")[:1]),
        )
        .order_by("-admitted_on", "-pk")
    )
    for stay in stays:
        stay.decision_label = (
            ApplicationStatus(stay.decision_status).label if stay.decision_status else ""
        )
    if stays:
        record_list(
            request, Placement, query=f"earlier stays of {placement.pk}", results=len(stays)
        )
    return stays


def _with_contacts(timeline, contacts):
    """The timeline with the contact log's entries, newest first."""
    entries = timeline + [{"when": c.happened_on, "kind": "contact", "item": c} for c in contacts]
    entries.sort(key=lambda e: e["when"], reverse=True)  # stable: keeps each day's order
    return entries


def _timeline(placement, visits, consultations, extensions, applications):
    """One chronological list of everything that happened in the stay, newest first."""
    entries = [{"when": placement.admitted_on, "kind": "admission", "item": placement}]
    for visit in visits:
        local = timezone.localtime(visit.visited_at)
        entries.append({"when": local.date(), "time": local.time(), "kind": "visit", "item": visit})
    for consultation in consultations:
        entries.append({"when": consultation.held_on, "kind": "consultation", "item": consultation})
    for extension in extensions:
        granted = timezone.localtime(extension.granted_at)
        entries.append({"when": granted.date(), "kind": "extension", "item": extension})
    for application in applications:
        entries.append({"when": application.filed_on, "kind": "application", "item": application})
        if application.decision_date:
            entries.append(
                {"when": application.decision_date, "kind": "decision", "item": application}
            )
    if placement.closed_on:
        entries.append({"when": placement.closed_on, "kind": "closing", "item": placement})
    order = {"admission": 0, "closing": 9}
    entries.sort(
        key=lambda e: (e["when"], order.get(e["kind"], 5), e.get("time") or datetime.time.min),
        reverse=True,
    )
    return entries


@staff_view(VIEW, "placements.add_placement", "families.add_child", "families.add_parent")
def placement_new(request):
    """Intake: the child, the parents (new or already on file), consent and placement."""
    if request.method == "POST":
        if repeat := submissions.already_sent(request, reverse("placements:list")):
            return repeat
        flow = intake.Intake(request.POST, user=request.user)
        if flow.is_valid() and flow.matches_decided():
            try:
                with submissions.once(request) as claim:
                    placement = flow.admit(by=request.user)
                    claim.lands_on(placement.get_absolute_url())
            except submissions.Repeated as repeated:
                return submissions.repeated_response(repeated, request, reverse("placements:list"))
            except intake.IntakeError as error:
                flow.add_error(error.part, error.error)
            else:
                messages.success(request, _("The child's admission is registered."))
                return redirect("placements:detail", placement.pk)
    else:
        flow = intake.Intake(user=request.user)
    return render(
        request,
        "placements/placement_new.html",
        {"flow": flow, "submission": submissions.token(request)},
    )


@staff_view(VIEW, "placements.add_termextension", reads=Placement)
def extension_new(request, pk):
    placement = placement_or_404(pk)
    if request.method == "POST" and (
        repeat := submissions.already_sent(request, placement.get_absolute_url())
    ):
        return repeat
    form = forms.ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            return created_once(
                request,
                lambda: services.placement_extend(
                    placement=placement, **form.cleaned_data, by=request.user
                ),
                placement.get_absolute_url(),
                _("The term is extended."),
            )
        except ValidationError as error:
            add_refusal(form, error)
    return record_form(request, placement, form, _("Record a term extension"))


@staff_view(VIEW, "placements.change_placement")
@require_POST
def placement_reassign(request):
    """Give the ticked placements (or the one of a case page) to another social worker,
    then back to the page the administrator came from."""
    form = forms.ReassignForm(request.POST)
    landing = next_or(request, reverse("placements:list"))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(map(str, errors)))
        return redirect(landing)
    worker = form.cleaned_data["social_worker"]
    try:
        moved = services.placement_reassign(
            placements=form.cleaned_data["placements"], social_worker=worker, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s placement is now assigned to %(name)s.",
                "%(count)s placements are now assigned to %(name)s.",
                len(moved),
            )
            % {"count": len(moved), "name": worker.get_full_name() or worker.username},
        )
    return redirect(landing)
