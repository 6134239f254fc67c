"""The one write path for a placement and everything recorded in it, one module per
subdomain: stays, records (visits, consultations, contacts, visitors, agreed visits),
applications, followups, tasks, familywork (the plan, inspection acts, referrals),
documents, imports; common holds what they share.

Every service is a keyword-only function `<entity>_<action>(*, …, by)` that opens a
transaction, takes its locks through placements.locks in the one global order
(placements, the child's earlier stays among them, by id; then the people; then the
record itself), checks `by`'s permission once, calls `full_clean()` and saves, leaving
change history that names `by`. Views, admin actions and saves, and management
commands call only these (tests/conftest.py refuses any other write of a case
record). The rules are the models' (Placement.clean, check_stay_window,
check_closing, the re-entry rule): a service calls them, never copies them.

The services of stays, records, applications, follow-ups and tasks are importable from
here (`services.visit_record`); documents and imports from their modules."""

from placements.services.applications import (
    APPROVE_PERMISSION,
    application_approve,
    application_register,
    application_reject,
    application_start_review,
    application_update,
    application_withdraw,
)
from placements.services.familywork import (
    action_add,
    action_update,
    family_work_tasks_raise,
    goal_add,
    inspection_record,
    plan_start,
    referral_answer,
    referral_send,
    review_hold,
)
from placements.services.followups import followup_mark_missed, followup_record
from placements.services.records import (
    CONTACT_CORRECTABLE,
    RECORD_CORRECTABLE,
    agreed_visits_set,
    consultation_record,
    consultation_update,
    contact_record,
    contact_update,
    may_correct,
    visit_record,
    visit_update,
    visitor_add,
)
from placements.services.stays import (
    PLACEMENT_CORRECTABLE,
    IntakeError,
    IntakeParent,
    caseload_load,
    end_follow_ups_of_earlier_stays,
    placement_admit,
    placement_close,
    placement_extend,
    placement_open,
    placement_reassign,
    placement_update,
)
from placements.services.tasks import (
    task_add,
    task_done,
    tasks_hand_over,
)

__all__ = [
    "task_add", "tasks_hand_over",
    "action_add", "action_update", "family_work_tasks_raise", "goal_add", "inspection_record",
    "plan_start", "referral_answer", "referral_send", "review_hold",
    "APPROVE_PERMISSION", "CONTACT_CORRECTABLE", "PLACEMENT_CORRECTABLE", "RECORD_CORRECTABLE",
    "IntakeError", "IntakeParent", "agreed_visits_set", "application_approve",
    "application_register", "application_reject", "application_start_review",
    "application_update", "application_withdraw", "caseload_load", "consultation_record",
    "consultation_update", "contact_record", "contact_update", "end_follow_ups_of_earlier_stays",
    "followup_mark_missed", "followup_record", "may_correct", "placement_admit",
    "placement_close", "placement_extend", "placement_open", "placement_reassign",
    "placement_update", "task_done", "visit_record", "visit_update", "visitor_add",
]  # fmt: skip
