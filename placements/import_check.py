"""Check a caseload spreadsheet against the rules and the records on file, and plan what
importing it would create: every row's problems in the user's language, with its row
number, and the unsaved records to write (placements.services.imports.caseload_import).

Each rule is the model's own: every person, placement and link passes full_clean()
(its clean() and its fields), the admission passes `Placement.admission_refusal`, each
visit `Placement.check_date_within`. People already on file are found as the intake
finds them (the same IIN, or the same date of birth and name however spelled), and so
are people named on several rows of the file: each is created once. A row whose child
already has a stay admitted on the same date is in the portal already and is passed
over, so that importing a file twice creates nothing twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crisisunit import roles
from crisisunit.lib.dates import add_months
from crisisunit.lib.names import name_key
from crisisunit.lib.tabular import Table
from families.models import RELATION_SEX, Child, ChildParent, Parent, Relation, Sex
from placements import import_columns as columns
from placements.models import FollowUp, Placement, Visit

CHUNK = 2000
PERSON_FIELDS = ("surname", "given_name", "patronymic", "date_of_birth", "sex", "iin")


@dataclass
class Problem:
    row: int  # 1: the headings
    column: str  # the column's heading, or ""
    message: str


# What a check or an import reports, in the order shown.
SUMMARY = [
    ("rows", gettext_lazy("rows in the file")),
    ("placements", gettext_lazy("new placements")),
    ("closed", gettext_lazy("of them closed")),
    ("children", gettext_lazy("new children")),
    ("children_on_file", gettext_lazy("children already on file")),
    ("parents", gettext_lazy("new parents")),
    ("parents_on_file", gettext_lazy("parents already on file")),
    ("visits", gettext_lazy("visits")),
    ("follow_ups", gettext_lazy("follow-ups still due")),
    ("already_imported", gettext_lazy("rows already in the portal, passed over")),
    ("rows_with_problems", gettext_lazy("rows with problems")),
]


@dataclass
class Plan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    children: list = field(default_factory=list)  # new, unsaved
    parents: list = field(default_factory=list)
    links: list = field(default_factory=list)
    placements: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    children_on_file: set = field(default_factory=set)  # pks
    parents_on_file: set = field(default_factory=set)
    already_imported: int = 0  # rows whose stay is in the portal already

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "placements": len(self.placements),
            "closed": sum(1 for p in self.placements if p.closed_on),
            "children": len(self.children),
            "children_on_file": len(self.children_on_file),
            "parents": len(self.parents),
            "parents_on_file": len(self.parents_on_file),
            "visits": len(self.visits),
            "follow_ups": len(self.follow_ups),
            "already_imported": self.already_imported,
            "rows_with_problems": len({p.row for p in self.problems}),
            "problems": len(self.problems),
        }

    def returning(self) -> list:
        """The planned stays of a child with another stay before them (on file, or
        earlier in the file), by admission: once saved, each takes the re-entry rule."""
        counted: dict[Any, int] = {}
        for placement in self.placements:
            key = placement.child.pk or id(placement.child)
            counted[key] = counted.get(key, 0) + 1
        return sorted(
            (
                p for p in self.placements
                if p.child.pk in self.children_on_file or counted[p.child.pk or id(p.child)] > 1
            ),
            key=lambda p: p.admitted_on,
        )  # fmt: skip

    def records(self):
        """(model, rows) in the order they are written: each row's references first."""
        return [
            (Child, self.children),
            (Parent, self.parents),
            (ChildParent, self.links),
            (Placement, self.placements),
            (Visit, self.visits),
            (FollowUp, self.follow_ups),
        ]


def check(table: Table, *, by, social_worker=None, today=None, progress=None) -> Plan:
    """What importing `table` would do, as `by`; rows that name no social worker get
    `social_worker`. `progress(done, total)` is called as the rows are checked."""
    return _Checker(table, by, social_worker, today or timezone.localdate(), progress).run()


def _label(code):
    return str(columns.BY_CODE[code].label) if code in columns.BY_CODE else ""


def _identity(person):
    """How a person is known: the IIN, and the date of birth with the name's key."""
    if not hasattr(person, "_import_identity"):
        names = tuple(sorted([name_key(person.surname), name_key(person.given_name)]))
        person._import_identity = person.iin, (person.date_of_birth, names)
    return person._import_identity


class _People:
    """The children or the parents on file that rows of the file may name, and the new
    ones the file brings, each found by IIN or by date of birth and name."""

    def __init__(self, model, rows):
        self.model = model
        self.by_iin, self.by_name = {}, defaultdict(list)
        self.new_by_iin, self.new_by_name = {}, {}
        iins = sorted({r[f"{self.prefix}_iin"] for r in rows if r.get(f"{self.prefix}_iin")})
        births = sorted({r[f"{self.prefix}_date_of_birth"] for r in rows if r.get(
            f"{self.prefix}_date_of_birth")})  # fmt: skip
        for chunk in _chunks(iins):
            for person in model.objects.filter(iin__in=chunk):
                self.by_iin[person.iin] = person
        for chunk in _chunks(births):
            for person in model.objects.filter(date_of_birth__in=chunk):
                self.by_name[_identity(person)[1]].append(person)

    @property
    def prefix(self):
        return "child" if self.model is Child else "parent"

    def find(self, person):
        """(the record on file or already planned, or None; a problem or None)."""
        iin, name = _identity(person)
        if iin and iin in self.by_iin:
            return self.by_iin[iin], None
        found = self.by_name.get(name, [])
        if len(found) > 1:
            return None, _("Several records on file have this name and date of birth.")
        if found:
            if iin and found[0].iin and found[0].iin != iin:
                return None, _(
                    "A record with this name and date of birth is on file with another IIN."
                )
            return found[0], None
        planned = self.new_by_iin.get(iin) if iin else None
        return planned or self.new_by_name.get(name), None

    def add(self, person):
        iin, name = _identity(person)
        if iin:
            self.new_by_iin[iin] = person
        self.new_by_name[name] = person


def _chunks(values):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class _Checker:
    def __init__(self, table, by, social_worker, today, progress):
        self.table, self.by, self.today = table, by, today
        self.default_worker, self.progress = social_worker, progress
        self.plan = Plan(rows=len(table.rows))

    def problem(self, row, code, message):
        self.plan.problems.append(Problem(row, _label(code), str(message)))

    def run(self) -> Plan:
        codes = self._headings()
        if codes is None:
            return self.plan
        values = [(number, self._read(number, codes, cells)) for number, cells in self.table.rows]
        self._load_records([v for _n, v in values])
        for done, (number, row) in enumerate(values, start=1):
            if row is not None:
                self._row(number, row)
            if self.progress and (done % 1000 == 0 or done == len(values)):
                self.progress(done, len(values))
        self.plan.problems.sort(key=lambda problem: problem.row)  # in the file's order
        return self.plan

    def _headings(self):
        """The column code of each position (None for one not read), or None when the
        file cannot be read for a missing or repeated column."""
        index, codes, seen = columns.heading_index(), list[str | None](), set[str]()
        export_only = columns.export_only_names()
        for heading in self.table.header:
            name = columns.normalized(heading)
            code = index.get(name)
            if code is None and name in export_only:
                codes.append(None)
                continue
            if code is None:
                self.problem(
                    1,
                    "",
                    _("Unknown column «%(name)s»: name it as in the template, or remove it.")
                    % {"name": heading[:60]},
                )
            elif code in seen:
                self.problem(1, code, _("The column appears twice."))
            seen.add(code)
            codes.append(code)
        for column in columns.COLUMNS:
            if column.required and column.code not in seen:
                self.problem(1, column.code, _("The column is missing."))
        return None if self.plan.problems else codes

    def _read(self, number, codes, cells):
        """{code: value} of one row, or None when a cell cannot be read."""
        row, ok = {}, True
        if any(v not in (None, "") for v in cells[len(codes) :]):
            self.problem(number, "", _("The row has cells beyond the last heading."))
            ok = False
        for code, value in zip(codes, cells, strict=False):
            if code is None:
                continue
            try:
                row[code] = self._value(columns.BY_CODE[code], value)
            except columns.CellError as error:
                self.problem(number, code, error.message)
                ok = False
        return row if ok else None

    def _value(self, column, value):
        if column.kind == "date":
            return columns.date_value(value)
        if column.kind == "dates":
            return columns.visit_times(value)
        if column.kind == "choice":
            return columns.choice_value(value, self.choices(column), column)
        if column.kind == "iin":
            return columns.iin_value(value)
        if column.kind == "phone":
            return columns.phone_value(value)
        return columns.text_value(value)

    def choices(self, column):
        if not hasattr(self, "_choices"):
            self._choices: dict[str, Any] = {}
        if column.code not in self._choices:
            self._choices[column.code] = columns.choice_index(column)
        return self._choices[column.code]

    def _load_records(self, rows):
        rows = [r for r in rows if r is not None]
        self.children, self.parents = _People(Child, rows), _People(Parent, rows)
        self.stays = defaultdict(list)  # child (pk or the new object's id): [(admitted, closed)]
        self.admitted = defaultdict(set)  # child pk: admission dates on file
        pks = {p.pk for people in self.children.by_name.values() for p in people}
        pks |= {p.pk for p in self.children.by_iin.values()}
        for chunk in _chunks(sorted(pks)):
            for child_id, admitted_on in Placement.objects.filter(child_id__in=chunk).values_list(
                "child_id", "admitted_on"
            ):
                self.admitted[child_id].add(admitted_on)
        self.links = set()
        for chunk in _chunks(sorted(pks)):
            self.links |= set(
                ChildParent.objects.filter(child_id__in=chunk).values_list("child_id", "parent_id")
            )
        self.workers = _social_workers()

    def _row(self, number, row):
        child = self._person(number, Child, row)
        parent = self._person(number, Parent, row) if _has_parent(row) else None
        if child is None or parent is False:
            return
        if child.pk and row.get("admitted_on") in self.admitted[child.pk]:
            self.plan.already_imported += 1
            return
        placement = self._placement(number, row, child)
        if placement is None:
            return
        link = self._link(number, row, child, parent) if parent is not None else None
        if link is False or not self._visits(number, row, placement, parent):
            return
        for person in (child, parent):
            self._keep(person)
        if link is not None:
            self.links.add((id(child), id(parent)))
            self.plan.links.append(link)
        self.stays[child.pk or id(child)].append((placement.admitted_on, placement.closed_on))
        self.plan.placements.append(placement)
        self._follow_ups(placement)

    def _keep(self, person):
        """Count a person the row names, now that the row is taken."""
        if person is None:
            return
        is_child = isinstance(person, Child)
        if person.pk:
            kept = self.plan.children_on_file if is_child else self.plan.parents_on_file
            kept.add(person.pk)
            return
        people = self.children if is_child else self.parents
        if people.find(person)[0] is not person:
            people.add(person)
            (self.plan.children if is_child else self.plan.parents).append(person)

    def _person(self, number, model, row):
        """The person a row names (on file, planned, or new); None for the child and
        False for a parent when the row cannot name them."""
        people = self.children if model is Child else self.parents
        prefix = people.prefix
        data = {name: row.get(f"{prefix}_{name}") or "" for name in PERSON_FIELDS}
        if model is Parent:
            data["phone"], data["address"] = (
                row.get("parent_phone", ""),
                row.get("parent_address", ""),
            )
            relation = row.get("parent_relation") or Relation.MOTHER
            data["sex"] = data["sex"] or RELATION_SEX.get(relation, Sex.FEMALE)
        data["date_of_birth"] = data["date_of_birth"] or None
        person = model(**data)
        if not self._valid(number, person, prefix, validate_constraints=False):
            return None if model is Child else False
        found, refusal = people.find(person)
        if refusal:
            self.problem(number, f"{prefix}_surname", refusal)
            return None if model is Child else False
        return found or person

    def _valid(self, number, record, prefix, exclude=(), **options):
        try:
            record.full_clean(exclude=list(exclude), validate_unique=False, **options)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                code = f"{prefix}_{name}" if prefix else name
                if name == NON_FIELD_ERRORS or code not in columns.BY_CODE:
                    code = ""
                for message in messages:
                    self.problem(number, code, message)
            return False
        return True

    def _placement(self, number, row, child):
        worker = self._worker(number, row)
        placement = Placement(
            child=child,
            admitted_on=row.get("admitted_on"),
            planned_end_on=row.get("planned_end_on"),
            referral_source=row.get("referral_source", ""),
            referral_number=row.get("referral_number", ""),
            referral_date=row.get("referral_date"),
            crisis_reason=row.get("crisis_reason", ""),
            crisis_notes=row.get("crisis_notes", ""),
            social_worker=worker,
        )
        closing = self._closing(number, row, placement)
        # The constraints are checked below, without a query for each row.
        valid = self._valid(
            number, placement, "", exclude=["child", "social_worker", "closed_by", "imported"],
            validate_constraints=False,
        )  # fmt: skip
        if not (valid and closing and worker and self._planned_end(number, placement)):
            return None
        if child.pk is None and (refusal := placement.admission_refusal(child.date_of_birth)):
            self.problem(number, "admitted_on", refusal)
            return None
        if any(placement.overlaps(*other) for other in self.stays[child.pk or id(child)]):
            self.problem(number, "admitted_on", Placement.OVERLAPPING)
            return None
        return placement

    def _planned_end(self, number, placement):
        """The constraint placement_end_after_admission, with its own message (the
        closing's constraint is _closing's)."""
        if placement.planned_end_on > placement.admitted_on:
            return True
        constraint = next(
            c for c in Placement._meta.constraints if c.name == "placement_end_after_admission"
        )
        self.problem(number, "planned_end_on", constraint.get_violation_error_message())
        return False

    def _closing(self, number, row, placement):
        closed_on, outcome = row.get("closed_on"), row.get("outcome")
        if not closed_on and not outcome:
            return True
        if outcome and not closed_on:
            self.problem(number, "closed_on", _("An outcome needs a closing date."))
            return False
        if not placement.admitted_on:
            return True  # the admission's own problem is reported
        try:
            placement.check_closing(outcome=outcome or "", on=closed_on)
        except ValidationError as error:
            column = "outcome" if error.code == "outcome" else "closed_on"
            self.problem(number, column, error.messages[0])
            return False
        placement.status = Placement.Status.CLOSED
        placement.closed_on, placement.outcome = closed_on, outcome
        placement.closed_by = self.by
        return True

    def _worker(self, number, row):
        name = row.get("social_worker", "")
        if not name:
            if self.default_worker is None:
                self.problem(number, "social_worker", _("Name the social worker."))
            return self.default_worker
        worker = self.workers.get(columns.normalized(name))
        if worker is None:
            self.problem(
                number,
                "social_worker",
                _("No active social worker is called «%(name)s».") % {"name": name[:60]},
            )
        return worker

    def _link(self, number, row, child, parent):
        if child.pk and parent.pk and (child.pk, parent.pk) in self.links:
            return None
        key = (id(child), id(parent))
        if key in self.links:
            return None
        link = ChildParent(
            child=child, parent=parent, relation=row.get("parent_relation") or Relation.MOTHER
        )
        if not self._valid(number, link, "parent", exclude=["child", "parent"]):
            return False
        return link

    def _visits(self, number, row, placement, parent):
        """Plan the row's visits; False when one cannot be taken."""
        times = row.get("visit_dates") or []
        if times and parent is None:
            self.problem(number, "visit_dates", _("Visits need the parent's columns filled in."))
            return False
        visits = []
        for moment in times:
            try:
                placement.check_date_within(moment.date(), "visited_at")  # a local time
            except ValidationError as error:
                self.problem(number, "visit_dates", f"{moment:%d.%m.%Y}: {error.messages[0]}")
                continue
            visits.append(
                Visit(
                    placement=placement,
                    parent=parent,
                    visited_at=moment,
                    duration_minutes=columns.VISIT_MINUTES,
                    recorded_by=self.by,
                )
            )
        if len(visits) < len(times):
            return False
        self.plan.visits += visits
        return True

    def _follow_ups(self, placement):
        """A return still to be followed up: the follow-ups not yet due (those due
        before the import were kept outside the portal, if at all)."""
        if placement.outcome != Placement.Outcome.RETURNED:
            return
        for months in settings.FOLLOW_UP_MONTHS:
            due_on = add_months(placement.closed_on, months)
            if due_on >= self.today:
                self.plan.follow_ups.append(
                    FollowUp(placement=placement, months_after=months, due_on=due_on)
                )


def _has_parent(row):
    return any(row.get(f"parent_{name}") for name in ("surname", "given_name", "date_of_birth"))


def _social_workers():
    """{a social worker's user name or full name, normalised: the user}, for those who
    may be assigned (crisisunit.roles.assignable)."""
    found = {}
    for user in roles.assignable():
        found[columns.normalized(user.username)] = user
        if user.get_full_name():
            found.setdefault(columns.normalized(user.get_full_name()), user)
    return found
