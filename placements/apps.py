from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from crisisunit.lib.writes import case_written
        from placements import kept

        case_written.connect(kept.bump_case_version, dispatch_uid="dashboard-version")
        # The lists show staff members' names.
        post_save.connect(
            kept.bump_case_version, sender=get_user_model(), dispatch_uid="dashboard-staff"
        )
