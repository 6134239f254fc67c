"""Keeping in touch during a stay: the contact log (calls, texts, messages, home
visits, missed agreed visits, visits by relatives), the days a parent agreed to visit,
and the visitors other than the parents (a grandmother, an aunt)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from crisisunit.lib.phone import KzPhoneField
from crisisunit.lib.plausible import validate_name, validate_plausible_date, validate_visible_text
from families.models import Parent, Recorded


class Visitor(Recorded):
    """Someone other than a linked parent who visits the child or whom the home
    contacts: a relative, with the relation and a phone."""

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="visitors",
        verbose_name=_("placement"),
    )
    name = models.CharField(
        pgettext_lazy("a person's", "full name"), max_length=200, validators=[validate_name]
    )
    relation = models.CharField(
        _("relation to the child"),
        max_length=100,
        help_text=_("For example: grandmother."),
        validators=[validate_visible_text],
    )
    phone = KzPhoneField(_("phone"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.relation})"


class ContactKind(models.TextChoices):
    CALL = "call", _("phone call")
    TEXT = "text", _("text message")
    MESSENGER = "messenger", _("messenger message")
    HOME_VISIT = "home_visit", _("home visit")
    MISSED_VISIT = "missed_visit", _("missed agreed visit")
    RELATIVE_VISIT = "relative_visit", _("visit by a relative")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("reached")
    NOT_REACHED = "not_reached", _("not reached")


class Contact(Recorded):
    """One contact with a parent or a visitor, or an attempt at one."""

    Kind = ContactKind
    Outcome = ContactOutcome
    # Attempts to reach someone: they need an outcome.
    ATTEMPTS = (ContactKind.CALL, ContactKind.TEXT, ContactKind.MESSENGER, ContactKind.HOME_VISIT)

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("placement"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"), validators=[validate_plausible_date])
    parent = models.ForeignKey(
        Parent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("parent"),
    )
    visitor = models.ForeignKey(
        Visitor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("visitor"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ContactOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, validators=[validate_visible_text])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["placement", "happened_on"], name="contact_placement_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, visitor__isnull=False)
                | models.Q(parent__isnull=False, visitor__isnull=True),
                name="contact_with_a_parent_or_a_visitor",
                violation_error_message=_("Choose either a parent or a visitor."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on:%d.%m.%Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.placement_id and self.happened_on:
            try:
                self.placement.check_date_within(self.happened_on, "happened_on")
            except ValidationError as error:
                errors.update(error.message_dict)
        if bool(self.parent_id) == bool(self.visitor_id):
            errors["parent"] = _("Choose either a parent or a visitor.")
        elif self.parent_id and self.placement_id:
            self.placement.check_parent_of_child(self.parent_id, "parent")
        elif self.visitor_id and self.visitor.placement_id != self.placement_id:
            errors["visitor"] = _("Choose a visitor of this child.")
        if self.kind in self.ATTEMPTS and not self.outcome:
            errors["outcome"] = _("Say whether the person was reached.")
        if self.kind == ContactKind.MISSED_VISIT and not self.parent_id:
            errors["parent"] = _("Choose the parent who did not come.")
        if self.kind == ContactKind.RELATIVE_VISIT and not self.visitor_id:
            errors["visitor"] = _("Choose the relative who came.")
        if errors:
            raise ValidationError(errors)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AgreedVisitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class AgreedVisit(models.Model):
    """A day of the week (and an hour) a parent agreed to come; a changed agreement
    ends the old days (kept, with `ended_at`) and starts new ones."""

    Weekday = Weekday

    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="agreed_visits",
        verbose_name=_("placement"),
    )
    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="+", verbose_name=_("parent")
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    time = models.TimeField(_("time"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = AgreedVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreed visit day")
        verbose_name_plural = _("agreed visit days")
        ordering = ["weekday", "time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "parent", "weekday"],
                condition=models.Q(ended_at__isnull=True),
                name="agreed_visit_once_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="agreed_visit_weekday"
            ),
        ]

    def __str__(self):
        return self.get_weekday_display()
