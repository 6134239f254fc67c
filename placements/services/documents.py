"""The one write path of case documents: a scan added to a placement (the placement
locked, the file checked by its content, then stored under a name of the portal's
choosing), or removed with a reason (the row and the file stay)."""

import datetime
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.uploads import plain_name, sniff
from crisisunit.lib.writes import checked_save, require, service
from crisisunit.models import User
from families.models import Parent
from placements.locks import lock_placement
from placements.models import Document, Placement

logger = logging.getLogger(__name__)


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of an uploaded scan, or ValidationError saying why it
    cannot be kept. Nothing is stored here."""
    if not plain_name(upload.name or ""):
        raise ValidationError(
            _(
                "The file's name holds folders or control characters: rename it and "
                "upload it again."
            ),
            code="name",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(max)s MB.")
            % {"max": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)},
            code="size",
        )
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are kept; this file is none of them."), code="type"
        )
    return kind


@service
def document_add(
    *,
    placement: Placement,
    kind: str,
    dated_on: datetime.date,
    upload: UploadedFile,
    parent: Parent | None = None,
    note: str = "",
    by: User,
) -> Document:
    """Keep a scan of a paper of the case."""
    require(by, "placements.add_document")
    content_type, extension = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        document = Document(
            placement=locked, parent=parent, kind=kind, dated_on=dated_on, note=note,
            file_name=(upload.name or "")[:200], content_type=content_type, size=upload.size or 0,
            sha256=digest.hexdigest(), uploaded_by=by,
        )  # fmt: skip
        document.full_clean(exclude=["file"])  # every rule before anything is stored
        stored = f"{locked.pk}/{uuid.uuid4().hex}.{extension}"
        try:
            document.file.save(stored, upload, save=False)
        except OSError as error:  # a full or read-only disk, a store that refuses
            logger.error("A document could not be stored: %r", error)
            raise ValidationError(
                _(
                    "The file could not be stored just now, and nothing was saved. Try "
                    "again later; if it happens again, tell the administrator."
                ),
                code="not_stored",
            ) from error
        try:
            checked_save(document, by=by)
        except BaseException:
            document.file.storage.delete(document.file.name)  # nothing kept of a refusal
            raise
    return document


@service
def document_remove(*, document: Document, reason: str, by: User) -> Document:
    """Take a document off the case's list, saying why; the file and the row stay."""
    require(by, "placements.remove_document")
    if not reason.strip():
        raise ValidationError({"removal_reason": _("Say why the document is removed.")})
    with transaction.atomic():
        lock_placement(document.placement_id)
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.removed_at is not None:
            raise ValidationError(_("This document was removed already."), code="removed")
        locked.removed_at, locked.removed_by = timezone.now(), by
        locked.removal_reason = reason.strip()
        checked_save(locked, by=by)
    document.refresh_from_db()
    return locked
