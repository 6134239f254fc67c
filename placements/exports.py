"""The exports of placements and visits as CSV files, for staff with the permission.

With names (administrators), the placements' file carries the columns of the caseload
import (placements.import_columns) under their codes: the child, the first parent on
file, the referral and every visit's date and time, so that the file can be imported
into another installation of the portal."""

import datetime

from django.db.models import Count, Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from crisisunit.audit import record_export
from crisisunit.auth import staff_view
from crisisunit.lib.csv import csv_lines
from crisisunit.lib.dates import start_of_day
from families.models import ChildParent
from placements import forms
from placements.models import Placement, Visit


@staff_view("placements.export_placements")
def export(request):
    may_see_names = request.user.has_perm("placements.export_personal_data")
    # POST only, with the CSRF token: a link on another site cannot make a signed-in
    # administrator download names and IINs.
    form = forms.ExportForm(request.POST or None, may_see_names=may_see_names)
    if request.method != "POST" or not form.is_valid():
        return render(request, "placements/export_form.html", {"form": form})
    data = form.cleaned_data
    with_names = may_see_names and data.get("with_names", False)
    start, end = data["date_from"], data["date_to"]
    if with_names:  # personal data leaves the portal: the read-access log says who took it
        asked = {key: request.POST.get(key, "") for key in ("what", "date_from", "date_to")}
        model = Placement if data["what"] == "placements" else Visit
        record_export(request, model, {**asked, "with_names": "on"})
    if data["what"] == "placements":
        header, rows = _placement_rows(start, end, with_names)
    else:
        header, rows = _visit_rows(start, end, with_names)
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"{data['what']}-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PLACEMENT_COLUMNS = [
    "placement_id", "admitted_on", "planned_end_on", "status", "outcome", "closed_on",
    "referral_source", "crisis_reason", "social_worker", "visits",
]  # fmt: skip
PERSONAL_COLUMNS = [
    "child_surname", "child_given_name", "child_iin", "child_date_of_birth",
    "child_patronymic", "child_sex", "parent_relation", "parent_surname", "parent_given_name",
    "parent_patronymic", "parent_date_of_birth", "parent_sex", "parent_iin", "parent_phone",
    "referral_number", "referral_date", "visit_dates",
]  # fmt: skip


def _placement_rows(start, end, with_names):
    placements = (
        Placement.objects.filter(admitted_on__lte=end)
        .exclude(closed_on__lt=start)
        .select_related("child", "social_worker")
        .annotate(visit_count=Count("visits"))
        .order_by("admitted_on", "pk")
    )
    header = PLACEMENT_COLUMNS + (PERSONAL_COLUMNS if with_names else [])
    if with_names:
        placements = placements.prefetch_related(
            Prefetch(
                "child__parent_links",
                queryset=ChildParent.objects.select_related("parent").order_by("pk"),
            ),
            Prefetch("visits", queryset=Visit.objects.only("placement_id", "visited_at")),
        )

    def rows():
        for p in placements.iterator(chunk_size=2000):
            row = [
                p.pk, p.admitted_on, p.planned_end_on, p.status, p.outcome, p.closed_on,
                p.referral_source, p.crisis_reason, p.social_worker.username, p.visit_count,
            ]  # fmt: skip
            if with_names:
                row += _personal(p)
            yield row

    return header, rows()


def _personal(placement):
    """The PERSONAL_COLUMNS of a placement: the child, its first parent on file and the
    visits (each as the local date and time)."""
    child = placement.child
    link = next(iter(child.parent_links.all()), None)
    parent = link.parent if link else None
    visits = sorted(timezone.localtime(v.visited_at) for v in placement.visits.all())
    person = [child.surname, child.given_name, child.iin, child.date_of_birth]
    person += [child.patronymic, child.sex]
    if parent is None:
        person += [""] * 8
    else:
        person += [link.relation, parent.surname, parent.given_name, parent.patronymic]
        person += [parent.date_of_birth, parent.sex, parent.iin, parent.phone]
    referral = [placement.referral_number, placement.referral_date]
    return person + referral + ["; ".join(f"{v:%Y-%m-%d %H:%M}" for v in visits)]


def _visit_rows(start, end, with_names):
    visits = (
        Visit.objects.filter(
            visited_at__gte=start_of_day(start),
            visited_at__lt=start_of_day(end + datetime.timedelta(days=1)),
        )
        .select_related("placement__child", "parent", "recorded_by")
        .order_by("visited_at", "pk")
    )
    header = ["visit_id", "placement_id", "visited_at", "duration_minutes", "recorded_by"]
    if with_names:
        header += ["child", "child_iin", "parent", "parent_iin"]

    def rows():
        for v in visits.iterator(chunk_size=2000):
            local = timezone.localtime(v.visited_at).strftime("%Y-%m-%d %H:%M")
            row = [v.pk, v.placement_id, local, v.duration_minutes, v.recorded_by.username]
            if with_names:
                child, parent = v.placement.child, v.parent
                row += [child.full_name, child.iin, parent.full_name, parent.iin]
            yield row

    return header, rows()
