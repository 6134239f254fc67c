"""The one write path for the people: children, parents, their links and consents.

Each service is keyword-only, `<entity>_<action>(*, …, by)`: a transaction, the row
locked (a child before anything recorded about it), `by`'s permission checked once,
`full_clean()`, then the save with history naming `by`. The placements' services
(placements/services/stays.py) call these for the intake."""

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from crisisunit.lib.writes import checked_save, lock, require, service
from crisisunit.models import User
from families.models import Child, ChildParent, Consent, Parent, Person

P = TypeVar("P", bound=Person)


def _require(by: User, action: str, model: type[Model]) -> None:
    require(by, f"families.{action}_{model._meta.model_name}")


def lock_child(pk: int) -> None:
    """Lock the child's row until the transaction ends (after its placement's)."""
    lock(Child, pk)


@service
def person_save(*, person: P, by: User) -> P:
    """Add a child or a parent, or save a change to one (the row locked first)."""
    model = type(person)
    _require(by, "add" if person.pk is None else "change", model)
    with transaction.atomic():
        if person.pk is not None:
            lock(model, person.pk)
        return checked_save(person, by=by)


@service
def parent_contacts_update(*, parent: Parent, phone: str, address: str, by: User) -> Parent:
    """Update a parent's phone and address (what a social worker learns from the case
    page or at an intake); the history keeps what they were."""
    require(by, "families.change_parent_contacts")
    with transaction.atomic():
        lock(Parent, parent.pk)
        locked = Parent.objects.get(pk=parent.pk)
        locked.phone, locked.address = phone, address
        checked_save(locked, by=by)
    parent.refresh_from_db()
    return parent


@service
def link_save(*, link: ChildParent, by: User) -> ChildParent:
    """Link a parent to a child with the relation, or change a link (the child locked)."""
    _require(by, "add" if link.pk is None else "change", ChildParent)
    with transaction.atomic():
        lock_child(link.child_id)
        return checked_save(link, by=by)


@service
def consent_record(*, parent: Parent, given_on: datetime.date, covers: str, by: User) -> Consent:
    """Record a parent's consent to the processing of personal data."""
    _require(by, "add", Consent)
    with transaction.atomic():
        lock(Parent, parent.pk)
        consent = Consent(parent=parent, given_on=given_on, covers=covers, recorded_by=by)
        return checked_save(consent, by=by)


@service
def consent_update(*, consent: Consent, by: User, **changes: Any) -> Consent:
    """Correct a consent (what it covers, when given, its withdrawal); whoever saves is
    named as its recorder (the history keeps who recorded it first)."""
    _require(by, "change", Consent)
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.recorded_by = by
        checked_save(locked, by=by)
    consent.refresh_from_db()
    return locked


@service
def consent_withdraw(
    *, consent: Consent, reason: str, on: datetime.date | None = None, by: User
) -> Consent:
    """The parent withdrew this consent (on `on`, default today) for `reason`; recorded
    by whoever records consents."""
    _require(by, "add", Consent)
    with transaction.atomic():
        lock(Parent, consent.parent_id)
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_on is not None:
            raise ValidationError(_("This consent was already withdrawn."), code="withdrawn")
        locked.withdrawn_on = on or timezone.localdate()
        locked.withdrawal_reason = reason
        checked_save(locked, by=by, update_fields=["withdrawn_on", "withdrawal_reason"])
    consent.refresh_from_db()
    return locked
