"""The background jobs of the case records (crisisunit/jobs.py), run by `manage.py
db_worker`: the check of an uploaded caseload file, then its import, so that a file of
up to IMPORT_MAX_ROWS rows never holds a web worker, and its page shows a progress bar
(both go through the import's services; the import is one transaction, so a job killed
half-way saved nothing and can be started again); and the morning's reminder emails,
which queue the next morning's as they run (`manage.py schedule_reminders` queues the
first), instead of a cron line."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from crisisunit import jobs
from crisisunit.lib.tabular import TableError, read_table
from placements import import_check, services
from placements.models import CaseloadImport
from placements.reminders import reminders_send
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


def _table(run: CaseloadImport):
    try:
        return read_table(bytes(run.content), max_rows=settings.IMPORT_MAX_ROWS)
    except TableError as error:  # read when uploaded: only a changed setting gets here
        # It will never be imported: the file is dropped (its name and hash stay).
        import_services.caseload_job_failed(run=run, error=str(error.message), keep_content=False)
        return None


def _ready(run_id: int, by_id: int, job: str):
    """The file, its table and the person, when the job is still the one asked for (a
    job run twice, or after its file was discarded, does nothing); None, None, None
    otherwise (the file's page then says why, when there is a why)."""
    run = CaseloadImport.objects.filter(pk=run_id, job=job).first()
    by = get_user_model().objects.filter(pk=by_id, is_active=True).first()
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


# The reminder emails' hour, in the home's time (TIME_ZONE, Astana).
REMINDERS_AT = datetime.time(8, 0)


@task()
def send_reminders() -> int:
    """Queue tomorrow morning's reminders, raise the tasks of the work with the family
    (a review overdue, a referral unanswered), then email today's (placements.reminders: at
    most one email a person a day, however often it runs). Queued first, so that a
    failure today (the mail server down) does not end the chain."""
    schedule_reminders()
    services.family_work_tasks_raise(today=timezone.localdate())
    return reminders_send(today=timezone.localdate(), base_url=settings.SITE_URL)


def next_reminders_at(now: datetime.datetime) -> datetime.datetime:
    """The first REMINDERS_AT after `now`, in the home's time."""
    local = timezone.localtime(now)
    at = local.replace(hour=REMINDERS_AT.hour, minute=REMINDERS_AT.minute, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


def schedule_reminders(now: datetime.datetime | None = None) -> bool:
    """Queue the next morning's reminders, unless they are queued already (one job a
    morning, however often this is called); False when the queue cannot wait for a
    time (a backend that runs jobs at once)."""
    if not default_task_backend.supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=f"{__name__}.send_reminders", status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    send_reminders.using(run_after=next_reminders_at(now or timezone.now())).enqueue()
    return True
