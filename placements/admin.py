from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit import roles
from crisisunit.caseadmin import (
    CaseRecordAdmin,
    CaseRecordForm,
    CaseRecordInline,
    changes,
    yes_no,
)
from families.models import PERSON_SEARCH, Parent
from placements import services
from placements.admin_actions import apply_to_each, run_action_with_form
from placements.forms import ApprovalForm, ClosingForm, RejectionForm
from placements.models import (
    APPROVE_PERMISSION,
    Consultation,
    FollowUp,
    Placement,
    ReturnApplication,
    TermExtension,
    Visit,
    return_evidence,
)


class ParentsOfThisChildMixin:
    """In a placement's inlines, offer only the parents linked to the placement's child."""

    parent_fields = ("parent", "applicant")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        object_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name not in self.parent_fields or not object_id:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        kwargs["queryset"] = Parent.objects.filter(child_links__child__placements=object_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Evaluated once for the page; every line of the inline copies the list.
        field.choices = list(field.choices)
        return field


class TermExtensionInlineForm(CaseRecordForm):
    class Meta:
        model = TermExtension
        fields = ["new_end_on", "reason", "basis_number", "basis_date"]

    def clean(self):
        cleaned = super().clean()
        placement = self.instance.placement
        if self.instance.pk is None:
            if placement.status != Placement.Status.ACTIVE:
                raise forms.ValidationError(_("Only an active placement can be extended."))
            # Lets the model's clean() compare the new end with the current one.
            self.instance.previous_end_on = placement.planned_end_on
        return cleaned


class TermExtensionInline(CaseRecordInline, admin.TabularInline):
    model = TermExtension
    form = TermExtensionInlineForm
    fields = [
        "previous_end_on",
        "new_end_on",
        "reason",
        "basis_number",
        "basis_date",
        "granted_by",
        "granted_at",
    ]
    readonly_fields = ["previous_end_on", "granted_by", "granted_at"]
    show_change_link = False
    select_related = ["granted_by"]

    def has_change_permission(self, request, obj=None):
        return False  # an extension is a record of a decision; a new one supersedes it


class VisitInline(ParentsOfThisChildMixin, CaseRecordInline, admin.TabularInline):
    model = Visit
    fields = ["parent", "visited_at", "duration_minutes", "notes", "recorded_by"]
    readonly_fields = ["recorded_by"]
    select_related = ["parent", "recorded_by"]


class ConsultationInline(ParentsOfThisChildMixin, CaseRecordInline, admin.TabularInline):
    model = Consultation
    fields = [
        "parent",
        "specialist",
        "specialist_name",
        "held_on",
        "summary",
        "follow_up_needed",
        "recorded_by",
    ]
    readonly_fields = ["recorded_by"]
    select_related = ["parent", "recorded_by"]


class ReturnApplicationInline(ParentsOfThisChildMixin, CaseRecordInline, admin.TabularInline):
    model = ReturnApplication
    fields = [
        "applicant",
        "filed_on",
        "comment",
        "status",
        "decision_number",
        "decision_date",
        "decided_by",
    ]
    readonly_fields = ["status", "decision_number", "decision_date", "decided_by"]
    select_related = ["applicant", "decided_by", "placement__child"]

    def has_change_permission(self, request, obj=None):
        return False  # decisions are taken on the application's own page, by the actions


@admin.register(Placement)
class PlacementAdmin(CaseRecordAdmin):
    list_display = [
        "child",
        "admitted_on",
        "planned_end_on",
        "status",
        "outcome",
        "social_worker",
        "closed_on",
    ]
    list_filter = ["status", "outcome", "referral_source", "crisis_reason", "social_worker"]
    list_select_related = ["child", "social_worker"]
    search_fields = [f"child__{f}" for f in PERSON_SEARCH] + [
        "child__parents__surname",
        "child__parents__given_name",
        "child__parents__iin",
    ]
    date_hierarchy = "admitted_on"
    autocomplete_fields = ["child"]
    readonly_fields = ["status", "outcome", "closed_on", "closed_by"]
    actions = ["close_placements"]
    fieldsets = [
        (None, {"fields": ["child", "social_worker", "admitted_on", "planned_end_on"]}),
        (_("Referral"), {"fields": ["referral_source", "referral_number", "referral_date"]}),
        (_("Crisis"), {"fields": ["crisis_reason", "crisis_notes"]}),
        (_("Closing"), {"fields": ["status", "outcome", "closed_on", "closed_by"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # The term changes only through a recorded extension.
        return [*self.readonly_fields, "child", "planned_end_on"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "social_worker" in form.base_fields:
            # Active social workers, and whoever is assigned now even if they left.
            workers = Q(pk__in=roles.assignable().values("pk"))
            if obj is not None:
                workers |= Q(pk=obj.social_worker_id)
            field = form.base_fields["social_worker"]
            field.queryset = field.queryset.filter(workers)
        return form

    def get_inlines(self, request, obj):
        if obj is None:
            return []  # visits and the rest need the placement to exist first
        return [TermExtensionInline, VisitInline, ConsultationInline, ReturnApplicationInline]

    def write(self, request, obj, form, change):
        if change:
            return services.placement_update(placement=obj, by=request.user, **changes(form))
        return services.placement_open(placement=obj, by=request.user)

    def write_inline(self, request, placement, form):
        """Each line through its service: an extension moves the term; a new visit,
        consultation or application is recorded, a changed one corrected."""
        record, by = form.instance, request.user
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form._meta.fields and name not in ("id", "placement")
        }
        if isinstance(record, TermExtension):
            return services.placement_extend(placement=placement, **data, by=by)
        if isinstance(record, ReturnApplication):
            return services.application_register(placement=placement, **data, by=by)
        if record.pk is not None:
            update = (
                services.visit_update if isinstance(record, Visit) else services.consultation_update
            )
            return update(**{record._meta.model_name: record}, by=by, **changes(form))
        record_new = (
            services.visit_record if isinstance(record, Visit) else services.consultation_record
        )
        return record_new(placement=placement, **data, by=by)

    @admin.action(description=_("Close the selected placements"), permissions=["change"])
    def close_placements(self, request, queryset):
        def apply(placement, data):
            services.placement_close(
                placement=placement, outcome=data["outcome"], on=data["closed_on"], by=request.user
            )

        return run_action_with_form(
            self,
            request,
            queryset.select_related("child"),
            form_class=ClosingForm,
            title=_("Close placements"),
            apply=apply,
            describe=lambda p: _("closed: %(outcome)s") % {"outcome": p.get_outcome_display()},
        )


@admin.register(TermExtension)
class TermExtensionAdmin(CaseRecordAdmin):
    """A read-only register; extensions are added on the placement's page."""

    list_display = [
        "placement",
        "previous_end_on",
        "new_end_on",
        "basis_number",
        "basis_date",
        "granted_by",
        "granted_at",
    ]
    list_select_related = ["placement__child", "granted_by"]
    search_fields = [f"placement__child__{f}" for f in PERSON_SEARCH] + ["basis_number"]
    date_hierarchy = "granted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkspaceRecordAdmin(CaseRecordAdmin):
    """Records the workspace writes: read-only here for social workers and medical
    staff, who write them in the workspace (they hold no change permission); only who
    may change them (administrators) adds or corrects them here, through the services."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self.has_change_permission(request)


class PlacementEventAdmin(WorkspaceRecordAdmin):
    """Visits and consultations: whoever saves one is named as its recorder."""

    list_select_related = ["placement__child", "parent", "recorded_by"]
    search_fields = [f"placement__child__{f}" for f in PERSON_SEARCH] + [
        f"parent__{f}" for f in PERSON_SEARCH
    ]
    autocomplete_fields = ["placement", "parent"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # A correction never moves the record to another child's stay.
        return [*self.readonly_fields, "placement"]

    def write(self, request, obj, form, change):
        name = self.model._meta.model_name
        if change:
            update = getattr(services, f"{name}_update")
            return update(**{name: obj}, by=request.user, **changes(form))
        record = getattr(services, f"{name}_record")
        data = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "placement"}
        return record(placement=obj.placement, **data, by=request.user)


@admin.register(Visit)
class VisitAdmin(PlacementEventAdmin):
    list_display = ["visited_at", "placement", "parent", "duration_minutes", "recorded_by"]
    # Millions of visits at a city's or a country's scale: a date filter needs no query
    # of its own (a date hierarchy reads the years of every visit), and one count is
    # enough.
    list_filter = [("visited_at", admin.DateFieldListFilter)]
    show_full_result_count = False


@admin.register(Consultation)
class ConsultationAdmin(PlacementEventAdmin):
    list_display = [
        "held_on",
        "specialist",
        "placement",
        "parent",
        "needs_follow_up",
        "recorded_by",
    ]
    list_filter = ["specialist", "follow_up_needed"]

    @admin.display(
        description=Consultation._meta.get_field("follow_up_needed").verbose_name,
        ordering="follow_up_needed",
    )
    def needs_follow_up(self, consultation):
        return yes_no(consultation.follow_up_needed)

    date_hierarchy = "held_on"


@admin.register(ReturnApplication)
class ReturnApplicationAdmin(WorkspaceRecordAdmin):
    list_display = [
        "__str__",
        "placement",
        "filed_on",
        "status",
        "decision_number",
        "decision_date",
        "decided_by",
    ]
    list_filter = ["status"]
    list_select_related = ["placement__child", "applicant", "decided_by"]
    search_fields = (
        [f"placement__child__{f}" for f in PERSON_SEARCH]
        + [f"applicant__{f}" for f in PERSON_SEARCH]
        + ["decision_number"]
    )
    date_hierarchy = "filed_on"
    autocomplete_fields = ["placement", "applicant"]
    fields = [
        "placement",
        "applicant",
        "filed_on",
        "comment",
        "status",
        "decision_number",
        "decision_date",
        "decided_by",
        "decided_at",
        "registered_by",
        "registered_at",
    ]
    readonly_fields = [
        "status",
        "decision_number",
        "decision_date",
        "decided_by",
        "decided_at",
        "registered_by",
        "registered_at",
    ]
    actions = [
        "start_review",
        "withdraw_applications",
        "approve_applications",
        "reject_applications",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "placement", "applicant", "filed_on"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return False  # a decided or withdrawn application is a closed record
        return super().has_change_permission(request, obj)

    def has_approve_permission(self, request):
        """Offer the decisions to those who may take them (the services check it)."""
        return request.user.has_perm(APPROVE_PERMISSION)

    def has_review_permission(self, request):
        return request.user.has_perm("placements.review_returnapplication")

    def write(self, request, obj, form, change):
        if change:
            return services.application_update(
                application=obj, comment=obj.comment, by=request.user
            )
        return services.application_register(
            placement=obj.placement,
            applicant=obj.applicant,
            filed_on=obj.filed_on,
            comment=obj.comment,
            by=request.user,
        )

    def _each(self, request, queryset, change):
        apply_to_each(
            self,
            request,
            queryset.select_related("placement__child", "applicant"),
            change,
            lambda application: application.get_status_display(),
        )

    @admin.action(description=_("Mark as under review by the authority"), permissions=["review"])
    def start_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.application_start_review(application=a, by=request.user),
        )

    @admin.action(description=_("Record that the parent withdrew it"), permissions=["review"])
    def withdraw_applications(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda a: services.application_withdraw(application=a, by=request.user),
        )

    def _decide(self, request, queryset, *, write, form_class, title, describe):
        """Approve or reject: the form's fields are the service's arguments; beside
        each application, the work with the family it rests on."""
        today = timezone.localdate()
        return run_action_with_form(
            self,
            request,
            queryset.select_related("placement__child", "applicant"),
            form_class=form_class,
            title=title,
            apply=lambda application, data: write(application=application, by=request.user, **data),
            describe=describe,
            evidence=lambda application: return_evidence(application.placement, today),
        )

    @admin.action(description=_("Approve: the child goes home"), permissions=["approve"])
    def approve_applications(self, request, queryset):
        return self._decide(
            request,
            queryset,
            write=services.application_approve,
            form_class=ApprovalForm,
            title=_("Approve return applications"),
            describe=lambda a: (
                _(
                    "approved (decision No. %(number)s); the placement is closed, "
                    "the child goes home."
                )
                % {"number": a.decision_number}
            ),
        )

    @admin.action(description=_("Reject"), permissions=["approve"])
    def reject_applications(self, request, queryset):
        return self._decide(
            request,
            queryset,
            write=services.application_reject,
            form_class=RejectionForm,
            title=_("Reject return applications"),
            describe=lambda a: (
                _("rejected (decision No. %(number)s); the child stays in care.")
                % {"number": a.decision_number}
            ),
        )


@admin.register(FollowUp)
class FollowUpAdmin(WorkspaceRecordAdmin):
    """Follow-ups are scheduled when a placement closes with the child returned and
    recorded in the workspace; here everyone with the role sees them, and an
    administrator may record a pending one (through the same services). A recorded
    follow-up is never changed."""

    list_display = ["placement", "months_after", "due_on", "done_on", "situation", "recorded_by"]
    list_filter = ["months_after", "situation", "method", ("done_on", admin.EmptyFieldListFilter)]
    list_select_related = ["placement__child", "recorded_by"]
    search_fields = [f"placement__child__{f}" for f in PERSON_SEARCH]
    date_hierarchy = "due_on"
    fields = [
        "placement",
        "months_after",
        "due_on",
        "done_on",
        "method",
        "situation",
        "notes",
        "missed_reason",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["placement", "months_after", "due_on", "recorded_by", "recorded_at"]

    def has_add_permission(self, request):
        return False

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.stored_pending = obj.is_pending  # before the form fills it in
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and not getattr(obj, "stored_pending", obj.is_pending):
            return False
        return super().has_change_permission(request, obj)

    def write(self, request, obj, form, change):
        if obj.missed_reason and obj.done_on is None:
            return services.followup_mark_missed(
                follow_up=obj, reason=obj.missed_reason, by=request.user
            )
        return services.followup_record(
            follow_up=obj,
            done_on=obj.done_on,
            method=obj.method,
            situation=obj.situation,
            notes=obj.notes,
            by=request.user,
        )
