from django.contrib import admin


class CaseRecordAdmin(admin.ModelAdmin):
    """Case records are never hard-deleted: no delete link, no delete action, for anyone."""

    def has_delete_permission(self, request, obj=None):
        return False


class CaseRecordInline:
    """Mixin for inlines of case records: no delete checkbox."""

    can_delete = False
    extra = 0
    show_change_link = True

    def has_delete_permission(self, request, obj=None):
        return False
