"""The services of what is recorded during a stay: visits and consultations (and
their corrections), visitors, the contact log, agreed visit days."""

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import require, service
from crisisunit.models import User
from families.models import Parent
from placements import notices
from placements.locks import lock_placement
from placements.models import (
    AgreedVisit,
    Consultation,
    Contact,
    Placement,
    Task,
    Visit,
    Visitor,
)
from placements.services.common import only, refresh
from placements.visit_summary import keep_visit_summary

RECORD_CORRECTABLE = {
    "parent", "visited_at", "duration_minutes", "notes", "specialist", "specialist_name",
    "held_on", "summary", "follow_up_needed",
}  # fmt: skip


R = TypeVar("R", Visit, Consultation, Contact)


@service
def visit_record(*, placement: Placement, by: User, **fields: Any) -> Visit:
    """Log a parent's visit (parent, visited_at, duration_minutes, notes)."""
    require(by, "placements.add_visit")
    with transaction.atomic():
        visit = Visit(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        save(visit, by=by)
        keep_visit_summary([placement.pk])
        return visit


@service
def consultation_record(*, placement: Placement, by: User, **fields: Any) -> Consultation:
    """Log a consultation a parent received (parent, specialist, specialist_name,
    held_on, summary, follow_up_needed)."""
    require(by, "placements.add_consultation")
    with transaction.atomic():
        consultation = Consultation(
            placement=lock_placement(placement.pk), **fields, recorded_by=by
        )
        save(consultation, by=by)
        if consultation.follow_up_needed:
            notices.raise_task(
                placement=consultation.placement,
                kind=Task.Kind.FURTHER_WORK,
                consultation=consultation,
                by=by,
            )
        return consultation


@service
def visit_update(*, visit: Visit, by: User, **changes: Any) -> Visit:
    """Correct a visit already logged; whoever saves it is named as its recorder (the
    history keeps who logged it first)."""
    return _correct(visit, "placements.change_visit", "recorded_by", by, changes)


@service
def consultation_update(*, consultation: Consultation, by: User, **changes: Any) -> Consultation:
    """Correct a consultation already logged, as visit_update does; one newly marked as
    needing further work raises its task."""
    with transaction.atomic():
        corrected = _correct(
            consultation, "placements.change_consultation", "recorded_by", by, changes
        )
        if corrected.follow_up_needed and not Task.objects.filter(consultation=corrected).exists():
            notices.raise_task(
                placement=corrected.placement,
                kind=Task.Kind.FURTHER_WORK,
                consultation=corrected,
                by=by,
            )
    return corrected


def may_correct(record: Visit | Consultation | Contact, by: User, permission: str) -> bool:
    """An administrator corrects any record; its recorder their own, for
    settings.OWN_EDIT_DAYS days after logging it."""
    if by.has_perm(permission):
        return True
    recent = timezone.now() - datetime.timedelta(days=settings.OWN_EDIT_DAYS)
    return record.recorded_by_id == by.pk and record.recorded_at >= recent


def _correct(record: R, permission: str, recorder: str, by: User, changes: dict[str, Any]) -> R:
    only(changes, RECORD_CORRECTABLE | CONTACT_CORRECTABLE)
    model = type(record)
    with transaction.atomic():
        placement = lock_placement(record.placement_id)
        locked = model.objects.select_for_update().get(pk=record.pk)
        if not may_correct(locked, by, permission):
            raise PermissionDenied
        locked.placement = placement
        for field, value in changes.items():
            setattr(locked, field, value)
        setattr(locked, recorder, by)
        save(locked, by=by)
        if model is Visit:
            keep_visit_summary([placement.pk])
    refresh(record)
    return locked


@service
def visitor_add(
    *, placement: Placement, name: str, relation: str, phone: str = "", by: User
) -> Visitor:
    """Record someone other than a parent who visits the child (a grandmother)."""
    require(by, "placements.add_visitor")
    with transaction.atomic():
        visitor = Visitor(
            placement=lock_placement(placement.pk),
            name=name,
            relation=relation,
            phone=phone,
            recorded_by=by,
        )
        return save(visitor, by=by)


@service
def contact_record(*, placement: Placement, by: User, **fields: Any) -> Contact:
    """Log a call, text, message, home visit, missed agreed visit or a relative's visit
    (kind, happened_on, parent or visitor, outcome, note)."""
    require(by, "placements.add_contact")
    with transaction.atomic():
        contact = Contact(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        return save(contact, by=by)


@service
def contact_update(*, contact: Contact, by: User, **changes: Any) -> Contact:
    """Correct a contact already logged, as visit_update does."""
    only(changes, CONTACT_CORRECTABLE)
    return _correct(contact, "placements.change_contact", "recorded_by", by, changes)


CONTACT_CORRECTABLE = {"kind", "happened_on", "parent", "visitor", "outcome", "note"}


@service
def agreed_visits_set(
    *,
    placement: Placement,
    parent: Parent,
    days: Iterable[int],
    time: datetime.time | None = None,
    by: User,
) -> None:
    """The days of the week (0 Monday … 6 Sunday) `parent` agreed to come, at `time`:
    they replace the parent's earlier ones (the history keeps those)."""
    require(by, "placements.add_agreedvisit")
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        locked.check_parent_of_child(parent.pk, "parent")
        kept = list(AgreedVisit.objects.current().filter(placement=locked, parent=parent))
        for agreed in kept:
            if agreed.weekday not in days:
                agreed.ended_at = timezone.now()
                save(agreed, by=by)
        existing = {a.weekday: a for a in kept if a.weekday in days}
        for weekday in sorted(set(days)):
            agreed = existing.get(weekday) or AgreedVisit(
                placement=locked, parent=parent, weekday=weekday
            )
            agreed.time = time
            save(agreed, by=by)
