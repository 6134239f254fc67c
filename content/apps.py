from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Public site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from content import first_run

        post_migrate.connect(
            first_run.home_from_settings, sender=self, dispatch_uid="content-home-from-settings"
        )
