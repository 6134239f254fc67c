"""The rows of a spreadsheet someone uploads: an Excel workbook (.xlsx) or a CSV file,
told apart by their content, never by the file's name.

A CSV may be UTF-8 (with or without Excel's byte-order mark) or Windows-1251 (what
Excel saves as "CSV" under Russian settings), separated by `;`, `,` or tabs. Of a
workbook the first sheet is read. A formula is never evaluated: its cell becomes a
`Formula`, for the reader to refuse. A leading apostrophe that the portal's own CSV
export puts before a cell starting like a formula (crisisunit.lib.csv) is taken off.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

from crisisunit.lib.csv import FORMULA_STARTS

# The uncompressed size a workbook may unpack to: more is a zip bomb, not a caseload.
MAX_UNPACKED = 200 * 1024 * 1024
MAX_CELL_LENGTH = 2000


class TableError(Exception):
    """The file as a whole cannot be read; `message` says why, in the user's language."""

    def __init__(self, message: str | StrPromise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Formula:
    text: str


@dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    header: list[str]
    # (the row's number as the spreadsheet shows it, its cells) for each non-empty row.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def read_table(content: bytes, *, max_rows: int) -> Table:
    """The header and rows of `content`, or TableError."""
    if not content.strip():
        raise TableError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        table = _read_xlsx(content, max_rows)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or CSV.")
        )
    else:
        table = _read_csv(content, max_rows)
    if not any(table.header):
        raise TableError(_("The first row must hold the column headings."))
    if not table.rows:
        raise TableError(_("The sheet has headings but no rows."))
    return table


def _not_a_spreadsheet() -> TableError:
    return TableError(
        _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
    )


def _read_xlsx(content: bytes, max_rows: int) -> Table:
    from openpyxl import load_workbook  # loaded only for a workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _not_a_spreadsheet() from None
    if "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet()
    if unpacked > MAX_UNPACKED:
        raise TableError(_("The workbook is too large once unpacked."))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        header = [_text(cell.value) for cell in next(rows, ())]
        table = Table("xlsx", _trimmed(header))
        for number, cells in enumerate(rows, start=2):
            values = [_xlsx_value(cell) for cell in cells]
            _add(table, number, values, max_rows)
        book.close()
    except TableError:
        raise
    except Exception:  # a damaged workbook fails in many ways inside openpyxl
        raise TableError(_("The workbook is damaged and cannot be read.")) from None
    return table


def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    ):
        return Formula(str(value))
    if isinstance(value, str):
        return value.strip()
    return value


def _read_csv(content: bytes, max_rows: int) -> Table:
    if b"\x00" in content[:4096]:
        raise _not_a_spreadsheet()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes nearly anything
        raise _not_a_spreadsheet()
    if text.lstrip().startswith("<"):
        raise _not_a_spreadsheet()
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    # A cell may be as long as the file (the reader refuses over-long cells itself, by
    # row); the csv module's default limit would fail the whole file at 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), len(content) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [_text(value) for value in next(reader, [])]
        table = Table("csv", _trimmed(header))
        for values in reader:
            _add(table, reader.line_num, [_csv_value(v) for v in values], max_rows)
    except csv.Error:
        raise _not_a_spreadsheet() from None
    return table


def _csv_value(text: str) -> str | Formula:
    text = text.strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]  # written so by the portal's export: not a formula
    if text.startswith(("=", "@")):
        return Formula(text)
    return text


def _add(table: Table, number: int, values: list[Any], max_rows: int) -> None:
    if all(v is None or v == "" for v in values):
        return
    if len(table.rows) >= max_rows:
        raise TableError(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": f"{max_rows:,}".replace(",", " ")}
        )
    table.rows.append((number, values))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _trimmed(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    return header
