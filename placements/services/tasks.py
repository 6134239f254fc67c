"""The services of tasks: set one by hand, mark one done, and hand open tasks on with
a case (placement_reassign) or from a member of staff who leaves (the team's page)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from placements.locks import lock_case, lock_placement
from placements.models import Placement, Task
from placements.services.common import refresh

ADD_PERMISSION = "placements.add_task"
# Marks anyone's task done, and gives tasks to someone else: administrators.
MANAGE_PERMISSION = "placements.change_placement"


@service
def task_add(
    *,
    title: str,
    due_on: datetime.date,
    assigned_to: User,
    placement: Placement | None = None,
    by: User,
) -> Task:
    """A task set by hand, for a case or for none, given to `by` or to a colleague who
    may see the cases (Task.clean), due today or later."""
    require(by, ADD_PERMISSION)
    with transaction.atomic():
        if placement is not None:
            lock_placement(placement.pk)
        task = Task(
            kind=Task.Kind.MANUAL,
            title=title,
            due_on=due_on,
            assigned_to=assigned_to,
            placement=placement,
            created_by=by,
        )
        save(task, by=by)
    return task


@service
def task_done(*, task: Task, by: User, note: str = "") -> None:
    """Mark a task done, with an optional note: by the one it is assigned to, or an
    administrator."""
    if by != task.assigned_to:
        require(by, MANAGE_PERMISSION)
    with transaction.atomic():
        if task.placement_id is not None:
            lock_placement(task.placement_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This task is already done."), code="done")
        locked.done_at, locked.done_by, locked.done_note = timezone.now(), by, note
        save(locked, by=by)
    refresh(task)


def tasks_follow_case(*, moves: Iterable[tuple[Placement, int]], by: User) -> int:
    """Inside a reassignment, the placements locked by the caller: for each (placement
    with its new worker, the former worker's pk), the case's open tasks that were the
    former worker's go with it. Returns how many moved."""
    moved = 0
    for placement, former in moves:
        tasks = Task.objects.open().filter(placement=placement, assigned_to_id=former)
        for task in tasks.select_for_update().order_by("pk"):
            task.assigned_to = placement.social_worker
            save(task, by=by)
            moved += 1
    return moved


@service
def tasks_hand_over(*, member: User, to: User, by: User) -> int:
    """Every open task still assigned to `member` (those set by hand for no case, or
    of a closed stay) goes to `to`, who must be able to see the cases."""
    require(by, MANAGE_PERMISSION)
    Task.check_assignee(to)
    with transaction.atomic():
        tasks = Task.objects.open().filter(assigned_to=member)
        lock_case(placements={pk for pk in tasks.values_list("placement_id", flat=True) if pk})
        moved = 0
        for task in tasks.select_for_update().order_by("pk"):
            task.assigned_to = to
            save(task, by=by)
            moved += 1
    return moved
