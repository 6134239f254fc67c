import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends and reads ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(day: datetime.date | None) -> None:
    """Form-field validator for dates that have already happened."""
    if day and day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date-and-time picker (local time, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CapitalizedLabels:
    """Labels start with a capital letter, as Django does for model fields; the
    translated texts stay lowercase, as the models' verbose names are. A field that
    may be left empty says so in its label ("optional"), unless the whole form is a
    set of optional filters (`mark_optional = False`) or it is a checkbox."""

    mark_optional = True
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.label:
                continue
            field.label = capfirst(field.label)
            optional = not field.required and not isinstance(field.widget, forms.CheckboxInput)
            if self.mark_optional and optional:
                field.label = format_lazy("{} ({})", field.label, _("optional"))


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a refusal (a service's ValidationError) beside the fields it names that the
    form has, and above the form for the rest."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# The largest primary key a database column holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


class RecordsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records chosen by their ids, where an id too large for the column is an
    invalid choice like any unknown one: Django 5.2 guards single lookups against it,
    not `pk__in`, which SQLite then refuses with an OverflowError (a server error)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk).strip()
            if text.isdigit() and int(text) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]
