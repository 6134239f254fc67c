import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


class User(AbstractUser):
    """A member of staff. Roles are the groups created in migration 0002. `language`
    is the one the workspace and every email to the user speak: taken from the page's
    language at the first sign-in, changed with the switch in the header."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # Moved to end every session of the user at once (crisisunit.sessions.end_sessions):
    # it is part of the hash each session carries, checked on every request.
    session_generation = models.PositiveIntegerField(_("sessions ended"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (the password's HMAC, checked on every request) with
        the session generation in it: a new password or a moved generation ends every
        session signed in before."""
        return salted_hmac(
            "crisisunit.User.session_auth_hash",
            f"{self.password}|{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


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
    # A list, a search or an autocomplete ("list" as the record number): what was asked
    # and how many records it showed.
    query = models.CharField(_("search"), max_length=500, blank=True)
    results = models.PositiveIntegerField(_("records shown"), null=True, blank=True)
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


class BackupCodes(ThrottlingMixin, Device):
    """A member of staff's single-use backup codes, for a lost or forgotten phone: a
    device of django-otp's, whose codes are kept as SHA-256 digests (each is random
    and long, so a digest cannot be turned back), shown once when made."""

    CODES = 10

    class Meta(Device.Meta):
        verbose_name = _("backup codes")
        verbose_name_plural = _("backup codes")

    def get_throttle_factor(self):
        return settings.OTP_TOTP_THROTTLE_FACTOR

    def replace_codes(self, count: int = CODES) -> list[str]:
        """New codes instead of any left: returned once, stored as digests."""
        self.codes.all().delete()
        codes = [secrets.token_hex(5) for _ in range(count)]
        BackupCode.objects.bulk_create(BackupCode(device=self, digest=_digest(c)) for c in codes)
        return codes

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        used, _ = self.codes.filter(digest=_digest(token)).delete()
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


def _digest(code: str) -> str:
    return hashlib.sha256("".join(str(code).split()).lower().encode()).hexdigest()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self):
        return "••••••••••"  # a code is never shown again


class SecondFactorReset(models.Model):
    """An administrator took away a member of staff's second factor (a lost phone), with
    the reason; the member enrols again at the next sign-in. Never changed or deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("second factor reset")
        verbose_name_plural = _("second factor resets")
        ordering = ["-at"]
        permissions = [("reset_second_factor", _("Can reset a member of staff's second factor"))]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"
