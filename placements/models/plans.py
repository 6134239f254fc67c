"""The individual plan of work with the family: one per stay, its goals (each tied to
what brought the family into crisis), the actions that serve each goal, and the
monthly reviews that rate each goal's progress and decide what comes next. Written by
placements/services/familywork.py."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib.dates import add_months, format_date
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text
from families.models import Recorded


class FamilyPlan(Recorded):
    """The plan of one stay: started on a date, within settings.PLAN_DUE_DAYS of the
    admission (later is allowed, and flagged)."""

    placement = models.OneToOneField(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="plan",
        verbose_name=_("placement"),
    )
    started_on = models.DateField(_("started on"), validators=[validate_plausible_date])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan of work with the family")
        verbose_name_plural = _("plans of work with the family")

    def __str__(self):
        return str(_("Plan of work with the family from %(date)s")) % {
            "date": format_date(self.started_on)
        }

    def clean(self):
        super().clean()
        if self.placement_id and self.started_on:
            self.placement.check_date_within(self.started_on, "started_on")

    def check_review_date(self, held_on: datetime.date) -> None:
        """Refuse (ValidationError on held_on) a review before the plan was started."""
        if held_on < self.started_on:
            raise ValidationError(
                {
                    "held_on": _("The review cannot be before the plan was started (%(date)s).")
                    % {"date": format_date(self.started_on)}
                }
            )

    def review_due_on(self, last_review: datetime.date | None) -> datetime.date:
        """A month after the last review, or after the plan was started."""
        return add_months(last_review or self.started_on, 1)


def plan_due_on(admitted_on: datetime.date) -> datetime.date:
    """The last day a stay admitted on `admitted_on` may start its plan on time."""
    return admitted_on + datetime.timedelta(days=settings.PLAN_DUE_DAYS)


class GoalArea(models.TextChoices):
    HOUSING = "housing", _("housing")
    INCOME = "income", _("income and work")
    DOCUMENTS = "documents", _("documents")
    HEALTH = "health", _("health and treatment")
    RELATIONS = "relations", _("relations and support")
    PARENTING = "parenting", _("parenting skills")
    OTHER = "other", _("other")


class PlanGoal(Recorded):
    """What the family must achieve for the child to go home, in one area."""

    Area = GoalArea

    plan = models.ForeignKey(
        FamilyPlan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("plan")
    )
    area = models.CharField(_("area"), max_length=20, choices=GoalArea.choices)
    description = models.TextField(_("goal"), validators=[validate_visible_text])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__in=GoalArea.values), name="plan_goal_area"
            ),
        ]

    def __str__(self):
        return f"{capfirst(self.get_area_display())}: {self.description}"


class ActionBy(models.TextChoices):
    PARENT = "parent", _("the parent")
    SOCIAL_WORKER = "social_worker", _("a social worker")
    SPECIALIST = "specialist", _("another specialist of the home")
    SERVICE = "service", _("an outside service")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_DONE = "not_done", _("not done")


class PlanAction(Recorded):
    """One step towards a goal: what, who does it, by when, and how it stands."""

    By = ActionBy
    Status = ActionStatus

    goal = models.ForeignKey(
        PlanGoal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal")
    )
    what = models.TextField(_("what is to be done"), validators=[validate_visible_text])
    by_whom = models.CharField(_("who does it"), max_length=20, choices=ActionBy.choices)
    due_on = models.DateField(_("by when"), validators=[validate_plausible_date])
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    not_done_reason = models.TextField(
        _("why it was not done"), blank=True, validators=[validate_visible_text]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="plan_action_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.NOT_DONE, not_done_reason=""),
                name="plan_action_not_done_with_reason",
                violation_error_message=_("Say why the action was not done."),
            ),
        ]

    def __str__(self):
        return self.what

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        if self.goal_id and self.due_on:
            admitted_on = self.goal.plan.placement.admitted_on
            if self.due_on < admitted_on:
                errors["due_on"] = _(
                    "An action cannot be due before the admission on %(date)s."
                ) % {"date": format_date(admitted_on)}
        if self.status == ActionStatus.NOT_DONE and not (self.not_done_reason or "").strip():
            errors["not_done_reason"] = _("Say why the action was not done.")
        if errors:
            raise ValidationError(errors)

    def is_late(self, today: datetime.date) -> bool:
        return self.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS) and (
            self.due_on < today
        )


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("continue the plan")
    CHANGE = "change", _("change the plan")
    PREPARE_RETURN = "prepare_return", _("prepare the return home")
    EXTEND = "extend", _("ask for a longer term")


class Progress(models.IntegerChoices):
    NONE = 1, _("no progress")
    SOME = 2, _("some progress")
    MOSTLY = 3, _("mostly achieved")
    ACHIEVED = 4, _("achieved")


class PlanReview(Recorded):
    """A monthly review of the plan: who took part (the parent or not), how far each
    goal has come, and what was decided."""

    Decision = ReviewDecision

    plan = models.ForeignKey(
        FamilyPlan, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("plan")
    )
    held_on = models.DateField(_("held on"), validators=[validate_plausible_date])
    parent_took_part = models.BooleanField(_("the parent took part"), default=False)
    participants = models.CharField(
        _("who took part"), max_length=300, validators=[validate_visible_text]
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    note = models.TextField(_("note"), blank=True, validators=[validate_visible_text])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review of the plan")
        verbose_name_plural = _("reviews of the plan")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=ReviewDecision.values), name="plan_review_decision"
            ),
        ]

    def __str__(self):
        return str(_("Review of %(date)s")) % {"date": format_date(self.held_on)}

    def clean(self):
        super().clean()
        if self.plan_id and self.held_on:
            self.plan.placement.check_date_within(self.held_on, "held_on")
            self.plan.check_review_date(self.held_on)


class GoalProgress(models.Model):
    """How far one goal had come at one review."""

    Step = Progress

    review = models.ForeignKey(
        PlanReview, on_delete=models.PROTECT, related_name="progress", verbose_name=_("review")
    )
    goal = models.ForeignKey(
        PlanGoal, on_delete=models.PROTECT, related_name="progress", verbose_name=_("goal")
    )
    step = models.PositiveSmallIntegerField(_("progress"), choices=Progress.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress on a goal")
        verbose_name_plural = _("progress on goals")
        ordering = ["goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once"),
            models.CheckConstraint(
                condition=models.Q(step__in=Progress.values), name="goal_progress_step"
            ),
        ]

    def __str__(self):
        return self.get_step_display()

    def clean(self):
        super().clean()
        if self.review_id and self.goal_id and self.goal.plan_id != self.review.plan_id:
            raise ValidationError({"goal": _("Choose a goal of this plan.")})


# The approval warns when the latest inspection act is older than this many days.
EVIDENCE_ACT_DAYS = 30


def return_evidence(placement, today: datetime.date) -> dict[str, Any]:
    """What a return decision rests on: the plan, its goals with their progress at the
    last review, the last inspection act, the referrals with their outcomes, and the
    warnings an approval shows without blocking (no act within EVIDENCE_ACT_DAYS days,
    a high risk level). Pages and printouts show of it what the reader may see
    (crisisunit.need_to_know)."""
    plan = FamilyPlan.objects.filter(placement=placement).first()
    goals = list(plan.goals.all()) if plan else []
    last_review = plan.reviews.first() if plan else None
    latest = {p.goal_id: p for p in last_review.progress.all()} if last_review else {}
    for goal in goals:
        goal.latest = latest.get(goal.pk)  # type: ignore[attr-defined]
    last_act = placement.inspections.first()
    warnings: list[Any] = []
    if last_act is None or last_act.inspected_on < today - datetime.timedelta(
        days=EVIDENCE_ACT_DAYS
    ):
        warnings.append(
            _("No inspection act of the family's living conditions from the last %(days)s days.")
            % {"days": EVIDENCE_ACT_DAYS}
        )
    if last_act is not None and last_act.risk_level == "high":
        warnings.append(_("The last inspection found a high risk level."))
    return {
        "plan": plan,
        "goals": goals,
        "last_review": last_review,
        "last_act": last_act,
        "referrals": list(placement.referrals.all()),
        "warnings": warnings,
    }
