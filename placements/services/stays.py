"""The services of a stay: the intake (admission) and the admin's "add placement",
corrections, reassignment, closing, term extensions, the re-entry rule, and records
written in bulk (the import, the synthetic seed)."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from crisisunit.lib.dates import add_months
from crisisunit.lib.names import name_key
from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import copy_to_history, lock_key, require, service
from crisisunit.models import User
from families import services as family_services
from families.models import Child, ChildParent, Parent, Person
from placements import notices
from placements.locks import lock_case, lock_placement
from placements.models import (
    FollowUp,
    Notice,
    Placement,
    TermExtension,
    Visit,
)
from placements.services.common import only, refresh
from placements.services.followups import stamp_follow_up
from placements.services.tasks import tasks_follow_case
from placements.visit_summary import keep_visit_summary

T = TypeVar("T")

# Admission, changes to the placement, closing


class IntakeError(Exception):
    """A refusal during the intake, with the part of the form it belongs to."""

    def __init__(self, part: str, error: ValidationError) -> None:
        super().__init__(part, error)
        self.part, self.error = part, error


@dataclass
class IntakeParent:
    parent: Parent  # an existing record, or a new unsaved one
    relation: str
    consent_given_on: datetime.date
    consent_covers: str
    # For an existing parent: the phone and address typed at the intake, to keep.
    new_contacts: dict[str, str] | None = None


@service
def placement_admit(
    *,
    child: Child,
    parents: list[IntakeParent],
    placement: Placement,
    seen: dict[str, set[int]] | None = None,
    by: User,
) -> Placement:
    """Register a child's admission in one transaction: the child and parents (new ones
    created, existing ones reused), their links, each parent's consent, and the
    placement. Nothing is saved when any part is refused (IntakeError says which).

    `seen` holds, for each part ("child", "parent1"…), the pks of the records on file the
    user was shown and declined as not this person. A new person is created only after
    a lock on their name and date of birth and a last look for a record the user has
    not seen: so two people registering the same mother and child at the same moment
    make one family, and the second is told."""
    require(by, "placements.add_placement")
    seen = seen or {}
    with transaction.atomic():
        if child.pk is None:
            _new_person("child", child, seen, by)
        lock_case(children=[child.pk])  # its earlier stays first: the re-entry rule
        for index, entry in enumerate(parents, start=1):
            part, parent = f"parent{index}", entry.parent
            if parent.pk is None:
                _new_person(part, parent, seen, by)
            elif entry.new_contacts:
                contacts = {"phone": parent.phone, "address": parent.address}
                contacts.update({k: v for k, v in entry.new_contacts.items() if v})
                update = partial(
                    family_services.parent_contacts_update,
                    parent=parent, phone=contacts["phone"], address=contacts["address"], by=by,
                )  # fmt: skip
                _part(part, update)
            if not ChildParent.objects.filter(child=child, parent=parent).exists():
                link = ChildParent(child=child, parent=parent, relation=entry.relation)
                _part(part, partial(family_services.link_save, link=link, by=by))
            consent = partial(
                family_services.consent_record, parent=entry.parent,
                given_on=entry.consent_given_on, covers=entry.consent_covers, by=by,
            )  # fmt: skip
            _part(part, consent)
        placement.child = child
        _part("placement", lambda: save(placement, by=by))
        end_follow_ups_of_earlier_stays(placement, by=by)
        notices.notify(
            user=placement.social_worker, placements=[placement], kind=Notice.Kind.ASSIGNED, by=by
        )
    return placement


def end_follow_ups_of_earlier_stays(placement: Placement, *, by: User) -> None:
    """The re-entry rule: the child is back in care, so the follow-ups still pending
    after an earlier return will not happen, and say why. The caller has locked the
    child's stays (lock_case(children=…)), as the intake, the admin and the import do."""
    reason = placement.reentry_reason()
    for follow_up in placement.pending_follow_ups_of_earlier_stays().select_for_update():
        follow_up.missed_reason = reason
        stamp_follow_up(follow_up, by)


def _new_person(part: str, person: Child | Parent, seen: dict[str, set[int]], by: User) -> None:
    """Create `person` unless someone registered them meanwhile (see placement_admit)."""
    model = type(person)
    names = sorted([name_key(person.surname), name_key(person.given_name)])
    lock_key("new person", model._meta.label, *names, person.date_of_birth)
    found = model.objects.possible_duplicates(
        iin=person.iin,
        date_of_birth=person.date_of_birth,
        surname=person.surname,
        given_name=person.given_name,
    )
    if any(record.pk not in seen.get(part, ()) for record in found):
        raise IntakeError(
            part,
            ValidationError(
                _(
                    "%(name)s was registered a moment ago, by you or someone else. "
                    "Send the page again and choose that record."
                )
                % {"name": person.full_name},
                code="registered_meanwhile",
            ),
        )
    _part(part, lambda: family_services.person_save(person=person, by=by))


def _part(part: str, write: Callable[[], T]) -> T:
    """Run `write`; a refusal names the part of the intake page it belongs to."""
    try:
        return write()
    except ValidationError as error:
        raise IntakeError(part, error) from error


@service
def placement_open(*, placement: Placement, by: User) -> Placement:
    """Open a placement for a child already on file (the admin's "add placement")."""
    require(by, "placements.add_placement")
    with transaction.atomic():
        lock_case(children=[placement.child_id])  # its earlier stays first
        save(placement, by=by)
        end_follow_ups_of_earlier_stays(placement, by=by)
        return placement


# What a correction may change: never the status, the term, the closing or whose stay
# a record belongs to; those change only through their own services.
PLACEMENT_CORRECTABLE = {
    "social_worker", "admitted_on", "referral_source", "referral_number", "referral_date",
    "crisis_reason", "crisis_notes",
}  # fmt: skip


@service
def placement_update(*, placement: Placement, by: User, **changes: Any) -> Placement:
    """Change what the admin's placement page edits (the assigned social worker, the
    admission date, the referral, the crisis); never the status, the term or the
    closing. A new admission date must still hold every record of the stay
    (Placement.check_stay_window); the visit summary is kept from it."""
    only(changes, PLACEMENT_CORRECTABLE)
    require(by, "placements.change_placement")
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        save(locked, by=by)
        if "admitted_on" in changes:
            keep_visit_summary([locked.pk])
    refresh(placement)
    return locked


@service
def placement_reassign(
    *, placements: Iterable[Placement], social_worker: User, by: User
) -> list[Placement]:
    """Assign every one of `placements` to `social_worker`, all or none, each with its
    line of history naming `by`; those already theirs are left as they are. The open
    tasks of each case that were its former worker's go with it."""
    require(by, "placements.change_placement")
    moved = []
    with transaction.atomic():
        locked_all = lock_case(placements=[p.pk for p in placements])
        formers = []
        for locked in locked_all.values():  # by pk, as locked
            if locked.social_worker_id != social_worker.pk:
                formers.append(locked.social_worker_id)
                locked.social_worker = social_worker
                save(locked, by=by)
                moved.append(locked)
        tasks_follow_case(moves=zip(moved, formers, strict=True), by=by)
        notices.notify(user=social_worker, placements=moved, kind=Notice.Kind.ASSIGNED, by=by)
    return moved


@service
def placement_close(*, placement: Placement, outcome: str, on: datetime.date, by: User) -> None:
    """Close the stay with an outcome on the given date (a return home comes from an
    approved application). Refused when the placement is already closed, while a return
    application is open, before the admission, in the future, or before a visit or
    consultation already recorded."""
    require(by, "placements.change_placement")
    with transaction.atomic():
        close_locked(lock_placement(placement.pk), outcome=outcome, on=on, by=by)
    refresh(placement)


def close_locked(placement: Placement, *, outcome: str, on: datetime.date, by: User) -> None:
    """Close a placement already locked by the caller."""
    if placement.status != Placement.Status.ACTIVE:
        raise ValidationError(_("This placement is already closed."), code="closed")
    placement.check_closing(outcome=outcome, on=on)
    if placement.return_applications.open().exists():
        raise ValidationError(
            _("Decide or withdraw the open return application first."), code="open_application"
        )
    placement.check_stay_window(closed_on=on)
    placement.status = Placement.Status.CLOSED
    placement.outcome = outcome
    placement.closed_on = on
    placement.closed_by = by
    save(placement, by=by, update_fields=["status", "outcome", "closed_on", "closed_by"])
    if outcome == Placement.Outcome.RETURNED:
        # Each follow-up with its first line of history, naming who closed the stay.
        bulk_create_with_history(
            [
                FollowUp(placement=placement, months_after=m, due_on=add_months(on, m))
                for m in settings.FOLLOW_UP_MONTHS
            ],
            FollowUp,
            default_user=by,
        )


@service
def placement_extend(
    *,
    placement: Placement,
    new_end_on: datetime.date,
    reason: str,
    basis_number: str,
    basis_date: datetime.date,
    by: User,
) -> TermExtension:
    """Move the planned end to `new_end_on`, recording why, on what basis and by whom."""
    require(by, "placements.add_termextension")
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        if locked.status != Placement.Status.ACTIVE:
            raise ValidationError(_("Only an active placement can be extended."), code="closed")
        extension = TermExtension(
            placement=locked,
            previous_end_on=locked.planned_end_on,
            new_end_on=new_end_on,
            reason=reason,
            basis_number=basis_number,
            basis_date=basis_date,
            granted_by=by,
        )
        save(extension, by=by)
        locked.planned_end_on = new_end_on
        save(locked, by=by, update_fields=["planned_end_on"])
    refresh(placement)
    return extension


# Records kept elsewhere, written in bulk


@service
def caseload_load(
    *,
    records: Sequence[tuple[type[Any], Sequence[Any]]],
    by: User,
    validate: bool = True,
    history_reason: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write in bulk, in one transaction, case records whose history was built outside
    the portal (synthetic data for the benchmarks; an import): `records` is a list of
    (model, rows), inserted in that order, so that rows may point at rows of an earlier
    model. With `validate`, every row passes full_clean() before its model's insert;
    without it (generated data whose every row its own tests check, or rows checked by
    the import), only the database's constraints hold. With `history_reason`, each row
    gets its first line of change history, naming `by` and the reason. `progress(done,
    total)` is called after each model's rows."""
    require(by, "placements.add_placement")
    with transaction.atomic():
        for done, (model, rows) in enumerate(records, start=1):
            if issubclass(model, Person):
                for row in rows:
                    if not row.search_key:
                        row.set_search_key()  # what full_clean() would have set
            if validate:
                for row in rows:
                    row.full_clean()
            model.objects.bulk_create(rows, batch_size=5000)
            if history_reason is not None and hasattr(model, "history"):
                copy_to_history(model, [row.pk for row in rows], by=by, reason=history_reason)
            if model is Visit:
                keep_visit_summary({row.placement_id for row in rows})
            if progress is not None:
                progress(done, len(records))
