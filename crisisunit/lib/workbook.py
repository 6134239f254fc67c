"""Cells of the workbooks the portal writes (exports, the period report, the import
template). Every text is a text cell, whatever it starts with: openpyxl turns a string
that starts with "=" into a live formula, and the texts come from stored records and
content that other roles type (the home's name is the content editor's), so a
"=HYPERLINK(…)" would run in an administrator's Excel. Dates are dates, numbers are
numbers."""

import datetime
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

BOLD = Font(bold=True)


def cell(sheet: Any, value: object, *, bold: bool = False) -> WriteOnlyCell:
    """One cell of `sheet` holding `value`, for `sheet.append([...])`."""
    if isinstance(value, datetime.datetime):
        made = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        made.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, datetime.date):
        made = WriteOnlyCell(sheet, value=value)
        made.number_format = "DD.MM.YYYY"
    elif isinstance(value, int | float) and not isinstance(value, bool) or value is None:
        made = WriteOnlyCell(sheet, value=value)
    else:
        made = WriteOnlyCell(sheet, value=str(value))
        made.data_type = "s"  # text: never run as a formula, never read as a number
    if bold:
        made.font = BOLD
    return made


def row(sheet: Any, values: Iterable[object], *, bold: bool = False) -> list[WriteOnlyCell]:
    return [cell(sheet, value, bold=bold) for value in values]
