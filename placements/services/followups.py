"""The services of the follow-ups after a return home: recorded, or marked missed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from placements import notices
from placements.locks import lock_placement
from placements.models import (
    FollowUp,
    Task,
)
from placements.services.common import refresh


@service
def followup_record(
    *,
    follow_up: FollowUp,
    done_on: datetime.date | None,
    method: str,
    situation: str,
    notes: str = "",
    by: User,
) -> None:
    """Record the contact with the family: when, how, and how the family is doing."""
    require(by, "placements.record_followup")
    if done_on is None:
        raise ValidationError({"done_on": _("Enter the date of the contact.")})
    with transaction.atomic():
        locked = _lock_follow_up(follow_up)
        locked.done_on, locked.method, locked.situation = done_on, method, situation
        locked.notes = notes
        stamp_follow_up(locked, by)
        if situation == FollowUp.Situation.CONCERNS:
            notices.raise_task(
                placement=locked.placement, kind=Task.Kind.CONCERNS, follow_up=locked, by=by
            )
    refresh(follow_up)


@service
def followup_mark_missed(*, follow_up: FollowUp, reason: str, by: User) -> None:
    """The contact did not happen; say why."""
    require(by, "placements.record_followup")
    with transaction.atomic():
        locked = _lock_follow_up(follow_up)
        locked.missed_reason = (reason or "").strip()
        if not locked.missed_reason:
            raise ValidationError({"missed_reason": _("Say why the follow-up was missed.")})
        stamp_follow_up(locked, by)
    refresh(follow_up)


def _lock_follow_up(follow_up: FollowUp) -> FollowUp:
    placement = lock_placement(follow_up.placement_id)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    locked.placement = placement
    if not locked.is_pending:
        raise ValidationError(_("This follow-up is already recorded."), code="recorded")
    return locked


def stamp_follow_up(follow_up: FollowUp, by: User) -> None:
    follow_up.recorded_by = by
    follow_up.recorded_at = timezone.now()
    save(follow_up, by=by)
