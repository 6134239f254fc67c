"""The exports of placements and visits, for staff with the permission: a CSV file that
Excel opens right in the user's language (crisisunit.lib.csv), or an Excel workbook.
Headings and values are in the user's language, never internal codes.

With names (administrators), the placements' file carries the columns of the caseload
import (placements.import_columns) under the same headings: the child, the first parent
on file, the referral and every visit's date and time, so that the file can be imported
into another installation of the portal."""

import datetime
import io

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from crisisunit import need_to_know
from crisisunit.audit import record_export
from crisisunit.auth import staff_view
from crisisunit.lib.csv import excel_csv_response
from crisisunit.lib.dates import format_date, start_of_day
from crisisunit.need_to_know import seen
from families.models import ChildParent
from placements import forms
from placements.import_columns import BY_CODE, EXPORT_ONLY
from placements.models import Placement, Visit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    shown = need_to_know.shown(request.user)
    if data["what"] == "placements":
        header, rows = _placement_rows(start, end, with_names, shown)
    else:
        header, rows = _visit_rows(start, end, with_names, shown)
    name = f"{data['what']}-{start.isoformat()}-{end.isoformat()}"
    if data.get("format") == "xlsx":
        return _workbook(header, rows, f"{name}.xlsx")
    rows = ([_text(value) for value in row] for row in rows)
    return excel_csv_response(header, rows, filename=f"{name}.csv", language=get_language())


def _text(value):
    """A value as a CSV cell: dates as 31.12.2024, times as 31.12.2024 14:30."""
    if isinstance(value, datetime.datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, datetime.date):
        return format_date(value)
    return "" if value is None else value


def _workbook(header, rows, filename):
    """The rows as an Excel workbook: dates as dates, every text (an IIN, a phone) as
    text, so that Excel keeps its leading zero and runs no formula."""
    from openpyxl import Workbook

    from crisisunit.lib import workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(workbook.row(sheet, header, bold=True))
    for values in rows:
        sheet.append(workbook.row(sheet, values))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _heading(code):
    if code in EXPORT_ONLY:
        return capfirst(str(EXPORT_ONLY[code]))
    return capfirst(str(BY_CODE[code].label))


def _placement_rows(start, end, with_names, shown):
    placements = (
        Placement.objects.filter(admitted_on__lte=end)
        .exclude(closed_on__lt=start)
        .select_related("child", "social_worker")
        .annotate(visit_count=Count("visits"))
        .order_by("admitted_on", "pk")
    )
    codes = PLACEMENT_COLUMNS + (PERSONAL_COLUMNS if with_names else [])
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
            worker = p.social_worker.get_full_name() or p.social_worker.username
            row = [
                p.pk, p.admitted_on, p.planned_end_on, p.get_status_display(),
                p.get_outcome_display(), p.closed_on, p.get_referral_source_display(),
                p.get_crisis_reason_display(), worker, p.visit_count,
            ]  # fmt: skip
            if with_names:
                row += _personal(p, shown)
            yield row

    return [_heading(code) for code in codes], rows()


def _personal(placement, shown):
    """The PERSONAL_COLUMNS of a placement: the child, its first parent on file (the
    details of the parent that the user may see) and the visits (each as the local
    date and time)."""
    child = placement.child
    link = next(iter(child.parent_links.all()), None)
    parent = link.parent if link else None
    visits = sorted(timezone.localtime(v.visited_at) for v in placement.visits.all())
    person = [child.surname, child.given_name, child.iin, child.date_of_birth]
    person += [child.patronymic, child.get_sex_display()]
    if parent is None or link is None:
        person += [""] * 8
    else:
        person += [link.get_relation_display(), parent.surname, parent.given_name]
        person += [parent.patronymic, parent.date_of_birth, parent.get_sex_display()]
        person += [seen(parent, "iin", shown), seen(parent, "phone", shown)]
    referral = [placement.referral_number, placement.referral_date]
    return person + referral + ["; ".join(_text(v) for v in visits)]


def _visit_rows(start, end, with_names, shown):
    visits = (
        Visit.objects.filter(
            visited_at__gte=start_of_day(start),
            visited_at__lt=start_of_day(end + datetime.timedelta(days=1)),
        )
        .select_related("placement__child", "parent", "recorded_by")
        .order_by("visited_at", "pk")
    )
    header = [_("Visit number"), _("Placement number"), _("Date and time"),
              _("Duration, minutes"), _("Recorded by")]  # fmt: skip
    if with_names:
        header += [_("Child"), _("Child's IIN"), _("Parent"), _("Parent's IIN")]

    def rows():
        for v in visits.iterator(chunk_size=2000):
            recorder = v.recorded_by.get_full_name() or v.recorded_by.username
            local = timezone.localtime(v.visited_at)
            row = [v.pk, v.placement_id, local, v.duration_minutes, recorder]
            if with_names:
                child, parent = v.placement.child, v.parent
                row += [child.full_name, child.iin, parent.full_name, seen(parent, "iin", shown)]
            yield row

    return header, rows()
