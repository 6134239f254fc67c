"""Kazakhstan phone numbers, stored as +7XXXXXXXXXX.

Kazakhstan shares country code +7 with Russia; its numbers are the ones whose
ten-digit national number starts with 6 or 7 (mobile 70x/747/77x, Astana 7172...).
People write them as +7 701 123 45 67, 8 (701) 123-45-67, 87011234567 or 7011234567.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s()\-.]")
_CANONICAL = re.compile(r"^\+7[67][0-9]{9}$")


def normalize_kz_phone(value: str) -> str:
    """Return the number as +7XXXXXXXXXX, or raise ValidationError."""
    raw = _SEPARATORS.sub("", value or "")
    if raw.startswith("+"):
        digits = raw[1:]
        if not digits.startswith("7"):
            raise _invalid()
    else:
        digits = raw
        if len(digits) == 11 and digits[0] in "78":
            digits = "7" + digits[1:]
        elif len(digits) == 10:
            digits = "7" + digits
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 11:
        raise _invalid()
    number = "+" + digits
    if not _CANONICAL.match(number):
        raise _invalid()
    return number


def _invalid() -> ValidationError:
    return ValidationError(
        _("Enter a Kazakhstan phone number, for example +7 701 123 45 67."),
        code="phone",
    )


def validate_kz_phone(value: str) -> None:
    """Model validator: a stored number must already be in the canonical form."""
    if value and not _CANONICAL.match(value):
        raise _invalid()


class KzPhoneFormField(forms.CharField):
    """Accepts the ways people write a number and hands on the canonical form."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_kz_phone(value) if value else value


class KzPhoneField(models.CharField):
    """A CharField whose forms (admin included) normalise the number."""

    default_validators = [validate_kz_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", KzPhoneFormField)
        return super().formfield(**kwargs)
