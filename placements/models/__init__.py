"""A child's temporary stay in the home, and what happens during it.

State changes are model methods that lock the rows they read (`select_for_update`),
always the placement first, then the application, so that two administrators acting
at once never both succeed and never deadlock.
"""

from placements.models.applications import (
    APPROVE_PERMISSION,
    ReturnApplication,
    ReturnApplicationQuerySet,
)
from placements.models.followups import FollowUp, FollowUpQuerySet
from placements.models.placement import (
    Placement,
    PlacementQuerySet,
    TermExtension,
    default_planned_end,
)
from placements.models.reminders import ReminderLog
from placements.models.visits import Consultation, Visit

__all__ = [
    "APPROVE_PERMISSION",
    "Consultation",
    "FollowUp",
    "FollowUpQuerySet",
    "Placement",
    "PlacementQuerySet",
    "ReminderLog",
    "ReturnApplication",
    "ReturnApplicationQuerySet",
    "TermExtension",
    "Visit",
    "default_planned_end",
]
