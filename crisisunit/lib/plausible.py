"""What a date or a name typed into the portal may plausibly be, so that a slip of the
keyboard (9999, year 1) or pasted control characters get a clear message instead of a
server error or a record nobody can read. The bounds are settings (crisisunit/settings.py):
DATES_EARLIEST, DATE_HORIZON_YEARS."""

import datetime
import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.dates import format_date

# Letters of any script (Kazakh, Russian, Latin…), in words joined by one space, hyphen
# or apostrophe: "Әлия", "Қасым-Жомарт", "O'Neil", "Д’Артаньян".
NAME = re.compile(r"[^\W\d_]+(?:[ \-'’ʼ][^\W\d_]+)*")


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February in a common year),
    held within the calendar's first and last day, so that an absurd date typed in
    is compared, not crashed on."""
    year = day.year - years
    if year < datetime.MINYEAR:
        return datetime.date.min
    if year > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def date_bounds(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    latest = years_before(today, -settings.DATE_HORIZON_YEARS)
    return settings.DATES_EARLIEST, latest


def validate_plausible_date(value: datetime.date | None) -> None:
    """Refuse a date (or the date of a date and time) outside the portal's bounds."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    earliest, latest = date_bounds()
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": format_date(earliest), "latest": format_date(latest)},
        )


def validate_name(value: str) -> None:
    """Refuse a name that is not letters, spaces, hyphens and apostrophes: digits,
    punctuation, control characters, zero-width joiners, direction overrides."""
    if value and not NAME.fullmatch(unicodedata.normalize("NFC", value)):
        raise ValidationError(
            _("A name may hold only letters, with spaces, hyphens or apostrophes between them."),
            code="name_characters",
        )


# Line breaks and tabs are text; every other control character, and every invisible
# formatting one (direction overrides and isolates, zero-width spaces and joiners, the
# byte-order mark), is not: U+202E shows "abcfdp.exe" as "abcexe.pdf" to the reader.
KEPT_CONTROLS = frozenset("\n\r\t")


def invisible_characters(value: str) -> list[str]:
    """The characters of `value` that a reader would not see as typed."""
    return [
        ch
        for ch in value
        if ch not in KEPT_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")
    ]


def validate_visible_text(value: str) -> None:
    """Refuse a free text (a note, an address, a reason, a page of the public site)
    holding a character the next reader would not see: a direction override can make
    a note or a file name say something else than it holds."""
    if value and invisible_characters(value):
        raise ValidationError(
            _(
                "The text holds an invisible control character (such as a change of "
                "writing direction); type it again or paste it as plain text."
            ),
            code="invisible_characters",
        )


def without_invisible_characters(value: str) -> str:
    """`value` less what `validate_visible_text` refuses: for a name the user did not
    type (an uploaded file's)."""
    hidden = set(invisible_characters(value))
    return "".join(ch for ch in value if ch not in hidden)


class PlausibleDateField(forms.DateField):
    """A form's date field that refuses dates outside the portal's bounds."""

    default_validators = [validate_plausible_date]
