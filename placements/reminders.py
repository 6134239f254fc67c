"""The reminder emails: each social worker's overdue placements and follow-ups, and the
administrators' escalations. Writes only the log of what was sent, never a case record."""

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from crisisunit import roles
from placements.models import FollowUp, Placement, ReminderLog

logger = logging.getLogger(__name__)


def reminders_send(*, today: datetime.date, base_url: str = "") -> int:
    """Email each assigned social worker their overdue placements and the overdue
    follow-ups of the children they returned home, and the administrators the
    placements overdue by more than settings.ESCALATION_DAYS days. At most one email per person
    per day: a second run the same day sends nothing to whoever already has one."""
    overdue = list(
        Placement.objects.overdue_for_visit(today)
        .select_related("child", "social_worker")
        .order_by("visit_reference", "pk")
    )
    for placement in overdue:
        placement.days_since_visit = (today - placement.visit_reference).days
    follow_ups = list(
        FollowUp.objects.overdue(today).select_related(
            "placement__child", "placement__social_worker"
        )
    )
    lists: dict[Any, Any] = {}

    def reminder(user):
        return lists.setdefault(user, {"placements": [], "follow_ups": []})

    for placement in overdue:
        if placement.social_worker.is_active and placement.social_worker.email:
            reminder(placement.social_worker)["placements"].append(placement)
    for follow_up in follow_ups:
        worker = follow_up.placement.social_worker
        if worker.is_active and worker.email:
            follow_up.days_late = (today - follow_up.due_on).days
            reminder(worker)["follow_ups"].append(follow_up)
    escalated = [p for p in overdue if p.days_since_visit > settings.ESCALATION_DAYS]
    if escalated:
        administrators = roles.members(roles.ADMINISTRATOR).filter(is_active=True).exclude(email="")
        for administrator in administrators:
            own = reminder(administrator)["placements"]
            own += [p for p in escalated if p not in own]
    sent = 0
    for user, items in lists.items():
        try:
            sent += _send_once(user, items, today, base_url)
        except Exception:  # the mail server refused: the others still get theirs
            logger.exception("Reminder to %s not sent; the next run tries again.", user.email)
    return sent


def _send_once(user, items, today, base_url) -> bool:
    placements, follow_ups = items["placements"], items["follow_ups"]
    with transaction.atomic():
        log, created = ReminderLog.objects.get_or_create(
            recipient=user, sent_on=today, defaults={"placements_count": len(placements)}
        )
        if not created:
            return False
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "placements": placements,
                # True of every child listed: a worker's list starts at the weekly duty,
                # an administrator's at the escalation (14 days).
                "fewest_days": min((p.days_since_visit for p in placements), default=0),
                "follow_ups": follow_ups,
                "base_url": base_url,
            }
            if placements:
                subject = _("Overdue visits: %(count)s") % {"count": len(placements)}
            else:
                subject = _("Overdue follow-ups: %(count)s") % {"count": len(follow_ups)}
            body = render_to_string("placements/email/overdue_visits.txt", context)
        # Sent inside the transaction: if the mail server refuses, the log row goes
        # too, and the next run tries again.
        send_mail(subject, body, None, [user.email])
    return True
