from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection

from crisisunit import backups


class Command(BaseCommand):
    help = (
        "Restore a file made by `manage.py backup` into an empty database: the default "
        "one, or the one --database-url names."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file")
        parser.add_argument("--database-url", help="Restore here instead of DATABASE_URL")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop what the target database holds first (it refuses otherwise)",
        )

    def handle(self, *args, path, database_url=None, replace=False, **options):
        if database_url:
            target = backups.database_from_url(database_url)
        else:
            target = connection.settings_dict
            connection.close()
        backups.check_documents_target(path, replace=replace)
        backups.verify_documents_archive(path)  # a damaged one: refused before anything
        backups.restore(path, target, replace=replace)
        files = backups.restore_documents(path, replace=replace)
        self.stdout.write(f"Restored {path}" + (f" and {files} document files." if files else "."))
        if not database_url:
            self._forget_what_was_kept()

    def _forget_what_was_kept(self):
        """The shared cache holds pages, dashboards, indicators and sessions of the data
        before the restore: emptied, so that none of them is shown again (everyone signs
        in again)."""
        try:
            cache.clear()
        except Exception as error:
            self.stderr.write(f"Could not empty the cache ({error!r}): empty it by hand.")
        else:
            self.stdout.write("Emptied the cache: what it kept was of the data before.")
