"""The admin's base for case records: never deleted, history shown, reads logged, and
every save made through a service of the one write path."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from crisisunit import need_to_know, submissions
from crisisunit.audit import record_list, record_read


class CaseRecordForm(forms.ModelForm):
    """An admin form that checks every constraint of the model, those on fields the
    form does not show included (an application's status, say), so that a second open
    application is a clear error here rather than a refusal from the database.

    Every input also carries its field's name (`aria-label`): a row of an inline table
    has no label of its own, and the date and the time of a date-and-time field share
    one label between two inputs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            name = capfirst(field.label or "")
            widget = getattr(field.widget, "widget", field.widget)  # a related-field wrapper
            parts = getattr(widget, "widgets", None)
            if parts and len(parts) == 2:  # date and time
                parts[0].attrs["aria-label"] = _("%(field)s: date") % {"field": name}
                parts[1].attrs["aria-label"] = _("%(field)s: time") % {"field": name}
            elif name:
                widget.attrs.setdefault("aria-label", name)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                known = field in self.fields and field != NON_FIELD_ERRORS
                self.add_error(field if known else None, errors)


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, which shows a form sent back with an id that is not one
    ("abc", "1.5", a number past 64 bits) as an empty choice instead of failing (500)
    while looking the id up to draw it."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if _is_id(v)], attr)


def _is_id(value) -> bool:
    text = str(value)
    return text == "" or (text.isascii() and text.isdigit() and int(text) < 2**63)


class SafeAutocomplete:
    """Mixin for admins and inlines: every autocomplete field uses the safe widget."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def yes_no(value) -> str:
    """A yes or a no in the reader's language, for a list column: Django's own icons for
    a yes/no column carry an English text alternative ("True")."""
    return _("Yes") if value else _("No")


def changes(form) -> dict:
    """What the user changed on `form`: {field name: new value}."""
    return {name: form.cleaned_data[name] for name in form.changed_data}


class CaseRecordAdmin(SafeAutocomplete, SimpleHistoryAdmin):
    """Case records: never hard-deleted (no delete link or action, for anyone); their
    change history (django-simple-history) under "History"; every opening of a
    record's page, its history or an old version noted in the read-access log; and
    every save made by a service (`write`, `write_inline`), never by the admin itself.
    A service's refusal that the form could not foresee (someone else acted first) is
    shown as a message, and nothing of that save is kept."""

    form = CaseRecordForm

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_fields(self, request):
        """No search by a detail the user may not see (crisisunit.need_to_know): the
        list, its search box and every autocomplete that searches this model."""
        return need_to_know.searchable(request.user, self.model, super().get_search_fields(request))

    def write(self, request, obj, form, change):
        """Save `obj` through its service; return the record the service saved."""
        raise NotImplementedError(f"{type(self).__name__} saves through no service")

    def write_inline(self, request, parent, form):
        """Save the inline `form`'s record of `parent` through its service."""
        raise NotImplementedError(f"{type(self).__name__} saves no inline")

    def save_model(self, request, obj, form, change):
        saved = self.write(request, obj, form, change)
        if saved is not None and saved is not obj:
            # The admin goes on with `obj` (its history line, the redirect): the saved row.
            obj.pk = saved.pk
            obj._state.adding = False
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # lists what is new and changed, for the history
        for inline_form in formset.forms:
            if inline_form.has_changed():
                self.write_inline(request, form.instance, inline_form)

    def changelist_view(self, request, extra_context=None):
        """An action the user is not offered, posted all the same, is refused (403)
        rather than answered with Django's "No action selected" or the plain list."""
        posted = request.POST.get("action", "") if request.method == "POST" else ""
        if posted and posted not in self.get_actions(request):
            raise PermissionDenied
        if posted and not all(v and _is_id(v) for v in request.POST.getlist("_selected_action")):
            return HttpResponseBadRequest(_("The selection holds something that is not a record."))
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist:
            shown = len(changelist.result_list)
            record_list(request, self.model, query=request.GET.urlencode(), results=shown)
        return response

    change_form_template = "admin/case_change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A refusal from a service is shown as a message. An add form carries a
        one-time token, so that sending it twice adds the record once."""
        adding = object_id is None and request.method == "POST"
        if adding and (repeat := submissions.already_sent(request, request.get_full_path())):
            return repeat
        try:
            if not adding:
                return super().changeform_view(request, object_id, form_url, extra_context)
            with submissions.once(request) as claim:
                response = super().changeform_view(request, object_id, form_url, extra_context)
                if response.status_code == 302:
                    claim.lands_on(response["Location"])
                else:  # the form came back with errors: the token stays free
                    transaction.set_rollback(True)
                return response
        except submissions.Repeated as repeated:
            return submissions.repeated_response(repeated, request, request.get_full_path())
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, **kwargs):
        context["submission"] = submissions.token(request) if add else ""
        return super().render_change_form(request, context, add=add, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_read(request, object_id, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        if not _is_id(object_id):  # the package's int() of "179x" was a 500
            raise Http404
        response = super().history_view(request, object_id, extra_context)
        self._record_read(request, object_id, response)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version is shown, never restored: the package hides its Revert button
        (SIMPLE_HISTORY_REVERT_DISABLED) but would still save a posted form."""
        if request.method != "GET":
            raise PermissionDenied
        if not _is_id(version_id) or not version_id:
            raise Http404
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._record_read(request, object_id, response)
        return response

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Show what each change changed, every field included. (The package's own diff
        skips fields that are not editable in forms: status, decision, closing, the very
        ones a workflow sets.)"""
        newer = None
        for older in historical_records:
            if newer is not None:
                newer.history_delta_changes = history_changes(older, newer)
            newer = older

    def _record_read(self, request, object_id, response):
        if request.method == "GET" and response.status_code == 200:
            # The object the page shows, as the view already fetched it.
            context = getattr(response, "context_data", None) or {}
            obj = context.get("original") or context.get("object")
            if obj is None:
                obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record_read(request, obj)


class CaseRecordInline(SafeAutocomplete):
    """Mixin for inlines of case records: no delete checkbox, and the related rows
    each line shows fetched with the list rather than one query a line."""

    form = CaseRecordForm
    can_delete = False
    extra = 0
    show_change_link = True
    select_related = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_delete_permission(self, request, obj=None):
        return False


def history_changes(older, newer):
    """The fields that differ between two historical records of one object, each as
    {"field", "old", "new"} shown as the admin shows them."""
    changes = []
    for field in older.tracked_fields:
        if field.primary_key or getattr(older, field.attname) == getattr(newer, field.attname):
            continue
        changes.append(
            {
                "field": capfirst(field.verbose_name),
                "old": _shown(older, field),
                "new": _shown(newer, field),
            }
        )
    return changes


def _shown(record, field):
    if getattr(record, field.attname) in (None, ""):
        return "—"
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    if field.is_relation:
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return str(getattr(record, field.attname))
    value = getattr(record, field.attname)
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.localize(value)
