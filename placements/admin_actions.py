"""The admin's actions that change several case records at once: each row through its
service, with what happened reported per row; an action may first ask for a form (the
authority's decision), showing beside each row what it rests on."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from crisisunit import need_to_know


def apply_to_each(modeladmin, request, objects, change, describe):
    """Call `change(obj)` (a service) for each object, report per object what happened,
    and write each change to the object's admin history (who, when, what)."""
    for obj in objects:
        try:
            change(obj)
        except ValidationError as error:
            messages.error(request, f"{obj}: {' '.join(error.messages)}")
        else:
            done = str(describe(obj))
            messages.success(request, f"{obj}: {done}")
            modeladmin.log_change(request, obj, done)


def run_action_with_form(
    modeladmin, request, queryset, *, form_class, title, apply, describe, evidence=None
):
    """An admin action with an intermediate page: show `form_class` for the selected
    rows (each with `evidence(obj)` beside it, if given); on a valid POST call
    `apply(obj, cleaned_data)` for each row and report per row what happened. Returns
    None (back to the list) when done."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            apply_to_each(
                modeladmin, request, queryset, lambda obj: apply(obj, form.cleaned_data), describe
            )
            return None
    else:
        form = form_class()
    objects = list(queryset)
    for obj in objects:
        obj.evidence = evidence(obj) if evidence else None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "objects": objects,
        "shown": need_to_know.shown(request.user),
        "form": form,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/placements/action_form.html", context)
