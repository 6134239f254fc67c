"""What the workspace's pages share: the permission every page needs, the placement
or a 404, the page to go back to, and the record form that creates its record once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from crisisunit import submissions
from crisisunit.lib.forms import add_refusal
from placements.models import (
    Placement,
)

PAGE_SIZE = 25


VIEW = "placements.view_placement"


def placement_or_404(pk):
    return get_object_or_404(
        Placement.objects.select_related("child", "social_worker", "closed_by"), pk=pk
    )


def next_or(request, default):
    """The page to go back to: a path on this site (never another site, nor a word
    that redirect() would take for a view's name), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def record_form(request, placement, form, title):
    return render(
        request,
        "placements/record_form.html",
        {
            "placement": placement,
            "form": form,
            "title": title,
            "next": next_or(request, ""),
            "submission": submissions.token(request),
        },
    )


def created_once(request, write, landing, saved_message):
    """Call `write` once per form sent (see crisisunit.submissions), then go to
    `landing`; a form sent again lands there too. A refusal is raised as it came."""
    try:
        with submissions.once(request) as claim:
            write()
            claim.lands_on(landing)
    except submissions.Repeated as repeated:
        return submissions.repeated_response(repeated, request, landing)
    messages.success(request, saved_message)
    return redirect(landing)


def add_record(request, pk, form_class, write, title, saved_message, initial=None, landing=None):
    """GET shows the form (with `initial`); POST validates it and calls the service
    `write`, or shows the form again with every value typed and the errors; then back
    where the user was (by default `landing`, else the case page)."""
    placement = placement_or_404(pk)
    if request.method == "POST":
        if repeat := submissions.already_sent(request, placement.get_absolute_url()):
            return repeat
        form = form_class(request.POST, placement=placement)
        if form.is_valid():
            try:
                return created_once(
                    request,
                    lambda: write(placement=placement, by=request.user, **form.cleaned_data),
                    next_or(request, landing or placement.get_absolute_url()),
                    saved_message,
                )
            except ValidationError as error:
                add_refusal(form, error)
    else:
        form = form_class(placement=placement, initial=initial)
    return record_form(request, placement, form, title)
