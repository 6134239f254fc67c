"""The intake page: its forms, and the people already on file who may be the same.

Before a person is created, the records with the same IIN, or the same date of birth
and the same name however spelled, are offered instead; the user picks one or says
this is someone new (not possible when the IIN is the same: it identifies a person)."""

from django.core.exceptions import ValidationError

from crisisunit.lib.forms import add_refusal
from families.models import Child, Parent
from placements import forms
from placements.services import IntakeError, IntakeParent, placement_admit

__all__ = ["Intake", "IntakeError"]

NEW = "new"
# What an intake may bring that is newer than the record on file.
CONTACTS = ("phone", "address")


def differences(record, data):
    """The contacts typed at the intake that differ from the parent on file:
    (label, on file, typed) each."""
    return [
        (record._meta.get_field(name).verbose_name, getattr(record, name), data[name])
        for name in CONTACTS
        if data.get(name) and data[name] != getattr(record, name)
    ]


class Intake:
    def __init__(self, data=None, *, user):
        self.data = data or {}
        self.child = forms.ChildForm(data, prefix="child")
        self.parent1 = forms.ParentForm(data, prefix="parent1")
        self.parent2 = forms.SecondParentForm(data, prefix="parent2")
        self.placement = forms.IntakePlacementForm(data, prefix="placement", user=user)
        self.matches = {}  # part -> [records that may be the same person]
        self.chosen = {}  # part -> the existing record chosen, or None for a new one

    def people(self):
        """(part, form, model) of each person on the page that was filled in."""
        for part, form, model in (
            ("child", self.child, Child),
            ("parent1", self.parent1, Parent),
            ("parent2", self.parent2, Parent),
        ):
            if form.empty_permitted and not form.has_changed():
                continue
            yield part, form, model

    def forms(self):
        return [self.child, self.parent1, self.parent2, self.placement]

    def is_valid(self):
        # Every form validates, so each shows its errors at once.
        results = [form.is_valid() for form in self.forms()]
        return all(results)

    def matches_decided(self) -> bool:
        """Look for each person already on file. True when nobody was found, or the user
        has chosen, for each person found, an existing record or a new one."""
        decided = True
        for part, form, model in self.people():
            data = form.cleaned_data
            found = model.objects.possible_duplicates(
                iin=data.get("iin", ""),
                date_of_birth=data.get("date_of_birth"),
                surname=data.get("surname", ""),
                given_name=data.get("given_name", ""),
            )
            self.matches[part] = [
                {
                    "record": record,
                    "same_iin": bool(data.get("iin")) and record.iin == data["iin"],
                    "differs": differences(record, data) if model is Parent else [],
                }
                for record in found
            ]
            choice = self.data.get(f"{part}-existing", "")
            by_pk = {str(record.pk): record for record in found}
            if choice in by_pk:
                self.chosen[part] = by_pk[choice]
            elif not found or (choice == NEW and not self.same_iin(part)):
                self.chosen[part] = None
            else:
                decided = False
        return decided

    def same_iin(self, part) -> bool:
        return any(match["same_iin"] for match in self.matches.get(part, []))

    def keeps_typed(self, part) -> bool:
        """The user ticked: update the record on file with the contacts typed."""
        return self.data.get(f"{part}-update") == "1"

    def undecided(self, part) -> bool:
        return bool(self.matches.get(part)) and part not in self.chosen

    def admit(self, *, by):
        parents = []
        for part, form, _model in self.people():
            if part == "child":
                continue
            data = form.cleaned_data
            chosen = self.chosen.get(part)
            keep_typed = chosen is not None and self.keeps_typed(part)
            parents.append(
                IntakeParent(
                    parent=chosen or form.instance,
                    relation=data["relation"],
                    consent_given_on=data["consent_given_on"],
                    consent_covers=data["consent_covers"],
                    new_contacts={name: data.get(name, "") for name in CONTACTS}
                    if keep_typed
                    else None,
                )
            )
        return placement_admit(
            child=self.chosen.get("child") or self.child.instance,
            parents=parents,
            placement=self.placement.instance,
            seen={
                part: {match["record"].pk for match in matches}
                for part, matches in self.matches.items()
            },
            by=by,
        )

    def add_error(self, part, error: ValidationError):
        """Show a refusal beside the fields it concerns, in the part it came from."""
        add_refusal(getattr(self, part), error)
