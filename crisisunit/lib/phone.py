"""Kazakhstan phone numbers, stored as +7XXXXXXXXXX (E.164).

People write them as +7 701 123 45 67, 8 (701) 123-45-67, 8-701-010-30-06, 87011234567
or 7011234567; Google's libphonenumber (the `phonenumbers` package) reads each of
them and says whether the number is a Kazakhstan one (Kazakhstan shares the country
code +7 with Russia). Only digits, spaces, brackets, dashes, dots and one leading +
are taken: letters are refused, not read as a keypad's digits.
"""

import re
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_WRITTEN = re.compile(r"^\+?[0-9\s().\-]+$")
_CANONICAL = re.compile(r"^\+7[67][0-9]{9}$")
# The longest way of writing a number that is still a number: what a form accepts.
WRITTEN_MAX_LENGTH = 32


def normalize_kz_phone(value: str) -> str:
    """Return the number as +7XXXXXXXXXX, or raise ValidationError."""
    value = (value or "").strip()
    if not _WRITTEN.match(value) or len(value) > WRITTEN_MAX_LENGTH:
        raise _invalid()
    try:
        number = phonenumbers.parse(value, "KZ")
    except phonenumbers.NumberParseException:
        raise _invalid() from None
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.region_code_for_number(number) != "KZ"
    ):
        raise _invalid()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_kz_phone(stored: str) -> str:
    """A stored number as people read it: +7 701 123 4567, +7 7172 55 66 77."""
    try:
        number = phonenumbers.parse(stored, "KZ")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


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
    """Accepts the ways people write a number and hands on the canonical form. Its
    input is as long as a number may be written, so typing is never cut short."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = WRITTEN_MAX_LENGTH
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}

    def to_python(self, value: Any) -> str | None:
        value = super().to_python(value)
        return normalize_kz_phone(value) if value else value


class KzPhoneField(models.CharField):  # type: ignore[type-arg]
    """A CharField whose forms (admin included) normalise the number."""

    default_validators = [validate_kz_phone]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("form_class", KzPhoneFormField)
        return super().formfield(**kwargs)
