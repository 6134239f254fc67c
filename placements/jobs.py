"""The caseload import's background jobs (crisisunit/jobs.py): the check of an uploaded
file, then its import, each run by `manage.py db_worker`, so that a file of up to
IMPORT_MAX_ROWS rows never holds a web worker, and its page shows a progress bar. Both
go through the import's services (placements.services.imports); the import is one
transaction, so a job killed half-way saved nothing and can be started again."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from crisisunit import jobs
from crisisunit.lib.tabular import TableError, read_table
from placements import import_check
from placements.models import CaseloadImport
from placements.services import imports as import_services

logger = logging.getLogger(__name__)


def start(run: CaseloadImport, job: str, *, by) -> bool:
    """Queue `job` (CaseloadImport.Job) on `run` for `by`, in `by`'s language; False
    when one is under way already or the file is no longer waiting."""
    if not import_services.caseload_job_start(run=run, job=job, by=by):
        return False
    language = translation.get_language() or settings.LANGUAGE_CODE
    work = check_file if job == CaseloadImport.Job.CHECK else import_file
    work.enqueue(run_id=run.pk, by_id=by.pk, language=language)
    return True


def _open(run_id: int, by_id: int, job: str):
    """The file and the person, when the job is still the one asked for (a job run
    twice, or after its file was discarded, does nothing)."""
    run = CaseloadImport.objects.filter(pk=run_id, job=job).first()
    by = get_user_model().objects.filter(pk=by_id, is_active=True).first()
    return run, by


def _table(run: CaseloadImport):
    try:
        return read_table(bytes(run.content), max_rows=settings.IMPORT_MAX_ROWS)
    except TableError as error:  # read when uploaded: only a changed setting gets here
        import_services.caseload_job_failed(run=run, error=str(error.message))
        return None


def _ready(run_id: int, by_id: int, job: str):
    """The file, its table and the person, when the job is still the one asked for (a
    job run twice, or after its file was discarded, does nothing); None, None, None
    otherwise (the file's page then says why, when there is a why)."""
    run, by = _open(run_id, by_id, job)
    if run is None:
        return None, None, None
    if by is None:
        import_services.caseload_job_failed(run=run, error=_("The account that asked is inactive."))
        return None, None, None
    table = _table(run)
    return (run, table, by) if table is not None else (None, None, None)


@task()
def check_file(*, run_id: int, by_id: int, language: str) -> None:
    with translation.override(language):
        run, table, by = _ready(run_id, by_id, CaseloadImport.Job.CHECK)
        if run is None:
            return
        report = jobs.Reporter(run.progress_key)

        def checked(done: int, total: int) -> None:
            report(done=done, total=total, percent=done * 100 // max(total, 1), stage="check")

        try:
            plan = import_check.check(
                table, by=by, social_worker=run.social_worker, progress=checked
            )
            import_services.caseload_checked(run=run, plan=plan)
        except Exception:
            logger.exception("The check of caseload file %s failed", run_id)
            import_services.caseload_job_failed(run=run, error=_("The check stopped on an error."))
        finally:
            jobs.forget(run.progress_key)


@task()
def import_file(*, run_id: int, by_id: int, language: str) -> None:
    with translation.override(language):
        run, table, by = _ready(run_id, by_id, CaseloadImport.Job.IMPORT)
        if run is not None:
            _import(run, table, by, jobs.Reporter(run.progress_key))


def _import(run, table, by, report) -> None:
    rows = len(table.rows)

    def checked(done: int, total: int) -> None:  # the first half of the bar
        report(done=done, total=total, percent=done * 50 // max(total, 1), stage="check")

    def written(done: int, total: int) -> None:  # the second half
        report(done=rows, total=rows, percent=50 + done * 50 // total, stage="write")

    try:
        import_services.caseload_import(
            run=run, table=table, by=by, progress=checked, written=written
        )
    except import_services.ImportRefused as refusal:
        # Rows that passed the check no longer do: the file is dropped, not kept.
        message = " ".join(refusal.messages) + " " + _("Upload the corrected file.")
        import_services.caseload_job_failed(run=run, error=message, keep_content=False)
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [_("You may not import the caseload.")]
        import_services.caseload_job_failed(run=run, error=" ".join(messages))
    except Exception:
        logger.exception("The import of caseload file %s failed", run.pk)
        import_services.caseload_job_failed(
            run=run, error=_("The import stopped on an error; nothing was imported.")
        )
    finally:
        jobs.forget(run.progress_key)
