from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisunitConfig(AppConfig):
    name = "crisisunit"
    verbose_name = _("Users and roles")
