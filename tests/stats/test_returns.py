"""The yearly figures of children returned home: page, chart, downloads, caching."""

import csv
import datetime
import gzip
import io

import pytest

from placements import services
from placements.models import Placement
from stats.models import YearlyFigure

pytestmark = pytest.mark.django_db

PUBLISHED = {2016: 38, 2017: 36, 2018: 30, 2019: 32, 2020: 28, 2021: 48, 2022: 40, 2023: 40}


def csv_rows(client):
    return list(csv.DictReader(io.StringIO(client.get("/stats/returns.csv").content.decode())))


def json_years(client):
    return {row["year"]: row for row in client.get("/stats/returns.json").json()["years"]}


def test_the_published_figures_are_loaded_by_a_migration():
    figures = {f.year: f.children_returned for f in YearlyFigure.objects.all()}

    assert figures == PUBLISHED
    assert set(YearlyFigure.objects.values_list("source", flat=True)) == {"published"}


def test_the_page_table_and_both_downloads_show_the_published_figures(client):
    html = client.get("/en/stats/").content.decode()
    rows = csv_rows(client)
    years = json_years(client)

    for year, count in PUBLISHED.items():
        assert f'<th scope="row">{year}</th>\n      <td class="number">{count}</td>' in html
        assert {"year": str(year), "children_returned": str(count), "source": "published"} in rows
        assert years[year] == {"year": year, "children_returned": count, "source": "published"}


def test_the_csv_has_the_documented_header_and_every_year_to_this_one(client, today):
    response = client.get("/stats/returns.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "year,children_returned,source"
    assert [row["year"] for row in csv_rows(client)] == [
        str(y) for y in range(2016, today.year + 1)
    ]


def test_the_statistics_page_links_both_downloads(client):
    html = client.get("/kk/stats/").content.decode()

    assert 'href="/stats/returns.csv"' in html and 'href="/stats/returns.json"' in html


def test_a_year_without_a_published_figure_is_counted_from_the_records(
    client, make_return, make_placement, make_child, administrator, today
):
    last_year = today.year - 1
    make_return(datetime.date(last_year, 3, 1))
    make_return(datetime.date(last_year, 12, 31))
    other = make_placement(
        child=make_child(date_of_birth=datetime.date(last_year - 1, 1, 1)),
        admitted_on=datetime.date(last_year, 1, 10),
    )
    adopted = Placement.Outcome.ADOPTED
    services.placement_close(
        placement=other, outcome=adopted, on=datetime.date(last_year, 6, 1), by=administrator
    )

    assert json_years(client)[last_year] == {
        "year": last_year,
        "children_returned": 2,
        "source": "recorded",
    }


def test_the_cached_page_shows_a_return_as_soon_as_a_placement_closes(
    client, make_return, today, django_assert_num_queries
):
    last_year = today.year - 1
    row = f'<th scope="row">{last_year}</th>\n      <td class="number">{{}}</td>'
    assert row.format(0) in client.get("/en/stats/").content.decode()
    with django_assert_num_queries(1):  # only what tells whether the figures changed
        assert row.format(0) in client.get("/en/stats/").content.decode()

    make_return(datetime.date(last_year, 5, 5))

    assert row.format(1) in client.get("/en/stats/").content.decode()
    assert "Since 2016, 293 children" in client.get("/en/").content.decode()


def test_each_language_is_cached_on_its_own(client):
    client.get("/kk/stats/")

    assert '<html lang="ru"' in client.get("/ru/stats/").content.decode()


def test_a_published_figure_wins_over_the_count_and_the_page_says_so(client, make_return, today):
    last_year = today.year - 1
    make_return(datetime.date(last_year, 5, 5))
    client.get("/en/stats/")

    YearlyFigure.objects.create(year=last_year, children_returned=7, source="published")

    html = client.get("/en/stats/").content.decode()
    assert (
        f'<th scope="row">{last_year}</th>\n      <td class="number">7</td>\n'
        "      <td>published by the home</td>"
    ) in html
    assert json_years(client)[last_year]["source"] == "published"
    assert json_years(client)[last_year]["children_returned"] == 7


def test_the_total_and_the_average_cover_the_years_shown(client, make_return, today):
    make_return(datetime.date(today.year - 1, 2, 2))
    make_return(today)

    html = client.get("/en/stats/").content.decode()

    complete_years = today.year - 2016
    average = round((292 + 1) / complete_years, 1)
    assert "<dd>294</dd>" in html
    assert f"Average per year, 2016–{today.year - 1}" in html
    assert f"<dd>{average:g}</dd>" in html
    assert "the year is not over yet" in html


def test_the_chart_is_an_accessible_svg_with_every_bar_labelled(client, today):
    html = client.get("/en/stats/").content.decode()

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    assert svg.count("<rect") == today.year - 2016 + 1
    for year, count in PUBLISHED.items():
        assert f">{count}</text>" in svg and f">{year}</text>" in svg
        assert f"{year}: {count} (published by the home)" in svg


def test_a_breakdown_hides_cells_under_five_children(client, make_return, today):
    last_year = today.year - 1
    for _ in range(6):
        make_return(datetime.date(last_year, 4, 1), Placement.CrisisReason.RELATIONSHIP)
    for _ in range(2):
        make_return(datetime.date(last_year, 4, 1), Placement.CrisisReason.CRIMINAL)

    html = client.get("/en/stats/").content.decode()

    section = html[html.index('id="reasons"') :]
    relationship = section[section.index("Relationship breakdown") :].split("</tr>")[0]
    criminal = section[section.index("Criminal proceedings") :].split("</tr>")[0]
    assert '<td class="number">6</td>' in relationship
    assert "hidden" in criminal and ">2<" not in criminal


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it(make_return, today):
    from stats.figures import returns_by_reason

    year = today.year - 1
    counts = {"relationship": 9, "criminal": 8, "medical": 7, "housing": 6, "other": 2}
    for reason, n in counts.items():
        for _ in range(n):
            make_return(datetime.date(year, 7, 1), reason)

    rows = {row["reason"]: row["cells"][0] for row in returns_by_reason([year])}

    assert rows[Placement.CrisisReason.OTHER.label] is None
    assert rows[Placement.CrisisReason.HOUSING.label] is None
    assert rows[Placement.CrisisReason.RELATIONSHIP.label] == 9


def test_published_years_have_no_breakdown(client):
    html = client.get("/en/stats/").content.decode()

    section = html[html.index('id="reasons"') :]
    assert '<th scope="col" class="number">2023</th>' not in section


@pytest.fixture
def closed_in_2024(make_placement, make_child, administrator):
    """Stays of 10, 20, 30, 40, … days, each ending in 2024 with the given outcome."""

    def make(*outcomes):
        for n, outcome in enumerate(outcomes, start=1):
            closed = datetime.date(2024, 6, 1) + datetime.timedelta(days=n)
            admitted = closed - datetime.timedelta(days=10 * n)
            child = make_child(date_of_birth=admitted - datetime.timedelta(days=100))
            placement = make_placement(child=child, admitted_on=admitted)
            services.placement_close(
                placement=placement, outcome=outcome, on=closed, by=administrator
            )

    return make


RETURNED, ADOPTED = "returned", "adopted"


def test_each_recorded_year_shows_the_share_returned_and_the_median_stay(client, closed_in_2024):
    closed_in_2024(RETURNED, ADOPTED, RETURNED, ADOPTED, RETURNED)

    response = client.get("/en/stats/")

    row = next(r for r in response.context["outcomes_by_year"] if r["year"] == 2024)
    assert (row["closed"], row["returned_share"], row["median_stay"]) == (5, 60.0, 30)
    assert "60.0%" in response.content.decode()


def test_a_year_with_fewer_than_five_stays_ended_is_hidden(client, closed_in_2024):
    closed_in_2024(RETURNED, ADOPTED, RETURNED, RETURNED)

    response = client.get("/en/stats/")

    row = next(r for r in response.context["outcomes_by_year"] if r["year"] == 2024)
    assert row["hidden"] and row["closed"] is None
    assert row["returned_share"] is None and row["median_stay"] is None
    assert "75.0%" not in response.content.decode()


def test_a_closing_with_any_outcome_refreshes_the_cached_page(client, closed_in_2024):
    closed_in_2024(RETURNED, ADOPTED, RETURNED, ADOPTED)
    client.get("/en/stats/")

    closed_in_2024(ADOPTED, ADOPTED, ADOPTED, ADOPTED, ADOPTED)

    row = next(r for r in client.get("/en/stats/").context["outcomes_by_year"] if r["year"] == 2024)
    assert row["closed"] == 9


def test_a_browser_holding_the_page_gets_not_modified_until_a_figure_changes(
    client, make_return, today
):
    first = client.get("/en/stats/")
    etag = first["ETag"]

    again = client.get("/en/stats/", headers={"if-none-match": etag})

    assert again.status_code == 304 and again.content == b""
    make_return(datetime.date(today.year - 1, 5, 5))
    changed = client.get("/en/stats/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_public_html_goes_out_compressed_to_a_browser_that_accepts_it(client):
    plain = client.get("/ru/")

    compressed = client.get("/ru/", headers={"accept-encoding": "gzip"})

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in compressed["Vary"].split(",")}
    assert "Content-Encoding" not in plain  # a browser that did not ask gets it plain


def test_staff_pages_are_never_compressed(client, social_worker):
    """A staff page carries the CSRF token and case data: compressing it would open
    the door to guessing them from the size (BREACH)."""
    client.force_login(social_worker)

    response = client.get("/staff/", headers={"accept-encoding": "gzip"})

    assert response.status_code == 200 and "Content-Encoding" not in response


@pytest.mark.django_db
def test_the_chart_and_the_table_are_regions_with_names_of_their_own(client):
    """Accessibility #16: both regions were named by the same title."""
    import re

    page = client.get("/en/stats/").content.decode()

    names = []
    for ids in re.findall(r'role="region" tabindex="0" aria-labelledby="([^"]+)"', page):
        parts = [re.search(rf'id="{i}"[^>]*>([^<]*)<', page).group(1) for i in ids.split()]
        names.append(" ".join(parts))
    assert len(names) >= 2 and len(set(names)) == len(names)
