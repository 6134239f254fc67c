"""The Kazakhstan individual identification number (IIN, ЖСН / ИИН).

Government Decree No. 565 of 11 June 2003: 12 digits; 1-6 the birth date YYMMDD;
7 the century and sex (1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd male, even
female); 8-11 a serial; 12 a check digit (weights 1..11, mod 11; if 10, weights
3..11,1,2, mod 11; if 10 again the number is never issued).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MALE = "M"
FEMALE = "F"

_CENTURIES = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


@dataclass(frozen=True)
class IIN:
    number: str
    birth_date: datetime.date
    sex: str  # MALE or FEMALE


def check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits, or None when no IIN can have them."""
    digits = [int(c) for c in first_eleven]
    value = sum(w * d for w, d in zip(_FIRST_WEIGHTS, digits, strict=True)) % 11
    if value == 10:
        value = sum(w * d for w, d in zip(_SECOND_WEIGHTS, digits, strict=True)) % 11
    return None if value == 10 else value


def parse_iin(value: str, *, today: datetime.date | None = None) -> IIN:
    """Return the IIN's birth date and sex, or raise ValidationError saying what is wrong."""
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("An IIN contains digits only."), code="iin_digits")
    if len(value) != 12:
        raise ValidationError(
            _("An IIN has exactly 12 digits; this one has %(count)d."),
            code="iin_length",
            params={"count": len(value)},
        )
    century_digit = int(value[6])
    if century_digit not in _CENTURIES:
        raise ValidationError(
            _("The 7th digit of an IIN (century and sex) must be 1 to 6."),
            code="iin_century",
        )
    year = _CENTURIES[century_digit] + int(value[0:2])
    try:
        birth_date = datetime.date(year, int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(
            _("The first six digits of an IIN must be a real date of birth (YYMMDD)."),
            code="iin_date",
        ) from None
    if birth_date > (today or datetime.date.today()):
        raise ValidationError(_("This IIN gives a date of birth in the future."), code="iin_future")
    expected = check_digit(value[:11])
    if expected is None:
        raise ValidationError(
            _("No IIN is ever issued with these first 11 digits; please check the number."),
            code="iin_never_issued",
        )
    if expected != int(value[11]):
        raise ValidationError(
            _("The IIN's check digit does not match; please check the number."),
            code="iin_check_digit",
        )
    return IIN(value, birth_date, MALE if century_digit % 2 else FEMALE)


def validate_iin(value: str) -> None:
    """Model and form validator: an empty value is left to `blank`."""
    if value:
        parse_iin(value)
