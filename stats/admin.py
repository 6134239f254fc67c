from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placements.models import Placement
from stats import figures
from stats.models import YearlyFigure


@admin.register(YearlyFigure)
class YearlyFigureAdmin(admin.ModelAdmin):
    """Administrators publish (freeze) a year's figure here; it then wins over the
    live count. The change list offers each live year with its current count."""

    list_display = [
        "year", "children_returned", "counted", "source", "updated_by", "updated_at",
    ]  # fmt: skip
    list_filter = ["source"]
    readonly_fields = ["updated_by", "updated_at"]
    fields = ["year", "children_returned", "source", "note", "updated_by", "updated_at"]

    def get_queryset(self, request):
        """Each year with the children returned home that the records count for it (an
        import of the home's old journals fills the years before the portal), to set
        beside the figure published."""
        returned = (
            Placement.objects.returned_home()
            .filter(closed_on__year=OuterRef("year"))
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(counted=Coalesce(Subquery(returned), 0))

    @admin.display(description=_("counted from the records"), ordering="counted")
    def counted(self, obj):
        return obj.counted

    def has_delete_permission(self, request, obj=None):
        # Unpublishing goes through a change, so the history keeps what was public.
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        counted = figures.counted_from_records(obj.year, obj.year).get(obj.year, 0)
        if obj.source == YearlyFigure.Source.RECORDED and obj.children_returned != counted:
            # Saved, as the administrator may know better (records still to come in),
            # but said plainly: the public page will call this figure "counted".
            self.message_user(
                request,
                _(
                    "The figure for %(year)s, %(figure)s, is marked as counted from the "
                    "records, but the records count %(counted)s. Correct the figure, or mark "
                    "it as published by the home."
                )
                % {"year": obj.year, "counted": counted, "figure": obj.children_returned},
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        live = [f for f in figures.yearly_returns() if not f.fixed and not f.in_progress]
        extra_context = {**(extra_context or {}), "live_years": live}
        return super().changelist_view(request, extra_context=extra_context)
