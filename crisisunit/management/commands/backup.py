from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from crisisunit import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file (pg_dump for PostgreSQL, SQLite's online "
        "backup for SQLite). The file holds personal data: keep it encrypted, in Kazakhstan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: backups/<date>.<kind>)")

    def handle(self, *args, output=None, **options):
        if not output:
            kind = backups.engine_of(connection.settings_dict)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            suffix = "dump" if kind == "postgresql" else "sqlite3"
            output = settings.BASE_DIR / "backups" / f"crisisunit-{stamp}.{suffix}"
        path = backups.backup(output)
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
        archive = backups.documents_archive(path)
        if archive.is_file():
            self.stdout.write(f"{archive} ({archive.stat().st_size:,} bytes): the documents")
        elif settings.DOCUMENTS_BUCKET:
            self.stdout.write("Documents are in the S3 bucket: keep it versioned and replicated.")
