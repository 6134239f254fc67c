from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from crisisunit.lib.dates import format_date
from placements.models import Document, Placement


class Command(BaseCommand):
    help = (
        "List the closed placements kept longer than the retention policy "
        "(RETENTION_YEARS after closing), for an administrator to decide on. "
        "Nothing is changed or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", type=int, help="Use this many years instead of RETENTION_YEARS"
        )

    def handle(self, *args, years=None, **options):
        years = settings.RETENTION_YEARS if years is None else years
        today = timezone.localdate()
        due = (
            Placement.objects.past_retention(today, years)
            .annotate(document_count=Count("documents"))
            .order_by("closed_on", "pk")
            .only("pk", "closed_on", "outcome")
        )
        count = due.count()
        documents = Document.objects.filter(placement__in=due.values("pk")).count()
        self.stdout.write(
            f"Retention policy: {years} years after a placement closes. "
            f"{count} closed placement(s) are past it (as of {format_date(today)}), "
            f"with {documents} document(s)."
        )
        for placement in due.iterator():
            link = settings.SITE_URL + reverse(
                "admin:placements_placement_change", args=[placement.pk]
            )
            self.stdout.write(
                f"No. {placement.pk}\tclosed {format_date(placement.closed_on)}\t"
                f"{placement.outcome}\t{placement.document_count} document(s)\t{link}"
            )
        if count:
            self.stdout.write(
                "Review each; nothing has been deleted. Records needed for a court, an "
                "inspection or a new placement of the same child stay."
            )
