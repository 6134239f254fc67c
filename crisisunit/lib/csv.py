"""CSV written for spreadsheets: a cell that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, and
every cell is quoted, so that a separator inside one (a `;` where Excel's list
separator is `;`, as in ru-KZ and kk-KZ) cannot start a new cell there."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object that hands back what is written, for streaming responses."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    writer = csv.writer(Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
