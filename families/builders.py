"""One builder of a valid fictitious family: a child and one or two parents, unsaved,
each passing full_clean(). The demo, the synthetic data of the benchmarks and the test
fixtures all build their families here, so that a new rule of the model reaches all
three at once."""

import datetime
from dataclasses import dataclass, field

from crisisunit.lib.iin import check_digit
from families.models import RELATION_SEX, Child, Parent, Relation, Sex
from families.names import gendered

SERIAL_LETTERS = "абвгдежзик"


def serial_name(stem: str, serial: int) -> str:
    """A name told apart by a serial spelled in letters (names hold no digits):
    serial_name("Бала", 12) == "Бала-бв"."""
    return f"{stem}-{''.join(SERIAL_LETTERS[int(d)] for d in str(serial))}"


def fictitious_iin(birth_date: datetime.date, sex: str, serial: int) -> str:
    """A well-formed IIN for a fictitious person: the first serial from `serial` up
    whose check digit exists."""
    century = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100] + (sex == Sex.FEMALE)
    while True:
        first = f"{birth_date:%y%m%d}{century}{serial % 10_000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        serial += 1


def build_child(*, surname, given_name, date_of_birth, sex, iin="", **extra) -> Child:
    child = Child(
        surname=gendered(surname, sex),
        given_name=given_name,
        date_of_birth=date_of_birth,
        sex=sex,
        iin=iin,
        **extra,
    )
    child.set_search_key()  # ready for a write in bulk, which runs no clean()
    return child


def build_parent(
    *, surname, given_name, date_of_birth, relation=Relation.MOTHER, sex=None, iin="", **extra
) -> Parent:
    """A parent; the sex follows from a mother's or a father's relation (another legal
    representative is a woman unless `sex` says otherwise)."""
    sex = sex or RELATION_SEX.get(relation, Sex.FEMALE)
    parent = Parent(
        surname=gendered(surname, sex),
        given_name=given_name,
        date_of_birth=date_of_birth,
        sex=sex,
        iin=iin,
        **extra,
    )
    parent.set_search_key()
    return parent


@dataclass
class Family:
    child: Child
    parents: list[tuple[Parent, str]] = field(default_factory=list)  # (parent, relation)


def build_family(
    *,
    surname,
    child_name,
    child_sex,
    child_born,
    mother_name,
    mother_born,
    father_name=None,
    father_born=None,
    iin_serial=None,
    patronymics=("", "", ""),
    **parent_extra,
) -> Family:
    """A child with its mother, and its father when `father_name` is given; with IINs
    (fictitious, from `iin_serial` up) when a serial is given; `patronymics` of the
    child, the mother and the father."""

    def iin(born, sex, offset):
        return "" if iin_serial is None else fictitious_iin(born, sex, iin_serial + offset)

    child = build_child(
        surname=surname,
        given_name=child_name,
        date_of_birth=child_born,
        sex=child_sex,
        iin=iin(child_born, child_sex, 0),
        patronymic=patronymics[0],
    )
    family = Family(child)
    for offset, (relation, name, born, middle) in enumerate(
        [
            (Relation.MOTHER, mother_name, mother_born, patronymics[1]),
            (Relation.FATHER, father_name, father_born, patronymics[2]),
        ],
        start=1,
    ):
        if name:
            parent = build_parent(
                surname=surname,
                given_name=name,
                date_of_birth=born,
                relation=relation,
                patronymic=middle,
                iin=iin(born, RELATION_SEX[relation], offset * 3),
                **parent_extra,
            )
            family.parents.append((parent, relation))
    return family
