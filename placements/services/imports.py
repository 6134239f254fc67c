"""The one write path of a caseload import (placements.import_check plans it): a file
staged for checking, then imported once by a person's confirmation, or discarded. The
rows themselves are written by placements.services.caseload_load."""

import hashlib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit import jobs
from crisisunit.lib.plausible import without_invisible_characters
from crisisunit.lib.tabular import Table
from crisisunit.lib.writes import lock_key_within, require, service
from crisisunit.models import User
from placements import import_check
from placements.locks import lock_case
from placements.models import CaseloadImport
from placements.services.stays import caseload_load, end_follow_ups_of_earlier_stays

PERMISSION = "placements.import_caseload"


class ImportRefused(ValidationError):
    """Rows of the file have problems (`plan.problems`); nothing was imported."""

    def __init__(self, plan: import_check.Plan) -> None:
        super().__init__(
            _("Rows of the file have problems; nothing was imported."), code="problems"
        )
        self.plan = plan


# How long an import waits for one under way to finish before it says so.
LOCK_WAIT_SECONDS = 5


@service
def caseload_stage(
    *,
    file_name: str,
    content: bytes,
    social_worker: User | None = None,
    plan: import_check.Plan | None = None,
    keep_content: bool = True,
    by: User,
) -> CaseloadImport:
    """Keep an uploaded file for a later confirmation, with what its check (`plan`)
    found, so that its page shows the check without running it again; the import
    checks once more, under its lock. The command, which reads the file from disk,
    keeps only its name and hash (`keep_content=False`): a run killed half-way leaves
    no copy of names and IINs behind."""
    require(by, PERMISSION)
    run = CaseloadImport(
        file_name=without_invisible_characters(file_name)[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content if keep_content else b"",
        social_worker=social_worker,
        uploaded_by=by,
    )
    if plan is not None:
        run.keep_check(plan)
    run.save()
    return run


@service
def caseload_job_start(*, run: CaseloadImport, job: str, by: User) -> bool:
    """Mark the background `job` (CaseloadImport.Job) as under way on the checked file
    `run`; False when one is under way already (and has not stopped: crisisunit.jobs)
    or the file was imported or discarded meanwhile. The caller then queues it."""
    require(by, PERMISSION)
    with transaction.atomic():
        locked = CaseloadImport.objects.select_for_update().get(pk=run.pk)
        if locked.status != CaseloadImport.Status.CHECKED or (
            locked.job and not locked.job_stopped()
        ):
            return False
        locked.job, locked.job_since, locked.job_error = job, timezone.now(), ""
        locked.save(update_fields=["job", "job_since", "job_error"])
    jobs.forget(locked.progress_key)
    run.refresh_from_db()
    return True


@service
def caseload_checked(*, run: CaseloadImport, plan: import_check.Plan) -> None:
    """Keep what the background check of `run` found; a file with problems is never
    imported, so its content is dropped (only its name, hash and problems stay)."""
    with transaction.atomic():
        locked = CaseloadImport.objects.select_for_update().get(pk=run.pk)
        if locked.status != CaseloadImport.Status.CHECKED:
            return
        locked.keep_check(plan)
        locked.job = ""
        if plan.problems:
            locked.content = b""
        locked.save()
    run.refresh_from_db()


@service
def caseload_job_failed(*, run: CaseloadImport, error: str, keep_content: bool = True) -> None:
    """The background job on `run` ended without its result (nothing of it was saved):
    say why on the file's page. A file that will never be imported keeps no content."""
    with transaction.atomic():
        locked = CaseloadImport.objects.select_for_update().get(pk=run.pk)
        locked.job, locked.job_error = "", error[:500]
        if not keep_content and locked.status == CaseloadImport.Status.CHECKED:
            locked.status, locked.content = CaseloadImport.Status.DISCARDED, b""
        locked.save(update_fields=["job", "job_error", "status", "content"])
    run.refresh_from_db()


@service
def caseload_discard(*, run: CaseloadImport, by: User) -> None:
    """Drop a checked file that will not be imported (its content is not kept)."""
    require(by, PERMISSION)
    with transaction.atomic():
        locked = CaseloadImport.objects.select_for_update().get(pk=run.pk)
        if locked.status == CaseloadImport.Status.CHECKED:
            locked.status, locked.content = CaseloadImport.Status.DISCARDED, b""
            locked.save(update_fields=["status", "content"])
    run.refresh_from_db()


@service
def caseload_import(
    *,
    run: CaseloadImport,
    table: Table,
    by: User,
    progress: Callable[[int, int], None] | None = None,
    written: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Import the checked spreadsheet `run` (read as `table`): all its rows or none, in
    one transaction. The file is checked again under a lock, so that what two people
    or a record saved meanwhile changed is seen; any problem refuses the whole file.
    Each record's history names `by` and the file; each placement is marked as
    imported by `run`. Returns what was created. `progress(done, total)` is called as
    the rows are checked, `written(done, total)` as the records' kinds are written."""
    require(by, PERMISSION)
    with transaction.atomic():
        if not lock_key_within(LOCK_WAIT_SECONDS, "caseload import"):
            raise ValidationError(
                _(
                    "Another import is under way; nothing was imported. Try again once it "
                    "has finished."
                ),
                code="busy",
            )
        locked = CaseloadImport.objects.select_for_update().get(pk=run.pk)
        if locked.status != CaseloadImport.Status.CHECKED:
            raise ValidationError(_("This file was imported or discarded already."), code="done")
        plan = import_check.check(
            table, by=by, social_worker=locked.social_worker, today=timezone.localdate(),
            progress=progress,
        )  # fmt: skip
        if plan.problems:
            raise ImportRefused(plan)
        # The one order of locks: the stays of the children on file, then the children.
        lock_case(children=plan.children_on_file)
        for placement in plan.placements:
            placement.imported = locked
        reason = _("Imported from %(file)s") % {"file": locked.file_name}
        caseload_load(
            records=plan.records(), by=by, validate=False, history_reason=reason[:100],
            progress=written,
        )  # fmt: skip
        for placement in plan.returning():
            end_follow_ups_of_earlier_stays(placement, by=by)
        locked.status, locked.imported_at = CaseloadImport.Status.IMPORTED, timezone.now()
        locked.summary, locked.row_count, locked.content = plan.summary(), plan.rows, b""
        locked.problems, locked.job = [], ""
        locked.save()
    run.refresh_from_db()
    return run.summary
