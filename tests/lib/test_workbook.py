"""Security #4: every text the portal writes into a workbook is a text cell, never a
formula, whatever it starts with; dates stay dates and numbers numbers."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from crisisunit.lib.workbook import row


@pytest.mark.parametrize(
    "text", ["=1+1", "+7 701 123 45 67", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"]
)
def test_a_text_is_kept_as_typed_and_never_runs(text):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(row(sheet, [text, 5, datetime.date(2026, 12, 7)]))
    out = io.BytesIO()
    book.save(out)

    cells = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    assert (cells[0].value, cells[0].data_type) == (text, "s")
    assert cells[1].value == 5 and cells[1].data_type == "n"
    assert cells[2].value == datetime.datetime(2026, 12, 7)
