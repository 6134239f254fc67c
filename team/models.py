"""The team: who works in the unit. Staff accounts are crisisunit.User; what an
administrator did to one (added, deactivated, re-activated, a second factor reset, a
sign-in link sent) is a StaffChange, never changed or deleted."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffChange(models.Model):
    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        LINK = "link", _("sent a link to set a password")
        PASSWORD_SET = "password_set", _("set a password")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("re-activated")
        SECOND_FACTOR_RESET = "second_factor_reset", _("second factor reset")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    kind = models.CharField(_("what was done"), max_length=24, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("took over"),
    )
    note = models.TextField(_("details"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change to a staff account")
        verbose_name_plural = _("changes to staff accounts")
        ordering = ["-at", "-pk"]
        permissions = [("manage_staff", _("Can add, deactivate and re-activate staff"))]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
