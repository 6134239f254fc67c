from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CrisisunitConfig(AppConfig):
    default = True  # the module holds another AppConfig (below)
    name = "crisisunit"
    # Staff accounts (superusers only; administrators work at /staff/team/) and the read
    # log; the roles are Django's groups, in the auth app's own section (see ready).
    verbose_name = _("Staff accounts and the read log")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, pre_migrate

        from crisisunit import middleware, migrating, roles

        user_logged_in.connect(middleware.note_sign_in, dispatch_uid="crisisunit-sign-in")

        from django.db.backends.signals import connection_created

        from crisisunit import outage

        connection_created.connect(outage.note_up, dispatch_uid="crisisunit-database-up")
        from crisisunit import dbwatch

        connection_created.connect(dbwatch.install, dispatch_uid="crisisunit-dbwatch")

        post_migrate.connect(roles.ensure_roles, sender=self, dispatch_uid="crisisunit-roles")
        pre_migrate.connect(migrating.keep_data, sender=self, dispatch_uid="crisisunit-keep")

        # select2, behind the admin's search boxes, ships no Kazakh; the project does
        # (static/admin/js/vendor/select2/i18n/kk.js): let the admin load it.
        from django.contrib.admin.widgets import SELECT2_TRANSLATIONS

        SELECT2_TRANSLATIONS.setdefault("kk", "kk")

        # A role is stored under its English code (Social worker), which the code finds
        # it by; wherever Django prints a group (the admin's titles, breadcrumbs,
        # checkboxes, history), staff read it in their language.
        from django.contrib.auth.models import Group

        Group.__str__ = roles.label  # type: ignore[method-assign]

        # The auth app's admin section holds only the roles (groups): named so, not
        # "Authentication and Authorization", beside the staff accounts' section.
        from django.apps import apps

        apps.get_app_config("auth").verbose_name = _("Roles")


class SignInRecordsConfig(AxesConfig):
    """django-axes under a name staff read in their language ("Axes" otherwise)."""

    default = False
    verbose_name = _("Sign-in records")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, and once every app's admin module is loaded, the project's say
    over the admins of other packages (crisisunit.admin.after_autodiscover)."""

    default = False
    default_site = "crisisunit.adminsite.PortalAdminSite"

    def ready(self):
        super().ready()
        from crisisunit.admin import after_autodiscover

        after_autodiscover()
