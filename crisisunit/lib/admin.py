from django.contrib import admin


class CaseRecordAdmin(admin.ModelAdmin):
    """Case records are never hard-deleted: no delete link, no delete action, for anyone."""

    def has_delete_permission(self, request, obj=None):
        return False


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
