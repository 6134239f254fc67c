from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from content.models import PUBLIC_CONTENT
        from crisisunit.lib.writes import case_written
        from placements.models import Placement
        from stats import figures
        from stats.models import YearlyFigure

        for model in (Placement, YearlyFigure, *PUBLIC_CONTENT):
            for signal in (post_save, post_delete):
                signal.connect(
                    figures.bump_after_commit, sender=model, dispatch_uid=f"bump-{model}"
                )
        case_written.connect(figures.bump_on_case_write, dispatch_uid="bump-case-written")
