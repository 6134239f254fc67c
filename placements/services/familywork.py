"""The services of the work with the family: the plan (started, its goals and actions,
its monthly reviews), the inspection acts of the family's living conditions, and the
referrals of a parent to outside services, and the tasks raised when a review is
overdue or a referral unanswered. Each locks the placement first (the one
lock order, placements/locks.py), then the record it changes."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.translation import gettext as _

from crisisunit.lib.dates import start_of_day
from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from placements import notices
from placements.locks import lock_placement
from placements.models import (
    FamilyPlan,
    GoalProgress,
    InspectionAct,
    Placement,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    ReturnApplication,
    Task,
)
from placements.services.common import only, refresh

PLAN = "placements.add_familyplan"
ACTION_CHANGES = {"what", "by_whom", "due_on", "status", "not_done_reason"}
REFERRAL_ANSWER = {"status", "answered_on", "outcome"}


@service
def plan_start(*, placement: Placement, started_on: datetime.date, by: User) -> FamilyPlan:
    """Start the stay's plan of work with the family (one per stay)."""
    require(by, PLAN)
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        if FamilyPlan.objects.filter(placement=locked).exists():
            raise ValidationError(_("This stay already has a plan."), code="plan_exists")
        return save(FamilyPlan(placement=locked, started_on=started_on, recorded_by=by), by=by)


@service
def goal_add(*, placement: Placement, area: str, description: str, by: User) -> PlanGoal:
    """Add a goal to the stay's plan."""
    require(by, PLAN)
    with transaction.atomic():
        plan = _locked_plan(placement.pk)
        goal = PlanGoal(plan=plan, area=area, description=description, recorded_by=by)
        return save(goal, by=by)


@service
def action_add(
    *,
    placement: Placement,
    goal: PlanGoal,
    what: str,
    by_whom: str,
    due_on: datetime.date,
    by: User,
) -> PlanAction:
    """Add an action to one of the plan's goals: what, who does it, by when (planned)."""
    require(by, PLAN)
    with transaction.atomic():
        plan = _locked_plan(placement.pk)
        if goal.plan_id != plan.pk:
            raise ValidationError({"goal": _("Choose a goal of this plan.")})
        goal.plan = plan
        action = PlanAction(goal=goal, what=what, by_whom=by_whom, due_on=due_on, recorded_by=by)
        return save(action, by=by)


@service
def action_update(*, action: PlanAction, by: User, **changes: Any) -> PlanAction:
    """Change an action: its status (not done needs a reason), what, who or by when."""
    require(by, PLAN)
    only(changes, ACTION_CHANGES)
    with transaction.atomic():
        _locked_plan(action.goal.plan.placement_id)
        locked = (
            PlanAction.objects.select_for_update().select_related("goal__plan").get(pk=action.pk)
        )
        for field, value in changes.items():
            setattr(locked, field, value)
        if locked.status != PlanAction.Status.NOT_DONE:
            locked.not_done_reason = ""
        locked.recorded_by = by
        save(locked, by=by)
    refresh(action)
    return action


@service
def review_hold(
    *, placement: Placement, progress: Mapping[int, int], by: User, **fields: Any
) -> PlanReview:
    """Record a review of the plan (held_on, parent_took_part, participants, decision,
    note) with the progress of every goal (`progress`: goal pk -> step)."""
    require(by, PLAN)
    with transaction.atomic():
        locked = _locked_plan(placement.pk)
        goals = set(locked.goals.values_list("pk", flat=True))
        if not goals:
            raise ValidationError(_("Add the plan's goals before reviewing it."), code="no_goals")
        if set(progress) != goals:
            raise ValidationError(_("Rate the progress of every goal."), code="progress")
        review = save(PlanReview(plan=locked, **fields, recorded_by=by), by=by)
        for goal, step in sorted(progress.items()):
            save(GoalProgress(review=review, goal_id=goal, step=step), by=by)
        return review


@service
def inspection_record(*, placement: Placement, by: User, **fields: Any) -> InspectionAct:
    """Record the act of an inspection of the family's living conditions."""
    require(by, "placements.add_inspectionact")
    with transaction.atomic():
        act = InspectionAct(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        return save(act, by=by)


@service
def referral_send(*, placement: Placement, by: User, **fields: Any) -> Referral:
    """Record a parent's referral to an outside service (parent, service,
    organisation, sent_on, request, action)."""
    require(by, "placements.add_referral")
    with transaction.atomic():
        referral = Referral(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        return save(referral, by=by)


@service
def referral_answer(*, referral: Referral, by: User, **answer: Any) -> Referral:
    """Record what the service answered (status, answered_on, outcome)."""
    require(by, "placements.change_referral")
    only(answer, REFERRAL_ANSWER)
    with transaction.atomic():
        lock_placement(referral.placement_id)
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        for field, value in answer.items():
            setattr(locked, field, value)
        locked.recorded_by = by
        save(locked, by=by)
    refresh(referral)
    return referral


@service
def family_work_tasks_raise(*, today: datetime.date) -> int:
    """A task for the assigned social worker for each active stay's plan whose monthly
    review is overdue by more than settings.REVIEW_GRACE_DAYS (one a missed review),
    for each referral with no answer after settings.REFERRAL_ANSWER_DAYS, and for each
    return application the authority has not decided by its deadline (one each). Run
    each morning with the reminders; returns how many were raised."""
    raised = 0
    grace = datetime.timedelta(days=settings.REVIEW_GRACE_DAYS)
    plans = FamilyPlan.objects.filter(placement__status=Placement.Status.ACTIVE).annotate(
        last_review=Max("reviews__held_on")
    )
    for plan in plans:
        due = plan.review_due_on(plan.last_review)
        if today > due + grace:
            raised += _raise_once(
                plan.placement_id,
                Task.Kind.REVIEW,
                Task.objects.filter(plan=plan, created_at__gte=start_of_day(due)),
                plan=plan,
            )
    waiting = Referral.objects.filter(
        status=Referral.Status.SENT,
        placement__status=Placement.Status.ACTIVE,
        sent_on__lt=today - datetime.timedelta(days=settings.REFERRAL_ANSWER_DAYS),
    ).exclude(Exists(Task.objects.filter(referral=OuterRef("pk"))))
    for referral in waiting:
        raised += _raise_once(
            referral.placement_id,
            Task.Kind.REFERRAL,
            Task.objects.filter(referral=referral),
            referral=referral,
        )
    late = ReturnApplication.objects.past_deadline(today).exclude(
        Exists(Task.objects.filter(application=OuterRef("pk")))
    )
    for application in late:
        raised += _raise_once(
            application.placement_id,
            Task.Kind.AUTHORITY,
            Task.objects.filter(application=application),
            application=application,
        )
    return raised


def _raise_once(placement_pk: int, kind: str, earlier: QuerySet[Task], **source: Any) -> int:
    """Raise the task unless `earlier` (read under the placement's lock) has one."""
    with transaction.atomic():
        placement = lock_placement(placement_pk)
        if earlier.exists():
            return 0
        notices.raise_task(placement=placement, kind=kind, by=None, **source)
        return 1


def _locked_plan(placement_pk: int) -> FamilyPlan:
    """The placement locked (the one order), then its plan read under the lock."""
    placement = lock_placement(placement_pk)
    try:
        plan = FamilyPlan.objects.get(placement=placement)
    except FamilyPlan.DoesNotExist:
        raise ValidationError(_("Start the plan first."), code="no_plan") from None
    plan.placement = placement
    return plan
