from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrisisunitConfig(AppConfig):
    default = True  # the module holds another AppConfig (below)
    name = "crisisunit"
    verbose_name = _("Users and roles")


class SignInRecordsConfig(AxesConfig):
    """django-axes under a name staff read in their language ("Axes" otherwise)."""

    default = False
    verbose_name = _("Sign-in records")
