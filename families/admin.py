from django.contrib import admin

from crisisunit import need_to_know
from crisisunit.caseadmin import CaseRecordAdmin, CaseRecordInline, changes
from families import services
from families.models import PERSON_SEARCH, Child, ChildParent, Consent, Parent


class ParentOfChildInline(CaseRecordInline, admin.TabularInline):
    model = ChildParent
    autocomplete_fields = ["parent"]


class ChildOfParentInline(CaseRecordInline, admin.TabularInline):
    model = ChildParent
    autocomplete_fields = ["child"]


class ConsentInline(CaseRecordInline, admin.TabularInline):
    model = Consent
    fields = ["given_on", "covers", "withdrawn_on", "withdrawal_reason", "recorded_by"]
    readonly_fields = ["recorded_by"]


def write_consent(request, parent, form):
    """A new consent is recorded; a changed one is corrected, naming who saved it."""
    consent = form.instance
    if consent.pk is None:
        saved = services.consent_record(
            parent=parent,
            given_on=consent.given_on,
            covers=consent.covers,
            by=request.user,
        )
        if consent.withdrawn_on:
            services.consent_withdraw(
                consent=saved,
                on=consent.withdrawn_on,
                reason=consent.withdrawal_reason,
                by=request.user,
            )
        return saved
    return services.consent_update(consent=consent, by=request.user, **changes(form))


class PersonAdmin(CaseRecordAdmin):
    def write(self, request, obj, form, change):
        return services.person_save(person=obj, by=request.user)

    def write_inline(self, request, parent, form):
        if form._meta.model is Consent:
            return write_consent(request, parent, form)
        return services.link_save(link=form.instance, by=request.user)


@admin.register(Parent)
class ParentAdmin(PersonAdmin):
    """A parent's IIN only for those who may see it (not medical staff): left out of
    the list, the search, the form, the old versions and the history's changes."""

    list_display = ["surname", "given_name", "patronymic", "iin", "date_of_birth", "phone"]
    list_filter = ["sex"]
    search_fields = PERSON_SEARCH + ["phone"]
    date_hierarchy = "created_at"
    inlines = [ChildOfParentInline, ConsentInline]

    @staticmethod
    def _sees_iin(request):
        return need_to_know.sees(request.user, need_to_know.PARENT_IIN)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if self._sees_iin(request) else [f for f in shown if f != "iin"]

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if self._sees_iin(request) else [*excluded, "iin"]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        if not self._sees_iin(request):
            hidden = str(Parent._meta.get_field("iin").verbose_name).lower()
            for record in historical_records:
                changes = getattr(record, "history_delta_changes", None) or []
                record.history_delta_changes = [
                    c for c in changes if str(c["field"]).lower() != hidden
                ]


@admin.register(Child)
class ChildAdmin(PersonAdmin):
    list_display = ["surname", "given_name", "patronymic", "iin", "date_of_birth", "sex"]
    list_filter = ["sex"]
    search_fields = PERSON_SEARCH
    date_hierarchy = "date_of_birth"
    inlines = [ParentOfChildInline]


@admin.register(ChildParent)
class ChildParentAdmin(CaseRecordAdmin):
    list_display = ["child", "parent", "relation"]
    list_filter = ["relation"]
    list_select_related = ["child", "parent"]
    search_fields = [f"child__{f}" for f in PERSON_SEARCH] + [f"parent__{f}" for f in PERSON_SEARCH]
    autocomplete_fields = ["child", "parent"]

    def write(self, request, obj, form, change):
        return services.link_save(link=obj, by=request.user)


@admin.register(Consent)
class ConsentAdmin(CaseRecordAdmin):
    list_display = ["parent", "given_on", "withdrawn_on", "recorded_by"]
    list_filter = [("withdrawn_on", admin.EmptyFieldListFilter)]
    list_select_related = ["parent", "recorded_by"]
    search_fields = [f"parent__{f}" for f in PERSON_SEARCH]
    date_hierarchy = "given_on"
    autocomplete_fields = ["parent"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def write(self, request, obj, form, change):
        return write_consent(request, obj.parent, form)
