"""The people: children in care, their parents, and the parents' consent to data processing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crisisunit.lib import iin as iin_lib
from crisisunit.lib.dates import format_date
from crisisunit.lib.names import name_key
from crisisunit.lib.phone import KzPhoneField
from crisisunit.lib.plausible import (
    validate_name,
    validate_plausible_date,
    validate_visible_text,
    years_before,
)

# What the admin searches a person by.
PERSON_SEARCH = ["surname", "given_name", "patronymic", "iin"]


class Sex(models.TextChoices):
    FEMALE = iin_lib.FEMALE, _("female")
    MALE = iin_lib.MALE, _("male")


class PersonQuerySet(models.QuerySet):
    def possible_duplicates(self, *, iin="", date_of_birth=None, surname="", given_name=""):
        """Records that may be this same person, as a list: the same IIN, or the same date
        of birth with the same surname and given name however they are spelled (case,
        Kazakh or Russian letters, Latin transliteration; see crisisunit.lib.names)."""
        found = list(self.filter(iin=iin)) if iin else []
        if date_of_birth and surname and given_name:
            wanted = sorted([name_key(surname), name_key(given_name)])
            for person in self.filter(date_of_birth=date_of_birth):
                if sorted([name_key(person.surname), name_key(person.given_name)]) == wanted:
                    found.append(person)
        return list(dict.fromkeys(found))


class Person(models.Model):
    """What a child and a parent have in common: a name, an IIN, a birth date and sex."""

    surname = models.CharField(_("surname"), max_length=100, validators=[validate_name])
    given_name = models.CharField(_("given name"), max_length=100, validators=[validate_name])
    patronymic = models.CharField(
        _("patronymic"), max_length=100, blank=True, validators=[validate_name]
    )
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        blank=True,
        validators=[iin_lib.validate_iin],
        help_text=_("Individual identification number, 12 digits; leave empty if unknown."),
    )
    date_of_birth = models.DateField(
        _("date of birth"), validators=[validate_plausible_date], db_index=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The name's spelling-blind keys, "surname given patronymic", for the search
    # (Placement.objects.search); derived from the name by clean(), never typed.
    search_key = models.CharField(max_length=320, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["surname", "given_name", "patronymic"]

    def __str__(self):
        return self.full_name

    @property
    def short_name(self):
        """Given name and the surname's initial, for messages that leave the portal."""
        return f"{self.given_name} {self.surname[:1]}."

    @property
    def full_name(self):
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    def set_search_key(self):
        names = (self.surname, self.given_name, self.patronymic)
        self.search_key = " ".join(key for key in map(name_key, names) if key)

    def clean(self):
        """Say clearly when the IIN disagrees with the date of birth or sex typed beside it."""
        self.set_search_key()
        super().clean()
        errors = {}
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        if self.iin:
            try:
                parsed = iin_lib.parse_iin(self.iin)
            except ValidationError:
                parsed = None  # the field's own validator reports it
            if parsed and self.date_of_birth and parsed.birth_date != self.date_of_birth:
                errors["date_of_birth"] = ValidationError(
                    _("The IIN gives the date of birth %(date)s, which differs from this one."),
                    code="iin_mismatch",
                    params={"date": format_date(parsed.birth_date)},
                )
            if parsed and self.sex and parsed.sex != self.sex:
                errors["sex"] = ValidationError(
                    _("The IIN gives the sex %(sex)s, which differs from this one."),
                    code="iin_mismatch",
                    params={"sex": Sex(parsed.sex).label},
                )
        if errors:
            raise ValidationError(errors)


def _iin_constraints(prefix):
    return [
        models.UniqueConstraint(
            fields=["iin"],
            condition=~models.Q(iin=""),
            name=f"{prefix}_iin_unique_when_present",
            violation_error_message=_("A record with this IIN already exists."),
        ),
        models.CheckConstraint(
            condition=models.Q(iin="") | models.Q(Exact(Length("iin"), 12)),
            name=f"{prefix}_iin_empty_or_12",
        ),
    ]


class Parent(Person):
    """A mother, father or other legal representative of a child in care."""

    phone = KzPhoneField(_("phone"), blank=True, db_index=True)
    address = models.TextField(_("address"), blank=True, validators=[validate_visible_text])

    history = HistoricalRecords(excluded_fields=["search_key"])  # derived, not edited

    class Meta(Person.Meta):
        verbose_name = _("parent")
        verbose_name_plural = _("parents")
        constraints = _iin_constraints("parent")
        # Medical staff work with the child and need no parent's IIN.
        permissions = [
            ("view_parent_iin", _("Can see parents' IINs")),
            ("change_parent_contacts", _("Can update parents' phones and addresses")),
        ]


class Child(Person):
    """A child taken into the crisis unit's temporary care."""

    parents: "models.ManyToManyField[Parent, ChildParent]" = models.ManyToManyField(
        Parent, through="ChildParent", related_name="children", verbose_name=_("parents")
    )

    history = HistoricalRecords(excluded_fields=["search_key"])  # derived, not edited

    class Meta(Person.Meta):
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = _iin_constraints("child")


class Relation(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    REPRESENTATIVE = "representative", _("other legal representative")


# The sex a relation implies; a legal representative may be of either.
RELATION_SEX: dict[str, str] = {Relation.MOTHER: Sex.FEMALE, Relation.FATHER: Sex.MALE}


class ChildParent(models.Model):
    """The link between a child and one parent, with the relation."""

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="parent_links", verbose_name=_("child")
    )
    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="child_links", verbose_name=_("parent")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("child's parent")
        verbose_name_plural = _("children's parents")
        ordering = ["child", "relation"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "parent"],
                name="childparent_once",
                violation_error_message=_("This parent is already linked to this child."),
            ),
            models.UniqueConstraint(
                fields=["child", "relation"],
                condition=models.Q(relation__in=["mother", "father"]),
                name="childparent_one_mother_one_father",
                violation_error_message=_("This child already has a parent with this relation."),
            ),
        ]

    def __str__(self):
        return f"{self.parent} ({self.get_relation_display()}) — {self.child}"

    def clean(self):
        super().clean()
        # The people may be unsaved yet (an import checks a link before writing it).
        parent, child = getattr(self, "parent", None), getattr(self, "child", None)
        expected = RELATION_SEX.get(self.relation)
        if expected and parent and parent.sex != expected:
            raise ValidationError(
                {
                    "relation": ValidationError(
                        _("The relation does not match the parent's recorded sex."),
                        code="relation_sex",
                    )
                }
            )
        if parent and child:
            self._check_parent_age()
        if self.pk is not None:
            self._check_not_moved()

    def _check_parent_age(self):
        """A mother or father is born PARENT_AGE_MIN to PARENT_AGE_MAX years before the
        child; a legal representative at least PARENT_AGE_MIN years before."""
        born, child_born = self.parent.date_of_birth, self.child.date_of_birth
        if not born or not child_born:
            return
        youngest, oldest = settings.PARENT_AGE_MIN, settings.PARENT_AGE_MAX
        too_young = born > years_before(child_born, youngest)
        too_old = self.relation in RELATION_SEX and born < years_before(child_born, oldest)
        if too_young or too_old:
            message = (
                _("A mother or father is born %(youngest)s to %(oldest)s years before the child.")
                if self.relation in RELATION_SEX
                else _(
                    "A legal representative is born at least %(youngest)s years before the child."
                )
            )
            raise ValidationError(
                {"parent": ValidationError(message % {"youngest": youngest, "oldest": oldest})},
                code="parent_age",
            )

    def _check_not_moved(self):
        """Once a visit, consultation or return application names this parent for this
        child, the link cannot be pointed at another child or parent: those records
        would then belong to someone who is not the child's parent."""
        saved = ChildParent.objects.filter(pk=self.pk).values("child_id", "parent_id").first()
        if saved is None or (saved["child_id"], saved["parent_id"]) == (
            self.child_id,
            self.parent_id,
        ):
            return
        if self._referred_to(saved["child_id"], saved["parent_id"]):
            raise ValidationError(
                _(
                    "Visits, consultations or applications already name this parent for this "
                    "child, so the link cannot be moved to another person. Link the right "
                    "person as well instead."
                ),
                code="link_in_use",
            )

    @staticmethod
    def _referred_to(child_id, parent_id) -> bool:
        from django.apps import apps  # placements builds on families, not the reverse

        for model, parent_field in (
            ("Visit", "parent"),
            ("Consultation", "parent"),
            ("ReturnApplication", "applicant"),
        ):
            records = apps.get_model("placements", model).objects.filter(
                placement__child_id=child_id, **{f"{parent_field}_id": parent_id}
            )
            if records.exists():
                return True
        return False


class Recorded(models.Model):
    """Who recorded a record and when: the person whose service call saved it."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        abstract = True


class Consent(Recorded):
    """A parent's consent to the processing of personal data (Law 94-V, Art. 8)."""

    parent = models.ForeignKey(
        Parent, on_delete=models.PROTECT, related_name="consents", verbose_name=_("parent")
    )
    given_on = models.DateField(_("given on"), validators=[validate_plausible_date])
    covers = models.TextField(
        _("what it covers"),
        help_text=_(
            "The data and purposes consented to, the term, and whether data go to third parties."
        ),
        validators=[validate_visible_text],
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    withdrawal_reason = models.TextField(
        _("reason for the withdrawal"), blank=True, validators=[validate_visible_text]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent to data processing")
        verbose_name_plural = _("consents to data processing")
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("Consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self):
        return _("Consent of %(parent)s from %(date)s") % {
            "parent": self.parent,
            "date": format_date(self.given_on),
        }

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.given_on and self.given_on > today:
            raise ValidationError(
                {"given_on": _("Consent cannot be recorded as given in the future.")}
            )
        if self.withdrawn_on and self.withdrawn_on > today:
            raise ValidationError(
                {"withdrawn_on": _("A withdrawal cannot be dated in the future.")}
            )
        if self.withdrawn_on and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError(
                {"withdrawn_on": _("Consent cannot be withdrawn before it was given.")}
            )
        if self.withdrawn_on and not (self.withdrawal_reason or "").strip():
            raise ValidationError(
                {"withdrawal_reason": _("Give the reason the parent gave for the withdrawal.")}
            )

    @property
    def is_valid(self) -> bool:
        """Given and not withdrawn."""
        return self.withdrawn_on is None
