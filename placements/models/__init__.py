"""A child's temporary stay in the home, and what happens during it.

Models hold fields, constraints, clean() and derived values; every write goes through
placements/services/, which lock in one order (placements/locks.py: placements, the
earlier stays among them, then people, then the record), so that two people acting
at once never both succeed and never deadlock.
"""

from placements.models.applications import APPROVE_PERMISSION, ReturnApplication
from placements.models.choices import ApplicationStatus, PlacementOutcome, PlacementStatus
from placements.models.contacts import AgreedVisit, Contact, Visitor
from placements.models.documents import Document
from placements.models.followups import FollowUp
from placements.models.imports import CaseloadImport
from placements.models.inspections import (
    InspectionAct,
    Referral,
    RiskLevel,
    first_inspection_due,
)
from placements.models.placement import Placement, TermExtension, default_planned_end
from placements.models.plans import (
    FamilyPlan,
    GoalProgress,
    PlanAction,
    PlanGoal,
    PlanReview,
    plan_due_on,
    return_evidence,
)
from placements.models.reminders import ReminderLog
from placements.models.tasks import Notice, Task
from placements.models.visits import Consultation, Visit, VisitWeek

__all__ = [
    "AgreedVisit",
    "CaseloadImport",
    "Contact",
    "Document",
    "FamilyPlan",
    "GoalProgress",
    "InspectionAct",
    "PlanAction",
    "PlanGoal",
    "PlanReview",
    "Referral",
    "RiskLevel",
    "plan_due_on",
    "first_inspection_due",
    "return_evidence",
    "Visitor",
    "APPROVE_PERMISSION",
    "ApplicationStatus",
    "Consultation",
    "FollowUp",
    "Notice",
    "Placement",
    "PlacementOutcome",
    "PlacementStatus",
    "ReminderLog",
    "ReturnApplication",
    "Task",
    "TermExtension",
    "Visit",
    "VisitWeek",
    "default_planned_end",
]
