"""Visits, consultations and keeping in touch, from the case page: logging a visit, a
consultation, a contact or a visitor, correcting one's own, the parents' phone and
address, agreed visit days and the week's expected visits. Each page calls a service
(placements/services/, families/services.py)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit import roles, submissions
from crisisunit.audit import record_list
from crisisunit.auth import staff_view
from crisisunit.lib.dates import start_of_day, week_start
from crisisunit.lib.forms import add_refusal
from families import services as family_services
from families.models import ChildParent, Parent
from placements import forms, services
from placements.models import AgreedVisit, Consultation, Contact, Placement, Visit
from placements.views.common import VIEW, add_record, created_once, placement_or_404, record_form


@staff_view(VIEW, "families.change_parent_contacts", reads=Parent, key="parent_pk")
def parent_contacts(request, pk, parent_pk):
    """Update the phone and address of one of the child's parents from the case page."""
    placement = placement_or_404(pk)
    link = get_object_or_404(
        ChildParent.objects.select_related("parent"), child=placement.child_id, parent=parent_pk
    )
    parent = link.parent
    form = forms.ParentContactsForm(request.POST or None, instance=parent)
    if request.method == "POST" and form.is_valid():
        try:
            family_services.parent_contacts_update(
                parent=parent,
                phone=form.cleaned_data["phone"],
                address=form.cleaned_data["address"],
                by=request.user,
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The parent's phone and address are updated."))
            return redirect(placement.get_absolute_url())
    title = _("Phone and address of %(name)s") % {"name": parent}
    return record_form(request, placement, form, title)


def _edit_record(request, record, form_class, update, permission, title):
    """A visit or consultation corrected in the workspace: by its recorder within
    settings.OWN_EDIT_DAYS days, or by an administrator; the history keeps the old."""
    if not services.may_correct(record, request.user, permission):
        raise PermissionDenied
    placement = placement_or_404(record.placement_id)
    form = form_class(request.POST or None, instance=record, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            update(record, by=request.user, **{f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The correction is saved."))
            return redirect(placement.get_absolute_url())
    return record_form(request, placement, form, title)


@staff_view(VIEW, reads=Visit)
def visit_edit(request, pk):
    return _edit_record(
        request,
        get_object_or_404(Visit, pk=pk),
        forms.VisitForm,
        lambda visit, **changes: services.visit_update(visit=visit, **changes),
        "placements.change_visit",
        _("Correct a visit"),
    )


@staff_view(VIEW, reads=Consultation)
def consultation_edit(request, pk):
    return _edit_record(
        request,
        get_object_or_404(Consultation, pk=pk),
        forms.ConsultationForm,
        lambda consultation, **changes: services.consultation_update(
            consultation=consultation, **changes
        ),
        "placements.change_consultation",
        _("Correct a consultation"),
    )


@staff_view(VIEW, reads=Contact)
def contact_edit(request, pk):
    return _edit_record(
        request,
        get_object_or_404(Contact, pk=pk),
        forms.ContactForm,
        lambda contact, **changes: services.contact_update(contact=contact, **changes),
        "placements.change_contact",
        _("Correct a contact"),
    )


# Keeping in touch


@staff_view(VIEW, "placements.add_contact", reads=Placement)
def contact_new(request, pk):
    return add_record(
        request, pk, forms.ContactForm, services.contact_record, _("Log a contact"),
        _("The contact is logged."),
    )  # fmt: skip


@staff_view(VIEW, "placements.add_visitor", reads=Placement)
def visitor_new(request, pk):
    return add_record(
        request, pk, forms.VisitorForm, services.visitor_add, _("Add a visitor"),
        _("The visitor is added."),
    )  # fmt: skip


@staff_view(VIEW, "placements.add_agreedvisit", reads=Placement)
def agreed_visits(request, pk):
    """Set the days of the week a parent agreed to come."""
    placement = placement_or_404(pk)
    landing = placement.get_absolute_url()
    if request.method == "POST" and (repeat := submissions.already_sent(request, landing)):
        return repeat
    form = forms.AgreedVisitsForm(request.POST or None, placement=placement)
    if request.method == "POST" and form.is_valid():
        try:
            return created_once(
                request,
                lambda: services.agreed_visits_set(
                    placement=placement, by=request.user, **form.cleaned_data
                ),
                landing,
                _("The agreed visit days are saved."),
            )
        except ValidationError as error:
            add_refusal(form, error)
    return record_form(request, placement, form, _("Agreed visit days"))


@staff_view(VIEW)
def week(request):
    """Who is expected when this week: each active placement's agreed visit days, with
    whether the parent came (a visit logged that day) or not."""
    today = timezone.localdate()
    monday = week_start(today)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    agreed = AgreedVisit.objects.current().filter(placement__status=Placement.Status.ACTIVE)
    if request.GET.get("mine") == "1":
        agreed = agreed.filter(placement__social_worker=request.user)
    agreed = list(agreed.select_related("placement__child", "parent").order_by("time", "pk"))
    came = {
        (v["placement_id"], v["parent_id"], timezone.localtime(v["visited_at"]).date())
        for v in Visit.objects.filter(
            placement__in={a.placement_id for a in agreed},
            visited_at__gte=start_of_day(monday),
        ).values("placement_id", "parent_id", "visited_at")
    }
    schedule = []
    for number, day in enumerate(days):
        expected = []
        for item in (a for a in agreed if a.weekday == number):
            visited = (item.placement_id, item.parent_id, day) in came
            state = "came" if visited else "missed" if day < today else "expected"
            expected.append({"agreed": item, "state": state})
        schedule.append({"day": day, "expected": expected, "today": day == today})
    record_list(request, Placement, query=request.GET.urlencode(), results=len(agreed))
    return render(
        request,
        "placements/week.html",
        {"schedule": schedule, "mine": request.GET.get("mine") == "1", "monday": monday},
    )


@staff_view(VIEW, "placements.add_visit", reads=Placement)
def visit_new(request, pk):
    return add_record(
        request, pk, forms.VisitForm, services.visit_record, _("Log a visit"),
        _("The visit is logged."),
    )  # fmt: skip


@staff_view(VIEW, "placements.add_consultation", reads=Placement)
def consultation_new(request, pk):
    return add_record(
        request, pk, forms.ConsultationForm, services.consultation_record,
        _("Log a consultation"), _("The consultation is logged."),
        initial={"specialist": roles.specialist_of(request.user)},
    )  # fmt: skip
