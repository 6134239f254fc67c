"""A child's stay in the home: the placement, its term extensions, and the named
filters the workspace, the reminders and the figures use."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)
from django.db.models.lookups import Exact, LessThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from crisisunit import roles
from crisisunit.lib import search
from crisisunit.lib.dates import add_months, format_date, week_start
from crisisunit.lib.plausible import validate_plausible_date, validate_visible_text, years_before
from families.models import Child, ChildParent, Parent
from placements.models.applications import ReturnApplication
from placements.models.choices import PlacementOutcome, PlacementStatus
from placements.models.contacts import Contact
from placements.models.followups import FollowUp


def came_back_into_care():
    """A condition on a closed placement: its child was admitted again at most
    REENTRY_MONTHS after its closing (see months_between)."""
    later = Placement.objects.filter(
        child=models.OuterRef("child_id"), admitted_on__gte=models.OuterRef("closed_on")
    ).filter(months_between(models.OuterRef("closed_on"), "admitted_on"))
    return models.Exists(later.exclude(pk=models.OuterRef("pk")))


def default_planned_end(admitted_on: datetime.date) -> datetime.date:
    """The end of the first term: admission + PLACEMENT_TERM_MONTHS."""
    return add_months(admitted_on, settings.PLACEMENT_TERM_MONTHS)


def months_between(earlier, later):
    """A condition: `later` falls at most REENTRY_MONTHS calendar months after `earlier`
    (both date expressions; `later` not before `earlier`). Counted as add_months does:
    10 March to 10 March a year on is within 12 months, 11 March is not; 29 February
    to 28 February is."""
    months = settings.REENTRY_MONTHS
    earlier, later = _expression(earlier), _expression(later)
    gap = (ExtractYear(later) * 12 + ExtractMonth(later)) - (
        ExtractYear(earlier) * 12 + ExtractMonth(earlier)
    )
    same_day_or_before = LessThanOrEqual(ExtractDay(later), ExtractDay(earlier))
    return models.Q(LessThan(gap, months)) | (
        models.Q(Exact(gap, months)) & models.Q(same_day_or_before)
    )


def _expression(value):
    return models.F(value) if isinstance(value, str) else value


class PlacementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Placement.Status.ACTIVE)

    def closed(self):
        return self.filter(status=Placement.Status.CLOSED)

    def with_last_visit_on(self):
        """Annotate `last_visit_on`: the local date of the latest visit, None when none,
        from the placement's own `last_visit_at` (kept by the visit services), so that
        the dashboard's counts read no visit at all."""
        tz = timezone.get_current_timezone()
        return self.annotate(last_visit_on=TruncDate("last_visit_at", tzinfo=tz))

    def returned_home(self):
        return self.closed().filter(outcome=Placement.Outcome.RETURNED)

    def assigned_to(self, user):
        return self.filter(social_worker=user)

    def term_ending(self, today: datetime.date, days: int):
        """Active placements whose planned end falls within the next `days` days."""
        return self.active().filter(
            planned_end_on__gte=today, planned_end_on__lte=today + datetime.timedelta(days=days)
        )

    def term_passed_without_application(self, today: datetime.date):
        """Active placements past their planned end with no open return application."""
        open_application = ReturnApplication.objects.open().filter(placement=models.OuterRef("pk"))
        return (
            self.active().filter(planned_end_on__lt=today).exclude(models.Exists(open_application))
        )

    def search(self, text: str, *, parent_iin: bool):
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

    def sort_names(self):
        return [*self.SORT_COLUMNS, *(f"-{name}" for name in self.SORT_COLUMNS)]

    def sorted_by(self, sort: str):
        """Ordered by a column of the list; a visit never made comes first in ascending
        order, last in descending. Columns that cannot be empty keep a plain order, so
        that their indexes serve it (NULLS FIRST/LAST would make PostgreSQL sort)."""
        reverse = sort.startswith("-")
        orders = []
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

    def with_reentry(self):
        """Annotate `reentry_of` and `reentry_returned_on`: the child's earlier stay it
        went home from at most REENTRY_MONTHS before this admission (its pk and closing
        date), or None."""
        earlier = (
            Placement.objects.returned_home()
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

    def returned_then_back_in_care(self):
        """Placements closed with the child returned whose child came back into care
        (a new admission) at most REENTRY_MONTHS after that return."""
        return self.returned_home().filter(came_back_into_care())

    def past_retention(self, today: datetime.date, years: int):
        """Closed placements whose closing lies more than `years` years before `today`:
        the records the retention policy asks an administrator to review."""
        return self.closed().filter(closed_on__lt=add_months(today, -12 * years))

    def with_visit_reference(self):
        """Annotate `visit_reference`: the last visit's date, or the admission's."""
        return self.with_last_visit_on().annotate(
            visit_reference=Coalesce("last_visit_on", "admitted_on")
        )

    def with_contact_attempts(self):
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

    def overdue_for_visit(self, today: datetime.date):
        """Active placements no parent has visited for more than VISIT_DUTY_DAYS days,
        counted from the last visit, or from admission when there was none."""
        limit = today - datetime.timedelta(days=settings.VISIT_DUTY_DAYS)
        return self.active().with_visit_reference().filter(visit_reference__lt=limit)

    def dashboard_counts(self, today: datetime.date) -> dict:
        """The dashboard's counts in one statement: active placements, overdue for a
        visit, not yet visited this week, terms ending within TERM_WARNING_DAYS and
        passed without an open application (as overdue_for_visit, not_visited_this_week,
        term_ending and term_passed_without_application select them), and children
        returned home this calendar year."""
        limit = today - datetime.timedelta(days=settings.VISIT_DUTY_DAYS)
        active = models.Q(status=Placement.Status.ACTIVE)
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
            status=Placement.Status.CLOSED, closed_on__gte=datetime.date(today.year, 1, 1)
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
                returned=models.Count(
                    "pk",
                    filter=models.Q(
                        status=Placement.Status.CLOSED,
                        outcome=Placement.Outcome.RETURNED,
                        closed_on__year=today.year,
                    ),
                ),
            )
        )

    def not_visited_this_week(self, today: datetime.date):
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


def _person_filter(term):
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


class Placement(models.Model):
    """One temporary stay of a child in the home, from admission to closing."""

    Status = PlacementStatus

    class ReferralSource(models.TextChoices):
        MOTHER_AND_CHILD = (
            "mother_and_child",
            _("mother-and-child department, Public Health Department of Astana"),
        )
        GUARDIANSHIP = (
            "guardianship",
            _("guardianship and custody department, Education Department of Astana"),
        )
        OTHER = "other", _("other")

    class CrisisReason(models.TextChoices):
        RELATIONSHIP = "relationship", _("relationship breakdown leaving no material support")
        CRIMINAL = "criminal", _("criminal proceedings or imprisonment")
        MEDICAL = "medical", _("long-term medical treatment")
        HOUSING = "housing", _("housing")
        OTHER = "other", _("other")

    Outcome = PlacementOutcome

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="placements", verbose_name=_("child")
    )
    admitted_on = models.DateField(_("admission date"), validators=[validate_plausible_date])
    planned_end_on = models.DateField(
        _("planned end date"),
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Left empty, it is the admission date plus the standard term."),
    )
    referral_source = models.CharField(
        _("referred by"), max_length=30, choices=ReferralSource.choices
    )
    referral_number = models.CharField(
        _("referral document number"), max_length=50, blank=True, validators=[validate_visible_text]
    )
    referral_date = models.DateField(
        _("referral document date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    crisis_reason = models.CharField(
        _("crisis reason"), max_length=20, choices=CrisisReason.choices
    )
    crisis_notes = models.TextField(
        _("notes on the crisis"), blank=True, validators=[validate_visible_text]
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_placements",
        verbose_name=_("assigned social worker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, editable=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False
    )
    # The latest visit's date and time, kept by the visit services
    # (placements/visit_summary.py) so that lists and counts need not look at the visits.
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True, editable=False)
    closed_on = models.DateField(
        _("closing date"),
        null=True,
        blank=True,
        editable=False,
        validators=[validate_plausible_date],
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Set on a placement brought in from a spreadsheet: the import's log entry.
    imported = models.ForeignKey(
        "placements.CaseloadImport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("imported from"),
        editable=False,
    )

    objects = PlacementQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["last_visit_at"])  # derived, not edited

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-admitted_on", "-pk"]
        indexes = [
            # The lists, newest admission first; the indicators' placements opened.
            models.Index(fields=["-admitted_on", "-id"], name="placement_admitted"),
            # Placements closed in a period: the indicators, the public figures by
            # year, the retention report; on PostgreSQL with what they count, so that
            # the cold statistics page reads the index alone.
            models.Index(
                fields=["closed_on"],
                include=["status", "outcome", "crisis_reason", "admitted_on", "id"],
                name="placement_closed_on",
            ),
        ]
        permissions = [
            ("export_placements", _("Can export placements and visits")),
            ("export_personal_data", _("Can include names and IINs in exports")),
            ("view_indicators", _("Can see the unit's indicators")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status=PlacementStatus.ACTIVE),
                name="placement_one_active_per_child",
                violation_error_message=_("This child already has an active placement."),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end_on__gt=models.F("admitted_on")),
                name="placement_end_after_admission",
                violation_error_message=_("The planned end date must be after the admission."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=PlacementStatus.ACTIVE,
                        outcome="",
                        closed_on__isnull=True,
                        closed_by__isnull=True,
                    )
                    | models.Q(
                        status=PlacementStatus.CLOSED,
                        outcome__in=PlacementOutcome.values,
                        closed_on__gte=models.F("admitted_on"),
                        closed_by__isnull=False,
                    )
                ),
                name="placement_closing_complete",
                violation_error_message=_(
                    "A closed placement needs an outcome, a closing date and who closed it."
                ),
            ),
        ]

    def __str__(self):
        return _("%(child)s, admitted %(date)s") % {
            "child": self.child,
            "date": format_date(self.admitted_on),
        }

    def get_absolute_url(self):
        return reverse("placements:detail", args=[self.pk])

    # Fields whose change makes clean() check what a stay's records and rules hold.
    WATCHED = ("admitted_on", "closed_on", "social_worker_id")

    @classmethod
    def from_db(cls, db, field_names, values):
        placement = super().from_db(db, field_names, values)
        placement._stored = {
            name: value for name, value in zip(field_names, values, strict=True)
            if name in cls.WATCHED
        }  # fmt: skip
        return placement

    def changed(self, attname: str) -> bool:
        """Whether `attname` differs from what was read from the database (always true
        for a new placement)."""
        stored = getattr(self, "_stored", {})
        return attname not in stored or stored[attname] != getattr(self, attname)

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = self._window_errors()
        chosen = self.social_worker_id and self.changed("social_worker_id")
        if chosen and not roles.may_be_assigned(self.social_worker):
            errors["social_worker"] = self.NOT_ASSIGNABLE % {"name": self.social_worker}
        if self.admitted_on:
            if self.admitted_on > today:
                errors["admitted_on"] = _("The admission date cannot be in the future.")
            elif self.planned_end_on is None:
                self.planned_end_on = default_planned_end(self.admitted_on)
            if "admitted_on" in errors or not self.child_id:
                pass
            elif refusal := self.admission_refusal(self.child.date_of_birth):
                errors["admitted_on"] = refusal
            elif self._overlapping().exists():
                errors["admitted_on"] = self.OVERLAPPING
        if self.referral_date and self.referral_date > today:
            errors["referral_date"] = _("The referral document cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)

    OVERLAPPING = _("This child has another placement over these dates.")
    NOT_ASSIGNABLE = _("%(name)s is not an active social worker.")

    def _window_errors(self) -> dict:
        """check_stay_window on the dates this save changes, as field errors."""
        errors = {}
        for field in ("admitted_on", "closed_on"):
            if self.pk and getattr(self, field) and self.changed(field):
                try:
                    self.check_stay_window(**{field: getattr(self, field)})
                except ValidationError as error:
                    errors[field] = error
        return errors

    def check_stay_window(
        self, *, admitted_on: datetime.date | None = None, closed_on: datetime.date | None = None
    ) -> None:
        """The stay window: every dated record of the stay (visits, consultations,
        contacts, return applications) falls between the admission and the closing.
        Refuse (ValidationError) admitting on `admitted_on` when a record is dated
        before it, or closing on `closed_on` when one is dated after it."""
        if admitted_on and self._records_dated(before=admitted_on):
            raise ValidationError(
                _("Records of this stay (visits, consultations, contacts, applications) "
                  "are dated before %(date)s.") % {"date": format_date(admitted_on)},
                code="admission_date",
            )  # fmt: skip
        if closed_on and self._records_dated(after=closed_on):
            raise ValidationError(
                _("Records of this stay (visits, consultations, contacts, applications) "
                  "are dated after %(date)s.") % {"date": format_date(closed_on)},
                code="closing_date",
            )  # fmt: skip

    def _records_dated(self, *, before=None, after=None) -> bool:
        dated = [
            (self.visits.all(), "visited_at__date"),  # a local date (the current zone)
            (self.consultations.all(), "held_on"),
            (Contact.objects.filter(placement=self), "happened_on"),
            (self.return_applications.all(), "filed_on"),
        ]
        bound, day = ("lt", before) if before else ("gt", after)
        return any(records.filter(**{f"{name}__{bound}": day}).exists() for records, name in dated)

    def check_closing(self, *, outcome: str, on: datetime.date) -> None:
        """Refuse (ValidationError) closing this stay with `outcome` on `on`: an outcome
        is required, and the date falls between the admission and today."""
        if outcome not in PlacementOutcome.values:
            raise ValidationError(_("Choose an outcome."), code="outcome")
        if on < self.admitted_on or on > timezone.localdate():
            raise ValidationError(
                _("The closing date must be between the admission and today."),
                code="closing_date",
            )

    def overlaps(self, admitted_on: datetime.date, closed_on: datetime.date | None) -> bool:
        """Whether this stay overlaps another of the child's, from `admitted_on` to
        `closed_on` (None: not closed): the rule _overlapping asks the database, for
        stays not saved yet (an import's rows). A stay may begin the day another ends."""
        ends_after = closed_on is None or closed_on > self.admitted_on
        return ends_after and (self.closed_on is None or admitted_on < self.closed_on)

    def pending_follow_ups_of_earlier_stays(self):
        """The re-entry rule's records: the follow-ups still pending after an earlier
        stay of this child that closed by this admission. A child back in care will not
        have them; placements.services closes them, saying why (reentry_reason)."""
        return FollowUp.objects.filter(
            placement__child=self.child_id,
            placement__closed_on__lte=self.admitted_on,
            done_on__isnull=True,
            missed_reason="",
        ).exclude(placement=self.pk)

    def reentry_reason(self) -> str:
        return _("The child came back into care on %(date)s.") % {
            "date": format_date(self.admitted_on)
        }

    def admission_refusal(self, date_of_birth: datetime.date):
        """Why a child born on `date_of_birth` cannot be admitted on this admission
        date, or None."""
        if self.admitted_on < date_of_birth:
            return _("The admission date is before the child's birth.")
        if self.admitted_on >= years_before(date_of_birth, -settings.ADMISSION_MAX_AGE_YEARS):
            years = settings.ADMISSION_MAX_AGE_YEARS
            return ngettext(
                "On this date the child was already %(years)s year old; "
                "the unit admits children only.",
                "On this date the child was already %(years)s years old; "
                "the unit admits children only.",
                years,
            ) % {"years": years}
        return None

    def weekly_visit_record(self, visit_days, today: datetime.date):
        """Each week (Monday to Sunday) of the stay with whether a parent visited, and
        the share of weeks visited. A week counts once it is over, or the stay ended in
        it, or it already has a visit; the week under way without a visit does not yet."""
        visit_days = set(visit_days)
        last_day = self.closed_on or today
        weeks = []
        monday = week_start(self.admitted_on)
        while monday <= last_day:
            sunday = monday + datetime.timedelta(days=6)
            visited = any(monday + datetime.timedelta(days=i) in visit_days for i in range(7))
            counts = visited or sunday < today or self.closed_on is not None
            weeks.append({"start": monday, "end": sunday, "visited": visited, "counts": counts})
            monday += datetime.timedelta(days=7)
        counted = [w for w in weeks if w["counts"]]
        rate = sum(w["visited"] for w in counted) / len(counted) if counted else None
        return weeks, rate

    def _overlapping(self):
        others = Placement.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        overlapping = others.filter(
            models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=self.admitted_on)
        )
        if self.closed_on:
            overlapping = overlapping.filter(admitted_on__lt=self.closed_on)
        return overlapping

    def check_date_within(self, day: datetime.date, field: str):
        """Raise a ValidationError on `field` unless `day` falls inside this stay
        and is not later than today."""
        if day > timezone.localdate():
            raise ValidationError({field: _("The date cannot be in the future.")})
        if day < self.admitted_on:
            raise ValidationError(
                {
                    field: _("The date is before the admission on %(date)s.")
                    % {"date": format_date(self.admitted_on)}
                }
            )
        if self.closed_on and day > self.closed_on:
            raise ValidationError(
                {
                    field: _("The date is after the placement closed on %(date)s.")
                    % {"date": format_date(self.closed_on)}
                }
            )

    def check_parent_of_child(self, parent_id, field: str):
        """Raise a ValidationError on `field` unless the parent is linked to this child."""
        if not ChildParent.objects.filter(child_id=self.child_id, parent_id=parent_id).exists():
            raise ValidationError(
                {field: _("This person is not recorded as a parent of the child.")}
            )


class TermExtension(models.Model):
    """A longer term for a placement: the new end, the reason, the basis and who granted it."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("placement")
    )
    previous_end_on = models.DateField(
        _("previous end date"), editable=False, validators=[validate_plausible_date]
    )
    new_end_on = models.DateField(_("new planned end date"), validators=[validate_plausible_date])
    reason = models.TextField(_("reason"), validators=[validate_visible_text])
    basis_number = models.CharField(
        _("basis document number"), max_length=50, validators=[validate_visible_text]
    )
    basis_date = models.DateField(_("basis document date"), validators=[validate_plausible_date])
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term extension")
        verbose_name_plural = _("term extensions")
        ordering = ["placement", "granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_end_on__gt=models.F("previous_end_on")),
                name="termextension_moves_end_later",
                violation_error_message=_("The new end date must be after the current one."),
            ),
        ]

    def __str__(self):
        return _("Extended to %(date)s") % {"date": format_date(self.new_end_on)}

    def clean(self):
        super().clean()
        if self.basis_date and self.basis_date > timezone.localdate():
            raise ValidationError({"basis_date": _("The date cannot be in the future.")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for the extension.")})
        if self.previous_end_on and self.new_end_on and self.new_end_on <= self.previous_end_on:
            raise ValidationError(
                {
                    "new_end_on": _("The new end date must be after the current one (%(date)s).")
                    % {"date": format_date(self.previous_end_on)}
                }
            )
        if self.previous_end_on and self.new_end_on:
            latest = add_months(self.previous_end_on, settings.EXTENSION_MAX_MONTHS)
            if self.new_end_on > latest:
                raise ValidationError(
                    {
                        "new_end_on": _(
                            "A term is extended by at most %(months)s months at a time: "
                            "until %(date)s."
                        )
                        % {"months": settings.EXTENSION_MAX_MONTHS, "date": format_date(latest)}
                    }
                )
