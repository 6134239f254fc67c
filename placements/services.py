"""The one write path for a placement and everything recorded in it.

Every service is a keyword-only function `<entity>_<action>(*, …, by)` that opens a
transaction, takes its locks through placements.locks (placements, the child's earlier
stays among them, by id; then the people; then the record itself), checks `by`'s
permission once, calls `full_clean()` and saves, leaving change history that names
`by`. Views, admin actions and saves, and management commands call only these
(tests/conftest.py refuses any other write of a case record). The rules themselves are
the models' (Placement.clean, check_stay_window, the re-entry rule): a service calls
them, never copies them.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from crisisunit.lib.dates import add_months
from crisisunit.lib.names import name_key
from crisisunit.lib.writes import checked_save as save
from crisisunit.lib.writes import lock_key, require, service
from families import services as family_services
from families.models import Child, ChildParent, Parent, Person
from placements import notices
from placements.locks import lock_case, lock_placement
from placements.models import (
    AgreedVisit,
    Consultation,
    Contact,
    FollowUp,
    Notice,
    Placement,
    ReturnApplication,
    Task,
    TermExtension,
    Visit,
    Visitor,
)
from placements.visit_summary import keep_visit_summary

APPROVE_PERMISSION = "placements.approve_returnapplication"


def _refresh(*records):
    """The caller's objects show what the service saved."""
    for record in records:
        record.refresh_from_db()


# Admission, changes to the placement, closing


class IntakeError(Exception):
    """A refusal during the intake, with the part of the form it belongs to."""

    def __init__(self, part: str, error: ValidationError):
        super().__init__(part, error)
        self.part, self.error = part, error


@dataclass
class IntakeParent:
    parent: Parent  # an existing record, or a new unsaved one
    relation: str
    consent_given_on: datetime.date
    consent_covers: str
    # For an existing parent: the phone and address typed at the intake, to keep.
    new_contacts: dict | None = None


@service
def placement_admit(
    *,
    child: Child,
    parents: list[IntakeParent],
    placement: Placement,
    seen: dict | None = None,
    by,
):
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
                _part(
                    part,
                    lambda p=parent, c=contacts: family_services.parent_contacts_update(
                        parent=p, **c, by=by
                    ),
                )
            if not ChildParent.objects.filter(child=child, parent=parent).exists():
                link = ChildParent(child=child, parent=parent, relation=entry.relation)
                _part(part, lambda link=link: family_services.link_save(link=link, by=by))
            _part(
                part,
                lambda e=entry: family_services.consent_record(
                    parent=e.parent, given_on=e.consent_given_on, covers=e.consent_covers, by=by
                ),
            )
        placement.child = child
        _part("placement", lambda: save(placement, by=by))
        end_follow_ups_of_earlier_stays(placement, by=by)
        notices.notify(
            user=placement.social_worker, placements=[placement], kind=Notice.Kind.ASSIGNED, by=by
        )
    return placement


def end_follow_ups_of_earlier_stays(placement: Placement, *, by) -> None:
    """The re-entry rule: the child is back in care, so the follow-ups still pending
    after an earlier return will not happen, and say why. The caller has locked the
    child's stays (lock_case(children=…)), as the intake, the admin and the import do."""
    reason = placement.reentry_reason()
    for follow_up in placement.pending_follow_ups_of_earlier_stays().select_for_update():
        follow_up.missed_reason = reason
        _stamp(follow_up, by)


def _new_person(part, person, seen, by):
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


def _part(part, write):
    """Run `write`; a refusal names the part of the intake page it belongs to."""
    try:
        return write()
    except ValidationError as error:
        raise IntakeError(part, error) from error


@service
def placement_open(*, placement: Placement, by):
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
RECORD_CORRECTABLE = {
    "parent", "visited_at", "duration_minutes", "notes", "specialist", "specialist_name",
    "held_on", "summary", "follow_up_needed",
}  # fmt: skip


def _only(changes, allowed):
    if unknown := set(changes) - allowed:
        raise TypeError(f"not changed by a correction: {', '.join(sorted(unknown))}")


@service
def placement_update(*, placement: Placement, by, **changes):
    """Change what the admin's placement page edits (the assigned social worker, the
    admission date, the referral, the crisis); never the status, the term or the
    closing. A new admission date must still hold every record of the stay
    (Placement.check_stay_window); the visit summary is kept from it."""
    _only(changes, PLACEMENT_CORRECTABLE)
    require(by, "placements.change_placement")
    with transaction.atomic():
        locked = lock_placement(placement.pk)
        for field, value in changes.items():
            setattr(locked, field, value)
        save(locked, by=by)
        if "admitted_on" in changes:
            keep_visit_summary([locked.pk])
    _refresh(placement)
    return locked


@service
def placement_reassign(*, placements, social_worker, by) -> list[Placement]:
    """Assign every one of `placements` to `social_worker`, all or none, each with its
    line of history naming `by`; those already theirs are left as they are."""
    require(by, "placements.change_placement")
    moved = []
    with transaction.atomic():
        locked_all = lock_case(placements=[p.pk for p in placements])
        for locked in locked_all.values():  # by pk, as locked
            if locked.social_worker_id != social_worker.pk:
                locked.social_worker = social_worker
                save(locked, by=by)
                moved.append(locked)
        notices.notify(user=social_worker, placements=moved, kind=Notice.Kind.ASSIGNED, by=by)
    return moved


@service
def placement_close(*, placement: Placement, outcome: str, on: datetime.date, by):
    """Close the stay with an outcome on the given date (a return home comes from an
    approved application). Refused when the placement is already closed, while a return
    application is open, before the admission, in the future, or before a visit or
    consultation already recorded."""
    require(by, "placements.change_placement")
    with transaction.atomic():
        _close(lock_placement(placement.pk), outcome=outcome, on=on, by=by)
    _refresh(placement)


def _close(placement, *, outcome, on, by):
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
def placement_extend(*, placement: Placement, new_end_on, reason, basis_number, basis_date, by):
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
    _refresh(placement)
    return extension


# Visits and consultations


@service
def visit_record(*, placement: Placement, by, **fields) -> Visit:
    """Log a parent's visit (parent, visited_at, duration_minutes, notes)."""
    require(by, "placements.add_visit")
    with transaction.atomic():
        visit = Visit(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        save(visit, by=by)
        keep_visit_summary([placement.pk])
        return visit


@service
def consultation_record(*, placement: Placement, by, **fields) -> Consultation:
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
def visit_update(*, visit: Visit, by, **changes) -> Visit:
    """Correct a visit already logged; whoever saves it is named as its recorder (the
    history keeps who logged it first)."""
    return _correct(visit, "placements.change_visit", "recorded_by", by, changes)


@service
def consultation_update(*, consultation: Consultation, by, **changes) -> Consultation:
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


def may_correct(record, by, permission) -> bool:
    """An administrator corrects any record; its recorder their own, for
    settings.OWN_EDIT_DAYS days after logging it."""
    if by.has_perm(permission):
        return True
    recent = timezone.now() - datetime.timedelta(days=settings.OWN_EDIT_DAYS)
    return record.recorded_by_id == by.pk and record.recorded_at >= recent


def _correct(record, permission, recorder, by, changes):
    _only(changes, RECORD_CORRECTABLE | CONTACT_CORRECTABLE)
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
    _refresh(record)
    return locked


# Return applications


@service
def application_register(*, placement: Placement, applicant: Parent, filed_on, comment="", by):
    """Register a parent's application for the child's return, as submitted."""
    require(by, "placements.add_returnapplication")
    with transaction.atomic():
        application = ReturnApplication(
            placement=lock_placement(placement.pk),
            applicant=applicant,
            filed_on=filed_on,
            comment=comment,
            registered_by=by,
        )
        return save(application, by=by)


@service
def application_update(*, application: ReturnApplication, comment: str, by):
    """Change the comment of an open application; whoever saves is its registrar."""
    require(by, "placements.change_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        if not locked.is_open:
            locked.require_transition(locked.status)  # says it is final
        locked.comment = comment
        locked.registered_by = by
        save(locked, by=by)
    _refresh(application)


def _lock_application(application):
    placement = lock_placement(application.placement_id)
    locked = ReturnApplication.objects.select_for_update().get(pk=application.pk)
    locked.placement = placement
    return placement, locked


@service
def application_start_review(*, application: ReturnApplication, by):
    """Mark the application as sent to the guardianship and custody authority."""
    require(by, "placements.review_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.UNDER_REVIEW)
        locked.status = ReturnApplication.Status.UNDER_REVIEW
        save(locked, by=by, update_fields=["status"])
    _refresh(application)


@service
def application_withdraw(*, application: ReturnApplication, by):
    """The parent withdrew the application before a decision."""
    require(by, "placements.review_returnapplication")
    with transaction.atomic():
        _placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.WITHDRAWN)
        locked.status = ReturnApplication.Status.WITHDRAWN
        locked.decided_by = by
        locked.decided_at = timezone.now()
        save(locked, by=by, update_fields=["status", "decided_by", "decided_at"])
    _refresh(application)


@service
def application_approve(
    *, application: ReturnApplication, decision_number, decision_date, returned_on=None, by
):
    """Approve after the authority's decision, and close the placement in the same
    transaction with the outcome "returned to the biological family" on `returned_on`
    (default today). Exactly one of any concurrent decisions wins."""
    require(by, APPROVE_PERMISSION)
    returned_on = returned_on or timezone.localdate()
    with transaction.atomic():
        placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.APPROVED)
        if placement.status != Placement.Status.ACTIVE:
            raise ValidationError(_("This placement is already closed."), code="closed")
        _decide(locked, ReturnApplication.Status.APPROVED, decision_number, decision_date, by)
        save(locked, by=by)
        if returned_on < locked.decision_date:
            raise ValidationError(
                {"returned_on": _("The child cannot go home before the authority's decision.")}
            )
        _close(placement, outcome=Placement.Outcome.RETURNED, on=returned_on, by=by)
        notices.notify(
            user=placement.social_worker,
            placements=[placement],
            kind=Notice.Kind.APPROVED,
            by=by,
        )
    _refresh(application, application.placement)


@service
def application_reject(
    *, application: ReturnApplication, decision_number, decision_date, reason, by
):
    """Reject after the authority's decision; the child stays in care."""
    require(by, APPROVE_PERMISSION)
    with transaction.atomic():
        placement, locked = _lock_application(application)
        locked.require_transition(ReturnApplication.Status.REJECTED)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        _decide(locked, ReturnApplication.Status.REJECTED, decision_number, decision_date, by)
        locked.comment = "\n".join(c for c in (locked.comment, reason) if c)
        save(locked, by=by)
        notices.notify(
            user=placement.social_worker,
            placements=[placement],
            kind=Notice.Kind.REJECTED,
            by=by,
        )
    _refresh(application)


def _decide(application, status, decision_number, decision_date, by):
    application.status = status
    application.decision_number = (decision_number or "").strip()
    application.decision_date = decision_date
    application.decided_by = by
    application.decided_at = timezone.now()


# Follow-ups after the return


@service
def followup_record(*, follow_up: FollowUp, done_on, method, situation, notes="", by):
    """Record the contact with the family: when, how, and how the family is doing."""
    require(by, "placements.record_followup")
    if done_on is None:
        raise ValidationError({"done_on": _("Enter the date of the contact.")})
    with transaction.atomic():
        locked = _lock_follow_up(follow_up)
        locked.done_on, locked.method, locked.situation = done_on, method, situation
        locked.notes = notes
        _stamp(locked, by)
        if situation == FollowUp.Situation.CONCERNS:
            notices.raise_task(
                placement=locked.placement, kind=Task.Kind.CONCERNS, follow_up=locked, by=by
            )
    _refresh(follow_up)


@service
def followup_mark_missed(*, follow_up: FollowUp, reason, by):
    """The contact did not happen; say why."""
    require(by, "placements.record_followup")
    with transaction.atomic():
        locked = _lock_follow_up(follow_up)
        locked.missed_reason = (reason or "").strip()
        if not locked.missed_reason:
            raise ValidationError({"missed_reason": _("Say why the follow-up was missed.")})
        _stamp(locked, by)
    _refresh(follow_up)


def _lock_follow_up(follow_up):
    placement = lock_placement(follow_up.placement_id)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    locked.placement = placement
    if not locked.is_pending:
        raise ValidationError(_("This follow-up is already recorded."), code="recorded")
    return locked


def _stamp(follow_up, by):
    follow_up.recorded_by = by
    follow_up.recorded_at = timezone.now()
    save(follow_up, by=by)


# Keeping in touch: visitors, the contact log, agreed visit days


@service
def visitor_add(*, placement: Placement, name, relation, phone="", by) -> Visitor:
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
def contact_record(*, placement: Placement, by, **fields) -> Contact:
    """Log a call, text, message, home visit, missed agreed visit or a relative's visit
    (kind, happened_on, parent or visitor, outcome, note)."""
    require(by, "placements.add_contact")
    with transaction.atomic():
        contact = Contact(placement=lock_placement(placement.pk), **fields, recorded_by=by)
        return save(contact, by=by)


@service
def contact_update(*, contact: Contact, by, **changes) -> Contact:
    """Correct a contact already logged, as visit_update does."""
    _only(changes, CONTACT_CORRECTABLE)
    return _correct(contact, "placements.change_contact", "recorded_by", by, changes)


CONTACT_CORRECTABLE = {"kind", "happened_on", "parent", "visitor", "outcome", "note"}


@service
def agreed_visits_set(*, placement: Placement, parent: Parent, days, time=None, by):
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


# Tasks


@service
def task_done(*, task: Task, by):
    """Mark a task done: by the social worker it is assigned to, or an administrator."""
    if by != task.assigned_to:
        require(by, "placements.change_placement")
    with transaction.atomic():
        lock_placement(task.placement_id)
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This task is already done."), code="done")
        locked.done_at, locked.done_by = timezone.now(), by
        save(locked, by=by)
    _refresh(task)


# Records kept elsewhere, written in bulk


@service
def caseload_load(*, records, by, validate=True, history_reason=None):
    """Write in bulk, in one transaction, case records whose history was built outside
    the portal (synthetic data for the benchmarks; an import): `records` is a list of
    (model, rows), inserted in that order, so that rows may point at rows of an earlier
    model. With `validate`, every row passes full_clean() before its model's insert;
    without it (generated data whose every row its own tests check, or rows checked by
    the import), only the database's constraints hold. With `history_reason`, each row
    gets its first line of change history, naming `by` and the reason."""
    require(by, "placements.add_placement")
    with transaction.atomic():
        for model, rows in records:
            if issubclass(model, Person):
                for row in rows:
                    if not row.search_key:
                        row.set_search_key()  # what full_clean() would have set
            if validate:
                for row in rows:
                    row.full_clean()
            if history_reason is not None and hasattr(model, "history"):
                bulk_create_with_history(
                    rows,
                    model,
                    batch_size=5000,
                    default_user=by,
                    default_change_reason=history_reason,
                )
            else:
                model.objects.bulk_create(rows, batch_size=5000)
            if model is Visit:
                keep_visit_summary({row.placement_id for row in rows})
