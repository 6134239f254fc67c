import datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils import formats, timezone
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from crisisunit.lib.audit import record_read


class CaseRecordAdmin(SimpleHistoryAdmin):
    """Case records: never hard-deleted (no delete link or action, for anyone); their
    change history (django-simple-history) under "History"; and every opening of a
    record's page, its history or an old version noted in the read-access log."""

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_read(request, object_id, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_read(request, object_id, response)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version is shown, never restored: the package hides its Revert button
        (SIMPLE_HISTORY_REVERT_DISABLED) but would still save a posted form."""
        if request.method != "GET":
            raise PermissionDenied
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


class CaseRecordInline:
    """Mixin for inlines of case records: no delete checkbox, and the related rows
    each line shows fetched with the list rather than one query a line."""

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
