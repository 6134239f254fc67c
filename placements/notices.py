"""Tasks and notices raised by the services (placements/services/) as a side of the
write they belong to: a consultation that needs further work and a follow-up with
concerns give the assigned social worker a task; a case assigned to someone and a
decided application give them a notice on their dashboard and an email in their own
language. Called inside the service's transaction; the email leaves after commit."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from placements.models import Notice, Task

logger = logging.getLogger(__name__)

SUBJECTS = {
    Notice.Kind.ASSIGNED: lambda: _("Cases assigned to you"),
    Notice.Kind.APPROVED: lambda: _("A return application was approved"),
    Notice.Kind.REJECTED: lambda: _("A return application was rejected"),
}


def raise_task(*, placement, kind, by, **source):
    """A task for the placement's social worker, due in settings.TASK_DUE_DAYS days;
    `source` names what raised it (consultation, follow_up, plan or referral)."""
    task = Task(
        placement=placement,
        kind=kind,
        assigned_to=placement.social_worker,
        due_on=timezone.localdate() + datetime.timedelta(days=settings.TASK_DUE_DAYS),
        **source,
    )
    task._history_user = by  # type: ignore[attr-defined]  # read by django-simple-history
    task.full_clean()
    task.save()
    return task


def notify(*, user, placements, kind, by):
    """Notices for `user` about `placements`, and one email listing them; nothing for
    what the user did themselves, nor for an inactive account."""
    if user == by or not user.is_active or not placements:
        return
    Notice.objects.bulk_create(Notice(user=user, placement=p, kind=kind) for p in placements)
    if user.email:
        pks = [p.pk for p in placements]
        transaction.on_commit(lambda: _email(user, kind, pks))


def _email(user, kind, pks):
    from placements.models import Placement

    placements = list(Placement.objects.filter(pk__in=pks).select_related("child"))
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = SUBJECTS[kind]()
        body = render_to_string(
            "placements/email/notice.txt",
            {"user": user, "kind": kind, "placements": placements, "base_url": settings.SITE_URL},
        )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the notice is on the dashboard even when the mail server is away
        logger.exception("Notice email to %s not sent.", user.email)


def notices_read(*, user):
    """Mark every notice of `user` as read."""
    Notice.objects.filter(user=user).unread().update(read_at=timezone.now())
