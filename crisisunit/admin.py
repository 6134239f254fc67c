from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit import roles
from crisisunit.audit import EXPORT, LIST
from crisisunit.caseadmin import yes_no
from crisisunit.forms import StaffPasswordChangeForm
from crisisunit.models import ReadAccess, User

# Django names a model's permissions in English ("Can add visit"): say them again in
# the reader's language.
ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    original = getattr(model, "instance_type", None)  # a model's change history
    noun = (
        gettext("history of %(model)s") % {"model": original._meta.verbose_name}
        if original
        else model._meta.verbose_name
    )
    action, _sep, rest = permission.codename.partition("_")
    if action in ACTIONS and rest == model._meta.model_name:
        name = ACTIONS[action] % {"model": noun}
    else:
        name = gettext(permission.name)  # the project's own: named in its catalogs
    app = model._meta.app_config.verbose_name
    return f"{app} | {name}"


class TranslatedChoices:
    """Groups and permissions offered in the reader's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = roles.label
        elif db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
            # django-otp's devices have no admin here (the second factor is managed at
            # /staff/two-factor/): their permissions give nothing, and are not offered.
            field.queryset = field.queryset.exclude(content_type__app_label__startswith="otp_")
        return field


class RoleListFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [
            (pk, gettext(name)) for pk, name in super().field_choices(field, request, model_admin)
        ]


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(TranslatedChoices, GroupAdmin):
    list_display = ["role"]

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return roles.label(group)


@admin.register(User)
class StaffUserAdmin(TranslatedChoices, UserAdmin):
    """Staff accounts, managed by superusers. A leaver is deactivated, never deleted:
    their name stays on the visits, decisions and closings they recorded."""

    change_password_form = StaffPasswordChangeForm

    list_display = ["username", "first_name", "last_name", "email", "active", "last_login"]
    fieldsets = [
        *UserAdmin.fieldsets[:1],
        (UserAdmin.fieldsets[1][0], {"fields": [*UserAdmin.fieldsets[1][1]["fields"], "language"]}),
        *UserAdmin.fieldsets[2:],
    ]
    list_filter = ["is_active", "is_staff", ("groups", RoleListFilter)]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=User._meta.get_field("is_active").verbose_name)
    def active(self, user):
        """A word, not Django's icon, whose text alternative is always English."""
        return yes_no(user.is_active)


@admin.register(ReadAccess)
class ReadAccessAdmin(admin.ModelAdmin):
    """The read-access log, for administrators to search. Nobody adds, changes or
    deletes an entry here, superusers included."""

    list_display = ["at", "user", "content_type", "number", "record", "query", "results",
                    "ip_address", "path"]  # fmt: skip
    # Only the kinds of record read at least once (never the change-history models).
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter), "user"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__username", "user__last_name", "object_id", "ip_address", "path"]
    search_help_text = _("A username, a surname, a record number, an IP address or a page.")
    date_hierarchy = "at"

    def get_changelist_instance(self, request):
        """The page's entries, each with the name of the record it read: one query per
        kind of record on the page, not one per line."""
        changelist = super().get_changelist_instance(request)
        entries = list(changelist.result_list)
        wanted = {}
        for entry in entries:
            if entry.object_id.isdigit():
                wanted.setdefault(entry.content_type, set()).add(int(entry.object_id))
        names = {}
        for content_type, ids in wanted.items():
            model = content_type.model_class()
            if model is not None:
                for record in model._default_manager.filter(pk__in=ids):
                    names[(content_type.pk, str(record.pk))] = str(record)
        for entry in entries:
            entry.record_name = names.get((entry.content_type_id, entry.object_id), "")
        changelist.result_list = entries
        return changelist

    # The log's own words for a line that is not one record's: said in the reader's
    # language (the stored "list" and "export" stay searchable as they are).
    KINDS = {LIST: _("a list or a search"), EXPORT: _("an export")}

    @admin.display(description=_("record number"), ordering="object_id")
    def number(self, entry):
        return self.KINDS.get(entry.object_id, entry.object_id)

    @admin.display(description=_("whose record"))
    def record(self, entry):
        return getattr(entry, "record_name", "") or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def after_autodiscover():
    """Run once every admin module is loaded (crisisunit.apps.PortalAdminConfig).

    The sign-in records (django-axes) are kept, as the README says: their logs become
    read-only for everyone, superusers included (an access attempt may still be deleted:
    that unlocks a sign-in). django-otp's own admin of devices, which shows each secret
    key and QR code, is taken away: a lost device is reset from the team's page (/staff/team/).
    So is django-tasks-db's admin of the job queue: a failed job's traceback may quote
    case data, and each job's page says how it went (the worker's log has the rest)."""
    from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessFailureLog, AccessLog

    for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        admin.site.unregister(model)
        admin.site.register(model, type(f"ReadOnly{base.__name__}", (ReadOnly, base), {}))
    admin.site.unregister(TOTPDevice)
    from django_tasks_db.models import DBTaskResult

    admin.site.unregister(DBTaskResult)
