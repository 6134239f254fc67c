from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from crisisunit.models import ReadAccess, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Staff accounts, managed by superusers. A leaver is deactivated, never deleted:
    their name stays on the visits, decisions and closings they recorded."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    fieldsets = [
        *UserAdmin.fieldsets[:1],
        (UserAdmin.fieldsets[1][0], {"fields": [*UserAdmin.fieldsets[1][1]["fields"], "language"]}),
        *UserAdmin.fieldsets[2:],
    ]
    list_filter = ["is_active", "is_staff", "groups"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReadAccess)
class ReadAccessAdmin(admin.ModelAdmin):
    """The read-access log, for administrators to search. Nobody adds, changes or
    deletes an entry here, superusers included."""

    list_display = ["at", "user", "content_type", "object_id", "ip_address", "path"]
    list_filter = ["content_type", "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__username", "user__last_name", "object_id", "ip_address", "path"]
    search_help_text = _("A username, a surname, a record number, an IP address or a page.")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
