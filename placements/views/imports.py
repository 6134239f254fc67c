"""Importing the caseload from a spreadsheet, for administrators: upload, see what the
import would create and every row's problems, then import all rows or none (or discard
the file). The check and the writes are placements.import_check and
placements.services.imports; the command `import_caseload` does the same."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit.auth import staff_view
from crisisunit.lib.tabular import TableError, read_table
from placements import import_check, upload_forms
from placements.import_columns import COLUMNS, template_workbook
from placements.models import CaseloadImport
from placements.services import imports as import_services

PERMISSION = import_services.PERMISSION
# The problems listed on the page at most (the count says how many more).
PROBLEMS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(PERMISSION)
def upload(request):
    form = upload_forms.CaseloadFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["social_worker"]
        plan = import_check.check(form.cleaned_data["table"], by=request.user, social_worker=worker)
        run = import_services.caseload_stage(
            file_name=form.file_name(),
            content=form.cleaned_data["content"],
            social_worker=worker,
            plan=plan,
            keep_content=not plan.problems,  # a refused file is never imported: not kept
            by=request.user,
        )
        _say_checked(request, plan.summary()["rows_with_problems"])
        return redirect("placements:import_detail", pk=run.pk)
    recent = CaseloadImport.objects.select_related("uploaded_by")[:20]
    return render(
        request,
        "placements/import_upload.html",
        {"form": form, "recent": recent, "columns": COLUMNS},
    )


@staff_view(PERMISSION)
def template(request):
    """The empty workbook, in the user's language."""
    response = HttpResponse(template_workbook(get_language()), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="caseload-template.xlsx"'
    return response


@staff_view(PERMISSION, reads=CaseloadImport)
def detail(request, pk):
    """What the import of a file would create, or what it created."""
    run = get_object_or_404(CaseloadImport.objects.select_related("uploaded_by"), pk=pk)
    context: dict[str, Any] = {"run": run, "summary": None, "problems": []}
    if run.status == CaseloadImport.Status.CHECKED:
        if run.checked_at is None:  # staged without its check (before it was kept)
            _check_now(request, run, context)
        else:
            context["summary"] = run.summary
            context["problems"] = [import_check.Problem(**p) for p in run.problems]
            count = run.summary.get("problems", len(run.problems))
            context["more_problems"] = max(0, count - len(run.problems))
        if "unreadable" not in context:
            context["same_file"] = (
                CaseloadImport.objects.filter(
                    sha256=run.sha256, status=CaseloadImport.Status.IMPORTED
                )
                .select_related("uploaded_by")
                .first()
            )
    else:
        context["summary"] = run.summary
    if context["summary"]:
        context["summary_rows"] = [
            (label, context["summary"].get(key, 0)) for key, label in import_check.SUMMARY
        ]
    return render(request, "placements/import_detail.html", context)


def _say_checked(request, rows_with_problems: int) -> None:
    """What the check found, said on the file's page (and so in its title, which a
    screen reader reads as the page opens)."""
    if rows_with_problems:
        messages.warning(
            request,
            ngettext(
                "The file is checked: %(count)s row has problems to correct.",
                "The file is checked: %(count)s rows have problems to correct.",
                rows_with_problems,
            )
            % {"count": rows_with_problems},
        )
    else:
        messages.success(request, _("The file is checked: nothing to correct."))


def _check_now(request, run, context):
    try:
        table = read_table(bytes(run.content), max_rows=settings.IMPORT_MAX_ROWS)
    except TableError as error:  # read when uploaded: only a changed setting gets here
        context["unreadable"] = error.message
        return
    plan = import_check.check(table, by=request.user, social_worker=run.social_worker)
    context["summary"] = plan.summary()
    context["problems"] = plan.problems[:PROBLEMS_SHOWN]
    context["more_problems"] = max(0, len(plan.problems) - PROBLEMS_SHOWN)


@staff_view(PERMISSION)
@require_POST
def confirm(request, pk):
    run = get_object_or_404(CaseloadImport, pk=pk)
    if run.status != CaseloadImport.Status.CHECKED:
        messages.error(request, _("This file was imported or discarded already."))
        return redirect("placements:import_detail", pk=run.pk)
    try:
        table = read_table(bytes(run.content), max_rows=settings.IMPORT_MAX_ROWS)
        summary = import_services.caseload_import(run=run, table=table, by=request.user)
    except TableError as error:
        messages.error(request, str(error.message))
    except import_services.ImportRefused as refusal:
        # Rows that passed the check no longer do: the file is dropped, not kept.
        import_services.caseload_discard(run=run, by=request.user)
        messages.error(request, " ".join(refusal.messages) + " " + _("Upload the corrected file."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Imported — placements: %(placements)s, visits: %(visits)s.") % summary,
        )
    return redirect("placements:import_detail", pk=run.pk)


@staff_view(PERMISSION)
@require_POST
def discard(request, pk):
    run = get_object_or_404(CaseloadImport, pk=pk)
    import_services.caseload_discard(run=run, by=request.user)
    messages.success(request, _("The file is discarded; nothing was imported."))
    return redirect("placements:import")
