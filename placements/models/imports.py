"""An import of the caseload from a spreadsheet: the file as uploaded, checked first,
then imported once by a person's confirmation (placements/views/imports.py, the service
placements.services.imports.caseload_import). The row stays as the log of who brought in what;
the file's content is kept only until it is imported or discarded."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit import jobs
from crisisunit.lib.plausible import validate_visible_text


class CaseloadImport(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, not imported")
        IMPORTED = "imported", _("imported")
        DISCARDED = "discarded", _("discarded")

    class Job(models.TextChoices):
        CHECK = "check", _("being checked")
        IMPORT = "import", _("being imported")

    file_name = models.CharField(_("file name"), max_length=255, validators=[validate_visible_text])
    sha256 = models.CharField(_("file checksum"), max_length=64, db_index=True)
    content = models.BinaryField(_("file"), blank=True, editable=False)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social worker for rows that name none"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKED
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # What the check found when the file was uploaded (status "checked"), then what the
    # import created: {"children": n, "parents": n, "placements": n, ...}.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The check's problems at upload, the first PROBLEMS_KEPT: [{"row", "column",
    # "message"}], the messages in the uploader's language; emptied once imported.
    problems = models.JSONField(_("problems"), default=list, blank=True, editable=False)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    # The background job under way on the file (placements/jobs.py), since when, and
    # why the last one failed (in the uploader's language); its progress is in
    # crisisunit.jobs, under progress_key.
    job = models.CharField(
        _("under way"), max_length=10, choices=Job.choices, blank=True, editable=False
    )
    job_since = models.DateTimeField(_("under way since"), null=True, blank=True, editable=False)
    job_error = models.CharField(
        _("why the work stopped"), max_length=500, blank=True, editable=False
    )

    PROBLEMS_KEPT = 500

    class Meta:
        verbose_name = _("caseload import")
        verbose_name_plural = _("caseload imports")
        ordering = ["-uploaded_at", "-pk"]
        permissions = [("import_caseload", _("Can import the caseload from spreadsheets"))]

    def __str__(self):
        return self.file_name

    @property
    def progress_key(self) -> str:
        return f"caseload-import-{self.pk}"

    def keep_check(self, plan) -> None:
        """Hold what the check `plan` (placements.import_check) found: the summary, the
        first PROBLEMS_KEPT problems and when (saved by the caller, a service)."""
        self.summary, self.row_count = plan.summary(), plan.rows
        self.problems = [
            {"row": p.row, "column": p.column, "message": p.message}
            for p in plan.problems[: self.PROBLEMS_KEPT]
        ]
        self.checked_at = timezone.now()

    def job_stopped(self) -> bool:
        """Whether the job under way has stopped reporting (crisisunit.jobs): its worker
        was killed or restarted, and nothing of it was saved."""
        if not self.job or self.job_since is None:
            return False
        return jobs.stalled(self.progress_key, since=self.job_since.timestamp())
