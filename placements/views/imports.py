"""Importing the caseload from a spreadsheet, for administrators: upload, see what the
import would create and every row's problems, then import all rows or none (or discard
the file). The check and the writes are placements.import_check and
placements.services.imports; the command `import_caseload` does the same."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisisunit import jobs
from crisisunit.auth import staff_view
from placements import import_check, upload_forms
from placements import jobs as import_jobs
from placements.import_columns import COLUMNS, template_workbook
from placements.models import CaseloadImport
from placements.services import imports as import_services

PERMISSION = import_services.PERMISSION
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(PERMISSION)
def upload(request):
    """Take the file, then check it in the background: its page shows the progress."""
    form = upload_forms.CaseloadFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = import_services.caseload_stage(
            file_name=form.file_name(),
            content=form.cleaned_data["content"],
            social_worker=form.cleaned_data["social_worker"],
            by=request.user,
        )
        import_jobs.start(run, CaseloadImport.Job.CHECK, by=request.user)
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
    """What the import of a file would create, or what it created; while a job works
    on the file, its progress (static/js/job-progress.js follows it)."""
    run = get_object_or_404(CaseloadImport.objects.select_related("uploaded_by"), pk=pk)
    context: dict[str, Any] = {"run": run, "summary": None, "problems": []}
    if run.job:
        context["progress"] = jobs.progress(run.progress_key)
        context["stopped"] = run.job_stopped()
        context.update(_stage_texts())
        if context["progress"]:
            kept = context["progress"]
            text = context["write_text"] if kept.stage == "write" else context["check_text"]
            context["status_text"] = _fill(text, kept.as_json())
        return render(request, "placements/import_detail.html", context)
    if run.status == CaseloadImport.Status.CHECKED and run.checked_at is not None:
        context["summary"] = run.summary
        context["problems"] = [import_check.Problem(**p) for p in run.problems]
        count = run.summary.get("problems", len(run.problems))
        context["more_problems"] = max(0, count - len(run.problems))
        context["checked"] = _checked(run.summary.get("rows_with_problems", 0))
        context["same_file"] = (
            CaseloadImport.objects.filter(sha256=run.sha256, status=CaseloadImport.Status.IMPORTED)
            .select_related("uploaded_by")
            .first()
        )
    elif run.status == CaseloadImport.Status.IMPORTED:
        context["summary"] = run.summary
        context["checked"] = _("Imported — placements: %(placements)s, visits: %(visits)s.") % {
            "placements": run.summary.get("placements", 0),
            "visits": run.summary.get("visits", 0),
        }
    if context["summary"]:
        context["summary_rows"] = [
            (label, context["summary"].get(key, 0)) for key, label in import_check.SUMMARY
        ]
    return render(request, "placements/import_detail.html", context)


@staff_view(PERMISSION)
def progress(request, pk):
    """How far the job on a file has got, for the progress bar: numbers only."""
    run = get_object_or_404(CaseloadImport, pk=pk)
    kept = jobs.progress(run.progress_key) if run.job else None
    return JsonResponse(
        {
            "working": bool(run.job),
            "stopped": run.job_stopped(),
            **(
                kept.as_json()
                if kept
                else {"done": 0, "total": run.row_count, "percent": 0, "stage": ""}
            ),
        }
    )


def _stage_texts() -> dict[str, str]:
    """What the progress bar says, with the numbers to fill in (job-progress.js fills
    them in the browser, _fill on the server)."""
    return {
        "check_text": _("Checking the rows: {done} of {total} ({percent} %)"),
        "write_text": _("Writing the records ({percent} %)"),
    }


def _fill(text: str, numbers: dict) -> str:
    for key in ("done", "total", "percent"):
        text = text.replace(
            "{" + key + "}", formats.number_format(numbers[key], force_grouping=True)
        )
    return text


def _checked(rows_with_problems: int) -> str:
    """What the check found, said first in the file's page title (read by a screen
    reader as the page opens) and at its head."""
    if rows_with_problems:
        return ngettext(
            "The file is checked: %(count)s row has problems to correct.",
            "The file is checked: %(count)s rows have problems to correct.",
            rows_with_problems,
        ) % {"count": rows_with_problems}
    return _("The file is checked: nothing to correct.")


@staff_view(PERMISSION)
@require_POST
def confirm(request, pk):
    """Import the checked file in the background (or check it again, when its check
    stopped before it finished)."""
    run = get_object_or_404(CaseloadImport, pk=pk)
    job = CaseloadImport.Job.IMPORT if run.checked_at else CaseloadImport.Job.CHECK
    if run.status != CaseloadImport.Status.CHECKED:
        messages.error(request, _("This file was imported or discarded already."))
    elif job == CaseloadImport.Job.IMPORT and (run.problems or not run.content):
        messages.error(request, _("Nothing can be imported while a row has a problem."))
    elif not import_jobs.start(run, job, by=request.user):
        messages.error(request, _("The file is being worked on already."))
    return redirect("placements:import_detail", pk=run.pk)


@staff_view(PERMISSION)
@require_POST
def discard(request, pk):
    run = get_object_or_404(CaseloadImport, pk=pk)
    import_services.caseload_discard(run=run, by=request.user)
    messages.success(request, _("The file is discarded; nothing was imported."))
    return redirect("placements:import")
