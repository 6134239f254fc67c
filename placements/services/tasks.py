"""The service that marks a task done."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from placements.locks import lock_placement
from placements.models import (
    Task,
)
from placements.services.common import refresh


@service
def task_done(*, task: Task, by: User) -> None:
    """Mark a task done: by the social worker it is assigned to, or an administrator."""
    if by != task.assigned_to:
        require(by, "placements.change_placement")
    with transaction.atomic():
        lock_placement(task.placement_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This task is already done."), code="done")
        locked.done_at, locked.done_by = timezone.now(), by
        save(locked, by=by)
    refresh(task)
