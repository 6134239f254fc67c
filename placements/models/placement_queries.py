"""The named filters of placements (Placement.objects.active(), .overdue_for_visit(today)
…) and the conditions the figures share: what the dashboard, the lists, the reminders,
the indicators and the public statistics ask of the placements."""

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)
from django.db.models.lookups import Exact, LessThan, LessThanOrEqual
from django.utils import timezone

from crisisunit.lib import search
from crisisunit.lib.dates import add_months, week_start
from families.models import Child, ChildParent, Parent
from placements.models.applications import ReturnApplication
from placements.models.choices import PlacementOutcome, PlacementStatus
from placements.models.contacts import Contact
from placements.models.plans import FamilyPlan


def came_back_into_care() -> models.Exists:
    """A condition on a closed placement: its child was admitted again at most
    REENTRY_MONTHS after its closing (see months_between)."""
    later = (
        apps.get_model("placements", "Placement")
        .objects.filter(
            child=models.OuterRef("child_id"), admitted_on__gte=models.OuterRef("closed_on")
        )
        .filter(months_between(models.OuterRef("closed_on"), "admitted_on"))
    )
    return models.Exists(later.exclude(pk=models.OuterRef("pk")))


def months_between(earlier: str | Combinable, later: str | Combinable) -> models.Q:
    """A condition: `later` falls at most REENTRY_MONTHS calendar months after `earlier`
    (both date expressions; `later` not before `earlier`). Counted as add_months does:
    10 March to 10 March a year on is within 12 months, 11 March is not; 29 February
    to 28 February is."""
    months = settings.REENTRY_MONTHS
    earlier, later = _expression(earlier), _expression(later)
    gap = (ExtractYear(later) * 12 + ExtractMonth(later)) - (
        ExtractYear(earlier) * 12 + ExtractMonth(earlier)
    )
    same_day_or_before: LessThanOrEqual = LessThanOrEqual(ExtractDay(later), ExtractDay(earlier))
    return models.Q(LessThan(gap, months)) | (
        models.Q(Exact(gap, months)) & models.Q(same_day_or_before)
    )


def _expression(value: str | Combinable) -> Combinable:
    return models.F(value) if isinstance(value, str) else value


class PlacementQuerySet(models.QuerySet):
    def active(self) -> "PlacementQuerySet":
        return self.filter(status=PlacementStatus.ACTIVE)

    def closed(self) -> "PlacementQuerySet":
        return self.filter(status=PlacementStatus.CLOSED)

    def with_last_visit_on(self) -> "PlacementQuerySet":
        """Annotate `last_visit_on`: the local date of the latest visit, None when none,
        from the placement's own `last_visit_at` (kept by the visit services), so that
        the dashboard's counts read no visit at all."""
        tz = timezone.get_current_timezone()
        return self.annotate(last_visit_on=TruncDate("last_visit_at", tzinfo=tz))

    def returned_home(self) -> "PlacementQuerySet":
        return self.closed().filter(outcome=PlacementOutcome.RETURNED)

    def assigned_to(self, user: Any) -> "PlacementQuerySet":
        return self.filter(social_worker=user)

    def in_hand(self) -> "PlacementQuerySet":
        """The cases a worker still has work on: active stays, and closed ones with a
        follow-up after the return still pending (they go with the worker's caseload
        when it is handed over)."""
        from placements.models.followups import FollowUp

        pending = FollowUp.objects.pending().filter(placement=models.OuterRef("pk"))
        return self.filter(models.Q(status=PlacementStatus.ACTIVE) | models.Exists(pending))

    def term_ending(self, today: datetime.date, days: int) -> "PlacementQuerySet":
        """Active placements whose planned end falls within the next `days` days."""
        return self.active().filter(
            planned_end_on__gte=today, planned_end_on__lte=today + datetime.timedelta(days=days)
        )

    def term_passed_without_application(self, today: datetime.date) -> "PlacementQuerySet":
        """Active placements past their planned end with no open return application."""
        open_application = ReturnApplication.objects.open().filter(placement=models.OuterRef("pk"))
        return (
            self.active().filter(planned_end_on__lt=today).exclude(models.Exists(open_application))
        )

    def without_plan(self, today: datetime.date) -> "PlacementQuerySet":
        """Active placements admitted more than settings.PLAN_DUE_DAYS ago with no plan
        of work with the family."""
        due = today - datetime.timedelta(days=settings.PLAN_DUE_DAYS)
        return self.active().filter(admitted_on__lt=due, plan__isnull=True)

    def search(self, text: str, *, parent_iin: bool) -> "PlacementQuerySet":
        """Every word of `text`, in any order, found in the child or a parent: a name
        however it is spelled (Kazakh, Russian or Latin letters; the stored name keys),
        an IIN or part of one, a date of birth, a phone however it is written. Without
        `parent_iin` (crisisunit.need_to_know), an IIN finds children only."""
        placements = self
        for term in search.parse_query(text):
            people, parents_only = _person_filter(term)
            by_iin = term.kind in (search.IIN, search.DIGITS)
            in_parents = parents_only if by_iin and not parent_iin else people | parents_only
            # Each table searched on its own (no join of every child with every parent).
            parents = ChildParent.objects.filter(
                parent__in=Parent.objects.filter(in_parents).values("pk")
            ).values("child_id")
            children = Child.objects.filter(people).values("pk")
            placements = placements.filter(
                models.Q(child__in=children) | models.Q(child__in=parents)
            )
        return placements

    # The placement list's sortable columns: sorted_by("age"), or "-age" reversed.
    SORT_COLUMNS = {
        "child": ["child__surname", "child__given_name"],
        "age": ["-child__date_of_birth"],
        "admitted": ["admitted_on"],
        "planned_end": ["planned_end_on"],
        "last_visit": ["last_visit_at"],
        "status": ["status", "outcome"],
    }

    def sort_names(self) -> list[str]:
        return [*self.SORT_COLUMNS, *(f"-{name}" for name in self.SORT_COLUMNS)]

    def sorted_by(self, sort: str) -> "PlacementQuerySet":
        """Ordered by a column of the list; a visit never made comes first in ascending
        order, last in descending. Columns that cannot be empty keep a plain order, so
        that their indexes serve it (NULLS FIRST/LAST would make PostgreSQL sort)."""
        reverse = sort.startswith("-")
        orders: list[Any] = []  # column names, and expressions where a column may be empty
        for field in self.SORT_COLUMNS[sort.lstrip("-")]:
            name = field.lstrip("-")
            descending = field.startswith("-") != reverse
            if name == "last_visit_at":
                column = models.F(name)
                orders.append(
                    column.desc(nulls_last=True) if descending else column.asc(nulls_first=True)
                )
            else:
                orders.append(f"-{name}" if descending else name)
        return self.order_by(*orders, "-pk")

    def with_reentry(self) -> "PlacementQuerySet":
        """Annotate `reentry_of` and `reentry_returned_on`: the child's earlier stay it
        went home from at most REENTRY_MONTHS before this admission (its pk and closing
        date), or None."""
        earlier = (
            self.model.objects.returned_home()
            .filter(
                child=models.OuterRef("child_id"), closed_on__lte=models.OuterRef("admitted_on")
            )
            .filter(months_between("closed_on", models.OuterRef("admitted_on")))
            .exclude(pk=models.OuterRef("pk"))  # admitted and gone home the same day
            .order_by("-closed_on", "-pk")
        )
        return self.annotate(
            reentry_of=models.Subquery(earlier.values("pk")[:1]),
            reentry_returned_on=models.Subquery(earlier.values("closed_on")[:1]),
        )

    def returned_then_back_in_care(self) -> "PlacementQuerySet":
        """Placements closed with the child returned whose child came back into care
        (a new admission) at most REENTRY_MONTHS after that return."""
        return self.returned_home().filter(came_back_into_care())

    def past_retention(self, today: datetime.date, years: int) -> "PlacementQuerySet":
        """Closed placements whose closing lies more than `years` years before `today`:
        the records the retention policy asks an administrator to review."""
        return self.closed().filter(closed_on__lt=add_months(today, -12 * years))

    def with_visit_reference(self) -> "PlacementQuerySet":
        """Annotate `visit_reference`: the last visit's date, or the admission's."""
        return self.with_last_visit_on().annotate(
            visit_reference=Coalesce("last_visit_on", "admitted_on")
        )

    def with_contact_attempts(self) -> "PlacementQuerySet":
        """Annotate `contact_attempts`: the calls, texts, messages and home visits
        logged since `visit_reference` (with_visit_reference)."""
        attempts = (
            Contact.objects.filter(
                placement=models.OuterRef("pk"),
                kind__in=Contact.ATTEMPTS,
                happened_on__gte=models.OuterRef("visit_reference"),
            )
            .order_by()
            .values("placement")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(contact_attempts=Coalesce(models.Subquery(attempts), 0))

    def overdue_for_visit(self, today: datetime.date) -> "PlacementQuerySet":
        """Active placements no parent has visited for more than VISIT_DUTY_DAYS days,
        counted from the last visit, or from admission when there was none."""
        limit = today - datetime.timedelta(days=settings.VISIT_DUTY_DAYS)
        return self.active().with_visit_reference().filter(visit_reference__lt=limit)

    def dashboard_counts(self, today: datetime.date) -> dict:
        """The dashboard's counts in one statement: active placements, overdue for a
        visit, not yet visited this week, terms ending within TERM_WARNING_DAYS and
        passed without an open application (as overdue_for_visit, not_visited_this_week,
        term_ending and term_passed_without_application select them), without a plan
        of work with the family past its deadline (as without_plan), and children
        returned home this calendar year."""
        limit = today - datetime.timedelta(days=settings.VISIT_DUTY_DAYS)
        active = models.Q(status=PlacementStatus.ACTIVE)
        ending = models.Q(
            planned_end_on__gte=today,
            planned_end_on__lte=today + datetime.timedelta(days=settings.TERM_WARNING_DAYS),
        )
        open_application = ReturnApplication.objects.open().filter(placement=models.OuterRef("pk"))
        not_this_week = models.Q(last_visit_on__isnull=True) | models.Q(
            last_visit_on__lt=week_start(today)
        )
        # Only the rows counted: the active stays and those closed this year.
        counted = active | models.Q(
            status=PlacementStatus.CLOSED, closed_on__gte=datetime.date(today.year, 1, 1)
        )
        return (
            self.filter(counted)
            .with_visit_reference()
            .aggregate(
                active=models.Count("pk", filter=active),
                overdue=models.Count("pk", filter=active & models.Q(visit_reference__lt=limit)),
                this_week=models.Count(
                    "pk", filter=active & models.Q(visit_reference__gte=limit) & not_this_week
                ),
                ending=models.Count("pk", filter=active & ending),
                passed=models.Count(
                    "pk",
                    filter=active
                    & models.Q(planned_end_on__lt=today)
                    & ~models.Q(models.Exists(open_application)),
                ),
                no_plan=models.Count(
                    "pk",
                    filter=active
                    & models.Q(
                        admitted_on__lt=today - datetime.timedelta(days=settings.PLAN_DUE_DAYS)
                    )
                    & ~models.Q(
                        models.Exists(FamilyPlan.objects.filter(placement=models.OuterRef("pk")))
                    ),
                ),
                returned=models.Count(
                    "pk",
                    filter=models.Q(
                        status=PlacementStatus.CLOSED,
                        outcome=PlacementOutcome.RETURNED,
                        closed_on__year=today.year,
                    ),
                ),
            )
        )

    def not_visited_this_week(self, today: datetime.date) -> "PlacementQuerySet":
        """Active placements not overdue for a visit, with none yet this week
        (Monday to Sunday)."""
        limit = today - datetime.timedelta(days=settings.VISIT_DUTY_DAYS)
        return (
            self.active()
            .with_visit_reference()
            .filter(visit_reference__gte=limit)
            .filter(
                models.Q(last_visit_on__isnull=True) | models.Q(last_visit_on__lt=week_start(today))
            )
        )


def _person_filter(term: search.Term) -> tuple[models.Q, models.Q]:
    """(what a child or a parent must match, what only a parent can match) for a term."""
    nothing = models.Q(pk__in=[])
    if term.kind == search.NAME:
        return models.Q(search_key__contains=term.value), nothing
    if term.kind == search.IIN:
        return models.Q(iin=term.value), nothing
    if term.kind == search.DIGITS:
        return models.Q(iin__contains=term.value), nothing
    if term.kind == search.DATE:
        return models.Q(date_of_birth=term.value), nothing
    return nothing, models.Q(phone=term.value)
