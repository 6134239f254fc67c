import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from crisisunit.lib.files import write_whole
from crisisunit.lib.tabular import TableError, read_table
from placements import import_check
from placements.import_columns import template_workbook
from placements.services import imports as import_services

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Command(BaseCommand):
    help = (
        "Bring in the caseload kept in spreadsheets (CSV or XLSX): children, parents, "
        "placements and visits. Without --commit, only checks the file and says what it "
        "would create and every row's problems; with --commit, imports all rows or none. "
        "--template FILE.xlsx writes the empty workbook with its columns explained."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The CSV or XLSX file to import")
        parser.add_argument("--template", metavar="FILE.xlsx", help="Write the empty template")
        parser.add_argument("--commit", action="store_true", help="Import (default: check)")
        parser.add_argument("--by", help="User name of the administrator importing")
        parser.add_argument(
            "--social-worker", help="User name of the social worker for rows naming none"
        )
        parser.add_argument(
            "--language", choices=LANGUAGE_CODES, default=settings.LANGUAGE_CODE,
            help="Language of the messages and of the template",
        )  # fmt: skip

    def handle(self, *args, file=None, template=None, commit=False, by=None, **options):
        translation.activate(options["language"])
        if template:
            try:
                write_whole(template, template_workbook(options["language"]), mode=0o644)
            except OSError as error:
                raise CommandError(
                    _("The template could not be written to %(file)s: %(reason)s")
                    % {"file": template, "reason": error.strerror or error}
                ) from None
            self.stdout.write(_("Template written to %(file)s.") % {"file": template})
            return
        if not file:
            raise CommandError(_("Name the file to import, or --template FILE.xlsx."))
        user = self._user(by, "--by")
        worker = self._user(options["social_worker"], "--social-worker")
        path = Path(file)
        try:
            content = path.read_bytes()
            table = read_table(content, max_rows=settings.IMPORT_MAX_ROWS)
        except OSError as error:
            raise CommandError(str(error)) from None
        except TableError as error:
            raise CommandError(str(error.message)) from None
        if commit:
            self._import(path.name, content, table, worker, user)
            return
        plan = import_check.check(table, by=user, social_worker=worker, progress=self._progress)
        self._report(plan)
        if plan.problems:
            raise CommandError(_("Nothing was imported: correct the rows above first."))
        self.stdout.write(_("Nothing written yet: run again with --commit to import."))

    def _import(self, name, content, table, worker, user):
        """Check and import in one go (the service checks the rows under its lock)."""
        try:
            run = import_services.caseload_stage(
                file_name=name, content=content, social_worker=worker, keep_content=False,
                by=user,
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(_refusal(error)) from None
        try:
            summary = import_services.caseload_import(
                run=run, table=table, by=user, progress=self._progress
            )
        except import_services.ImportRefused as refusal:
            import_services.caseload_discard(run=run, by=user)
            self._report(refusal.plan)
            raise CommandError(_("Nothing was imported: correct the rows above first.")) from None
        except (PermissionDenied, ValidationError) as error:
            import_services.caseload_discard(run=run, by=user)
            raise CommandError(_refusal(error)) from None
        self.stdout.write(_("Imported."))
        self._summary(summary)

    def _user(self, username, option):
        if not username:
            if option == "--by":
                raise CommandError(_("Name the administrator importing with --by."))
            return None
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(
                _("No active user is called «%(name)s».") % {"name": username}
            ) from None

    def _progress(self, done, total):
        sys.stderr.write(_("Checked %(done)s of %(total)s rows") % locals() + "\n")

    def _report(self, plan):
        for problem in plan.problems:
            where = _("row %(row)s") % {"row": problem.row}
            column = f", {problem.column}" if problem.column else ""
            self.stdout.write(f"{where}{column}: {problem.message}")
        self._summary(plan.summary())

    def _summary(self, summary):
        for key, label in import_check.SUMMARY:
            self.stdout.write(f"{capfirst(label)}: {summary[key]}")


def _refusal(error):
    if isinstance(error, PermissionDenied):
        return _("This user may not import the caseload.")
    return " ".join(error.messages)
