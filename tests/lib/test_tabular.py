"""Reading an uploaded spreadsheet: CSV in Excel's encodings and separators, or XLSX."""

import datetime
import io

import pytest
from openpyxl import Workbook

from crisisunit.lib.tabular import Formula, TableError, read_table


def workbook(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_saved_by_russian_excel_is_read_in_windows_1251_with_semicolons():
    content = "Фамилия;Имя\r\nСынақова;Айгерім\r\n".replace("қ", "к").replace("і", "и")

    table = read_table(content.encode("cp1251"), max_rows=10)

    assert table.kind == "csv"
    assert table.header == ["Фамилия", "Имя"]
    assert table.rows == [(2, ["Сынакова", "Айгерим"])]


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_utf8_csv_with_a_byte_order_mark_is_read_with_any_usual_separator(separator):
    content = "\ufeff" + separator.join(["Бала: тегі", "Бала: аты"]) + "\nСынақова" + separator
    content += "Айгерім\n"

    table = read_table(content.encode(), max_rows=10)

    assert table.header == ["Бала: тегі", "Бала: аты"]
    assert table.rows == [(2, ["Сынақова", "Айгерім"])]


def test_empty_rows_are_skipped_and_row_numbers_kept():
    table = read_table(b"a;b\n;\n1;2\n", max_rows=10)

    assert table.rows == [(3, ["1", "2"])]


def test_a_formula_is_marked_and_the_exports_apostrophe_taken_off():
    table = read_table(b"a;b;c\n=1+2;'+77011234567;'-\n", max_rows=10)

    assert table.rows == [(2, [Formula("=1+2"), "+77011234567", "-"])]


def test_a_workbook_keeps_dates_numbers_and_formulas_as_they_are():
    content = workbook(["a", "b", "c"], [datetime.datetime(2024, 9, 1), 230214600014, "=A2+1"])

    table = read_table(content, max_rows=10)

    assert table.kind == "xlsx"
    assert table.rows == [(2, [datetime.datetime(2024, 9, 1), 230214600014, Formula("=A2+1")])]


def test_too_many_rows_are_refused_with_the_limit():
    with pytest.raises(TableError) as refusal:
        read_table(b"a\n1\n2\n3\n", max_rows=2)

    assert str(refusal.value.message) == (
        "The file has more than 2 rows. Split it into smaller files."
    )


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02binary", b"<html><body>x</body></html>", b"PK\x03\x04garbage"],
)
def test_what_is_not_a_spreadsheet_is_refused(content):
    with pytest.raises(TableError, match="not a spreadsheet"):
        read_table(content, max_rows=10)


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    """defusedxml is a dependency that nothing imports: openpyxl uses it when it is
    installed, so that an uploaded workbook cannot carry an XML bomb."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
