"""CSV written for spreadsheets: a cell that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, and
every cell is quoted, so that a separator inside one (a `;` where Excel's list
separator is `;`, as in ru-KZ and kk-KZ) cannot start a new cell there.

For Excel as people open it (a double click): a UTF-8 byte-order mark, without which
Excel reads the file as Windows-1251 and garbles every Cyrillic letter, and the list
separator of the user's regional settings: `;` where the decimal mark is a comma (kk
and ru), `,` in English."""

import csv
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object that hands back what is written, for streaming responses."""

    def write(self, value: str) -> str:
        return value


def excel_delimiter(language: str) -> str:
    return ";" if language in ("kk", "ru") else ","


def csv_lines(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> Iterator[str]:
    writer = csv.writer(Echo(), quoting=csv.QUOTE_ALL, delimiter=delimiter)
    if bom:
        yield "\ufeff"
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def excel_csv_response(
    header: Sequence[object], rows: Iterable[Sequence[object]], *, filename: str, language: str
) -> StreamingHttpResponse:
    """A CSV download that Excel opens right in `language`'s regional settings."""
    response = StreamingHttpResponse(
        csv_lines(header, rows, delimiter=excel_delimiter(language), bom=True),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
