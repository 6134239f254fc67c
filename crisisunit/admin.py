from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from crisisunit.models import User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Staff accounts, managed by superusers. A leaver is deactivated, never deleted:
    their name stays on the visits, decisions and closings they recorded."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]

    def has_delete_permission(self, request, obj=None):
        return False
