"""Scanned papers of a case: the referral, the parent's identity document, the child's
birth certificate, the signed consent, the return application, the authority's
decision, the basis of an extension. Kept in the "documents" storage, never under a
URL; read only through the portal's download view. Removed with a reason, never
deleted: the file and the row stay, and the history says who removed it and why."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text
from crisisunit.lib.uploads import download_name
from families.models import Parent


def _documents_storage():
    return storages["documents"]


class DocumentKind(models.TextChoices):
    REFERRAL = "referral", _("referral")
    IDENTITY = "identity", _("identity document")
    BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
    CONSENT = "consent", _("signed consent")
    RETURN_APPLICATION = "return_application", _("return application")
    AUTHORITY_DECISION = "authority_decision", _("decision of the authority")
    EXTENSION_BASIS = "extension_basis", _("basis for a term extension")
    OTHER = "other", _("other")


class DocumentQuerySet(models.QuerySet):
    def kept(self):
        return self.filter(removed_at__isnull=True)


class Document(models.Model):
    Kind = DocumentKind

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("placement"),
    )
    parent = models.ForeignKey(
        Parent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("parent"),
        help_text=_("The parent the document is about, if any."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    dated_on = models.DateField(_("date of the document"), validators=[validate_plausible_date])
    note = models.CharField(
        _("note"), max_length=300, blank=True, validators=[validate_visible_text]
    )
    file = models.FileField(_("file"), storage=_documents_storage, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200, validators=[validate_visible_text])
    content_type = models.CharField(max_length=30, editable=False)
    size = models.PositiveIntegerField(_("size, bytes"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
        editable=False,
    )
    removal_reason = models.CharField(
        _("reason for the removal"), max_length=300, blank=True, validators=[validate_visible_text]
    )

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated_on", "-pk"]
        permissions = [("remove_document", _("Can remove a case document, with a reason"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
                    | models.Q(
                        removed_at__isnull=False, removed_by__isnull=False, removal_reason__gt=""
                    )
                ),
                name="document_removal_complete",
                violation_error_message=_("A removal needs who removed it, when and why."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.dated_on:%d.%m.%Y}"

    @property
    def download_name(self) -> str:
        """The file's name as the portal gives it: the uploaded name made safe, with
        the extension of the checked type (crisisunit.lib.uploads.download_name)."""
        return download_name(self.file_name, self.content_type, fallback=f"document-{self.pk}")

    def clean(self):
        super().clean()
        if self.placement_id and self.dated_on and self.dated_on > timezone.localdate():
            raise ValidationError({"dated_on": _("The date cannot be in the future.")})
        if self.placement_id and self.parent_id:
            self.placement.check_parent_of_child(self.parent_id, "parent")
