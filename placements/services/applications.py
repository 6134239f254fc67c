"""The services of a parent's return application: registered, sent to the
guardianship and custody authority, withdrawn, approved (closing the stay) or rejected."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from families.models import Parent
from placements import notices
from placements.locks import lock_placement
from placements.models import (
    InspectionAct,
    Notice,
    Placement,
    ReturnApplication,
)
from placements.services.common import refresh
from placements.services.stays import close_locked

APPROVE_PERMISSION = "placements.approve_returnapplication"


@service
def application_register(
    *, placement: Placement, applicant: Parent, filed_on: datetime.date, comment: str = "", by: User
) -> ReturnApplication:
    """Register a parent's application for the child's return, as submitted."""
    require(by, "placements.add_returnapplication")
    with transaction.atomic():
        application = ReturnApplication(
            placement=lock_placement(placement.pk),
            applicant=applicant,
            filed_on=filed_on,
            comment=comment,
            registered_by=by,
        )
        return save(application, by=by)


@service
def application_update(*, application: ReturnApplication, comment: str, by: User) -> None:
    """Change the comment of an open application; whoever saves is its registrar."""
    require(by, "placements.change_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        if not locked.is_open:
            locked.require_transition(locked.status)  # says it is final
        locked.comment = comment
        locked.registered_by = by
        save(locked, by=by)
    refresh(application)


def _lock_application(application: ReturnApplication) -> tuple[Placement, ReturnApplication]:
    placement = lock_placement(application.placement_id)
    locked = ReturnApplication.objects.select_for_update().get(pk=application.pk)
    locked.placement = placement
    return placement, locked


@service
def application_start_review(
    *,
    application: ReturnApplication,
    by: User,
    sent_on: datetime.date | None = None,
    outgoing_number: str = "",
    inspection: InspectionAct | None = None,
) -> None:
    """Mark the application as sent to the guardianship and custody authority, on
    `sent_on` (by default today) under `outgoing_number` with the inspection act
    `inspection` (the workspace asks for both; older records have neither)."""
    require(by, "placements.review_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.UNDER_REVIEW)
        locked.status = ReturnApplication.Status.UNDER_REVIEW
        locked.sent_on = sent_on or timezone.localdate()
        locked.outgoing_number = outgoing_number
        locked.inspection = inspection
        fields = ["status", "sent_on", "outgoing_number", "inspection"]
        save(locked, by=by, update_fields=fields)
    refresh(application)


@service
def application_withdraw(*, application: ReturnApplication, by: User) -> None:
    """The parent withdrew the application before a decision."""
    require(by, "placements.review_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.WITHDRAWN)
        locked.status = ReturnApplication.Status.WITHDRAWN
        locked.decided_by = by
        locked.decided_at = timezone.now()
        save(locked, by=by, update_fields=["status", "decided_by", "decided_at"])
    refresh(application)


@service
def application_approve(
    *,
    application: ReturnApplication,
    decision_number: str,
    decision_date: datetime.date,
    returned_on: datetime.date | None = None,
    by: User,
) -> None:
    """Approve after the authority's decision, and close the placement in the same
    transaction with the outcome "returned to the biological family" on `returned_on`
    (default today). Exactly one of any concurrent decisions wins."""
    require(by, APPROVE_PERMISSION)
    returned_on = returned_on or timezone.localdate()
    with transaction.atomic():
        placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.APPROVED)
        if placement.status != Placement.Status.ACTIVE:
            raise ValidationError(_("This placement is already closed."), code="closed")
        _decide(locked, ReturnApplication.Status.APPROVED, decision_number, decision_date, by)
        save(locked, by=by)
        if locked.decision_date and returned_on < locked.decision_date:
            raise ValidationError(
                {"returned_on": _("The child cannot go home before the authority's decision.")}
            )
        close_locked(placement, outcome=Placement.Outcome.RETURNED, on=returned_on, by=by)
        notices.notify(
            user=placement.social_worker,
            placements=[placement],
            kind=Notice.Kind.APPROVED,
            by=by,
        )
    refresh(application, application.placement)


@service
def application_reject(
    *,
    application: ReturnApplication,
    decision_number: str,
    decision_date: datetime.date,
    reason: str,
    by: User,
) -> None:
    """Reject after the authority's decision; the child stays in care."""
    require(by, APPROVE_PERMISSION)
    with transaction.atomic():
        placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.REJECTED)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        _decide(locked, ReturnApplication.Status.REJECTED, decision_number, decision_date, by)
        locked.comment = "\n".join(c for c in (locked.comment, reason) if c)
        save(locked, by=by)
        notices.notify(
            user=placement.social_worker,
            placements=[placement],
            kind=Notice.Kind.REJECTED,
            by=by,
        )
    refresh(application)


def _decide(
    application: ReturnApplication,
    status: str,
    decision_number: str,
    decision_date: datetime.date,
    by: User,
) -> None:
    application.status = status
    application.decision_number = (decision_number or "").strip()
    application.decision_date = decision_date
    application.decided_by = by
    application.decided_at = timezone.now()
