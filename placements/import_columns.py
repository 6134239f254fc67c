"""The columns of a caseload spreadsheet (one row per stay: the child, one parent, the
placement, its visits), how their headings are recognised in Kazakh, Russian or English,
how each cell's value is read, and the empty template workbook that explains them."""

import datetime
import functools
import io
import re
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.phone import normalize_kz_phone
from crisisunit.lib.tabular import MAX_CELL_LENGTH, Formula
from families.models import Child, ChildParent, Parent, Relation, Sex
from placements.models import Placement

LANGUAGES = ("kk", "ru", "en")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")
TIME_FORMATS = ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
# A visit written as a date alone: the hour it is recorded at, and its length.
VISIT_HOUR = 12
VISIT_MINUTES = 60


class CellError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Column:
    code: str
    label: object  # lazy text, in the language of the moment
    kind: str  # text, date, choice, iin, phone, dates, user
    required: bool = False
    choices: tuple = ()
    help: object = ""
    example: str = ""


def _person_label(who, model, field):
    return format_lazy("{}: {}", who, model._meta.get_field(field).verbose_name)


def _placement_label(field):
    return capfirst(Placement._meta.get_field(field).verbose_name)


def _person_columns(prefix, model, who, required, example):
    surname, given, dob, sex, iin = example
    return [
        Column(f"{prefix}_surname", _person_label(who, model, "surname"), "text", required,
               example=surname),
        Column(f"{prefix}_given_name", _person_label(who, model, "given_name"), "text", required,
               example=given),
        Column(f"{prefix}_patronymic", _person_label(who, model, "patronymic"), "text"),
        Column(f"{prefix}_date_of_birth", _person_label(who, model, "date_of_birth"), "date",
               required, example=dob),
        Column(f"{prefix}_sex", _person_label(who, model, "sex"), "choice", prefix == "child",
               Sex.choices, example=sex),
        Column(f"{prefix}_iin", _person_label(who, model, "iin"), "iin", example=iin,
               help=_("12 digits; leave empty if unknown.")),
    ]  # fmt: skip


CHILD, PARENT = _("Child"), _("Parent")
COLUMNS = [
    *_person_columns(
        "child", Child, CHILD, True, ("Тестова", "Айару", "14.02.2023", "F", "230214600014")
    ),
    *_person_columns(
        "parent", Parent, PARENT, False, ("Тестова", "Гүлнар", "03.07.1999", "F", "")
    ),
    Column("parent_relation", _person_label(PARENT, ChildParent, "relation"),
           "choice", False, Relation.choices, example="mother",
           help=_("Left empty, a mother.")),
    Column("parent_phone", _person_label(PARENT, Parent, "phone"), "phone",
           example="+7 701 123 45 67"),
    Column("parent_address", _person_label(PARENT, Parent, "address"), "text"),
    Column("admitted_on", _placement_label("admitted_on"), "date", True, example="01.09.2024"),
    Column("planned_end_on", _placement_label("planned_end_on"), "date",
           help=_("Left empty, the admission date plus the standard term.")),
    Column("referral_source", _placement_label("referral_source"), "choice", True,
           Placement.ReferralSource.choices, example="mother_and_child"),
    Column("referral_number", _placement_label("referral_number"), "text"),
    Column("referral_date", _placement_label("referral_date"), "date"),
    Column("crisis_reason", _placement_label("crisis_reason"), "choice", True,
           Placement.CrisisReason.choices, example="housing"),
    Column("crisis_notes", _placement_label("crisis_notes"), "text"),
    Column("social_worker", _placement_label("social_worker"), "user",
           help=_("A social worker's user name or full name; left empty, the one chosen "
                  "for the import.")),
    Column("closed_on", _placement_label("closed_on"), "date", example="15.01.2025",
           help=_("Empty while the child is still in care.")),
    Column("outcome", _placement_label("outcome"), "choice", False,
           Placement.Outcome.choices, example="returned",
           help=_("Required with a closing date.")),
    Column("visit_dates", capfirst(_("visit dates")), "dates",
           example="07.09.2024; 14.09.2024 15:30",
           help=format_lazy(
               _("The parent's visits, separated by semicolons; a date alone is recorded "
                 "at {hour}:00 as {minutes} minutes."),
               hour=VISIT_HOUR, minutes=VISIT_MINUTES)),
]  # fmt: skip
BY_CODE = {column.code: column for column in COLUMNS}
# Written by the portal's own export beside the columns above; accepted and not read.
EXPORT_ONLY = {
    "placement_id": _("placement number"),
    "status": Placement._meta.get_field("status").verbose_name,
    "visits": _("visits"),
}


def normalized(text) -> str:
    text = str(text).casefold().replace("ё", "е")
    return re.sub(r"[\s_*:.,;()\-–—]+", " ", text).strip()


def _names_in_every_language(value, label):
    names = {normalized(value)}
    for language in LANGUAGES:
        with translation.override(language):
            names.add(normalized(label))
    return names


def heading_index() -> dict[str, str]:
    """{a recognised heading, normalised: the column's code}."""
    index = {}
    for column in COLUMNS:
        for name in _names_in_every_language(column.code, column.label):
            index[name] = column.code
    return index


# How sex is often written in the home's journals, beside the choices' own names.
SEX_WORDS = {
    "ж": Sex.FEMALE, "жен": Sex.FEMALE, "женский": Sex.FEMALE, "әйел": Sex.FEMALE,
    "қыз": Sex.FEMALE, "м": Sex.MALE, "муж": Sex.MALE, "мужской": Sex.MALE, "ер": Sex.MALE,
    "ұл": Sex.MALE,
}  # fmt: skip


def export_only_names() -> set[str]:
    """The headings of EXPORT_ONLY in every language, normalised."""
    names = set()
    for code, label in EXPORT_ONLY.items():
        names |= _names_in_every_language(code, label)
    return names


def choice_index(column) -> dict[str, str]:
    index = dict(SEX_WORDS) if column.choices == Sex.choices else {}
    for value, label in column.choices:
        for name in _names_in_every_language(value, label):
            index[name] = value
    return index


# Reading a cell


def text_value(value) -> str:
    if isinstance(value, Formula):
        raise CellError(_("A formula is not imported: type the value itself."))
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > MAX_CELL_LENGTH:
        raise CellError(
            _("The cell holds %(count)s characters; at most %(max)s are imported.")
            % {"count": len(text), "max": MAX_CELL_LENGTH}
        )
    return text


def date_value(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = text_value(value)
    if not text:
        return None
    day = _parse_date(text)
    if day is None:
        raise CellError(_("Write the date as 31.12.2024."))
    return day


@functools.lru_cache(maxsize=20_000)  # a caseload repeats its dates: parse each once
def _parse_date(text):
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def visit_times(value) -> list[datetime.datetime]:
    """The visits of a cell as aware datetimes, in the home's time zone."""
    if isinstance(value, datetime.datetime | datetime.date):
        parts = [value]
    else:
        parts = [p.strip() for p in re.split(r"[;,\n|]", text_value(value)) if p.strip()]
    return [_visit_time(part) for part in parts]


def _visit_time(part):
    if isinstance(part, datetime.datetime):
        moment = part
    elif isinstance(part, datetime.date):
        moment = datetime.datetime.combine(part, datetime.time(VISIT_HOUR))
    else:
        moment = _parse_moment(part)
        if moment is None:
            raise CellError(_("Write the date as 31.12.2024."))
    return timezone.make_aware(moment.replace(tzinfo=None))


@functools.lru_cache(maxsize=20_000)
def _parse_moment(text):
    """A visit's naive local date and time, or None."""
    day = _parse_date(text)
    if day is not None:
        return datetime.datetime.combine(day, datetime.time(VISIT_HOUR))
    for pattern in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def choice_value(value, index, column) -> str:
    text = text_value(value)
    if not text:
        return ""
    wanted = normalized(text)
    found = index.get(wanted)
    if found is None and len(wanted) >= 4:  # "отдел опеки": the start of one choice's name
        within = {value for name, value in index.items() if wanted in name}
        found = within.pop() if len(within) == 1 else None
    if found is None:
        raise CellError(
            _("«%(value)s» is not one of: %(choices)s.")
            % {"value": text[:60], "choices": "; ".join(str(label) for _v, label in column.choices)}
        )
    return found


def iin_value(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):012d}"  # a spreadsheet drops an IIN's leading zero
    return re.sub(r"\s", "", text_value(value))


def phone_value(value) -> str:
    text = text_value(value)
    if not text:
        return ""
    if re.fullmatch(r"7\d{10}", text):  # a number cell loses the +
        text = "+" + text
    try:
        return normalize_kz_phone(text)
    except Exception as error:  # ValidationError, with the phone's own message
        raise CellError(error.messages[0]) from None


# The template


def template_workbook(language: str) -> bytes:
    """An empty caseload workbook in `language`: the headings and an example row on the
    first sheet, and a sheet saying what each column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from crisisunit.lib.workbook import row

    with translation.override(language):
        book = Workbook()
        sheet = book.active
        sheet.title = str(_("Placements"))
        sheet.append(row(sheet, [column.label for column in COLUMNS], bold=True))
        sheet.append(row(sheet, [_example(column) for column in COLUMNS]))
        for index, column in enumerate(COLUMNS, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(14, len(str(column.label)) + 2)
            if column.kind in ("text", "iin", "phone", "dates", "date"):
                sheet.cell(row=2, column=index).number_format = "@"
        sheet.freeze_panes = "A2"
        guide = book.create_sheet(str(_("Columns")))
        guide.append(row(guide, [_("Column"), _("Required"), _("What to write")], bold=True))
        for column in COLUMNS:
            required = _("yes") if column.required else ""
            guide.append(row(guide, [column.label, required, _explain(column)]))
        guide.column_dimensions["A"].width = 34
        guide.column_dimensions["C"].width = 90
        for cells in guide.iter_rows(min_row=2):
            cells[2].alignment = Alignment(wrap_text=True, vertical="top")
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def _example(column):
    if column.kind == "choice" and column.example:
        return str(dict(column.choices)[column.example])
    return column.example


def _explain(column):
    parts = []
    if column.kind == "date":
        parts.append(str(_("A date, as 31.12.2024.")))
    if column.kind == "choice":
        parts.append(
            str(_("One of: %(choices)s."))
            % {"choices": "; ".join(str(label) for _v, label in column.choices)}
        )
    if column.help:
        parts.append(str(column.help))
    return " ".join(parts)
