from django.contrib import admin

from crisisunit.lib.admin import CaseRecordAdmin, CaseRecordInline
from families.models import Child, ChildParent, Consent, Parent

PERSON_SEARCH = ["surname", "given_name", "patronymic", "iin"]


class ParentOfChildInline(CaseRecordInline, admin.TabularInline):
    model = ChildParent
    autocomplete_fields = ["parent"]


class ChildOfParentInline(CaseRecordInline, admin.TabularInline):
    model = ChildParent
    autocomplete_fields = ["child"]


class ConsentInline(CaseRecordInline, admin.TabularInline):
    model = Consent
    fields = ["given_on", "covers", "withdrawn_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


def set_recorder(instances, user, field):
    """Stamp new rows with the user who recorded them."""
    for instance in instances:
        if instance.pk is None:
            setattr(instance, field, user)


@admin.register(Parent)
class ParentAdmin(CaseRecordAdmin):
    list_display = ["surname", "given_name", "patronymic", "iin", "date_of_birth", "phone"]
    list_filter = ["sex"]
    search_fields = PERSON_SEARCH + ["phone"]
    date_hierarchy = "created_at"
    inlines = [ChildOfParentInline, ConsentInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        if formset.model is Consent:
            set_recorder(instances, request.user, "recorded_by")
        for instance in instances:
            instance.save()
        formset.save_m2m()


@admin.register(Child)
class ChildAdmin(CaseRecordAdmin):
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


@admin.register(Consent)
class ConsentAdmin(CaseRecordAdmin):
    list_display = ["parent", "given_on", "withdrawn_on", "recorded_by"]
    list_filter = [("withdrawn_on", admin.EmptyFieldListFilter)]
    list_select_related = ["parent", "recorded_by"]
    search_fields = [f"parent__{f}" for f in PERSON_SEARCH]
    date_hierarchy = "given_on"
    autocomplete_fields = ["parent"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        set_recorder([obj], request.user, "recorded_by")
        super().save_model(request, obj, form, change)
