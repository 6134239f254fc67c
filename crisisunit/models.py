from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Roles are the groups created in migration 0002. `language`
    is the one the workspace and every email to the user speak: taken from the page's
    language at the first sign-in, changed with the switch in the header."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class ReadAccess(models.Model):
    """One opening of a case record's page (a child, a parent, a placement and the rest)
    by a member of staff: who, what, when and from where. Written by
    `crisisunit.audit.record_read`; never changed or deleted (the admin offers
    neither, for anyone, superusers included)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of record")
    )
    object_id = models.CharField(_("record number"), max_length=64)
    path = models.CharField(_("page"), max_length=500)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("read of a case record")
        verbose_name_plural = _("reads of case records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.user} · {self.content_type.name} {self.object_id} · {self.at:%Y-%m-%d %H:%M}"


class Submission(models.Model):
    """A create form's one-time token, claimed by the first request that sends it (see
    crisisunit.submissions): a double click, or a retry after a timeout, sends the same
    token again and lands where the first one did, creating nothing twice."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    landed_on = models.CharField(_("page"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)
