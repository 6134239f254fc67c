"""Administrators publish (freeze) a year's figure in the admin."""

import datetime

import pytest

from crisisunit.roles import ADMINISTRATOR
from stats.models import YearlyFigure

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/stats/yearlyfigure/"
ADD = "/admin/stats/yearlyfigure/add/"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_social_worker_cannot_reach_the_figures(client, social_worker):
    assert signed_in(client, social_worker).get(CHANGELIST).status_code == 403


def test_an_administrator_sees_each_live_year_with_its_count(
    client, administrator, make_return, today
):
    last_year = today.year - 1
    make_return(datetime.date(last_year, 8, 8))

    html = signed_in(client, administrator).get(CHANGELIST).content.decode()

    assert "Years counted live from the records" in html
    assert f"?year={last_year}&amp;children_returned=1&amp;source=published" in html
    assert f"?year={today.year}&amp;" not in html  # the year is not over


def test_publishing_a_year_fixes_its_figure_on_the_public_page(
    client, administrator, make_return, today
):
    last_year = today.year - 1
    make_return(datetime.date(last_year, 8, 8))
    public = client.__class__(headers={"accept-language": "en"})
    public.get("/en/stats/")  # cached with the live count

    response = signed_in(client, administrator).post(
        ADD,
        {"year": last_year, "children_returned": 3, "source": "published", "note": "Report"},
    )

    assert response.status_code == 302
    figure = YearlyFigure.objects.get(year=last_year)
    assert (figure.children_returned, figure.updated_by) == (3, administrator)
    html = public.get("/en/stats/").content.decode()
    assert (
        f'<th scope="row">{last_year}</th>\n      <td class="number">3</td>\n'
        "      <td>published by the home</td>"
    ) in html


def test_a_figure_for_a_year_not_begun_is_refused(client, administrator, today):
    response = signed_in(client, administrator).post(
        ADD, {"year": today.year + 1, "children_returned": 3, "source": "published"}
    )

    assert response.status_code == 200
    assert "A year that has not begun cannot have a figure." in response.content.decode()
    assert not YearlyFigure.objects.filter(year=today.year + 1).exists()


def test_a_year_cannot_have_two_figures(client, administrator):
    response = signed_in(client, administrator).post(
        ADD, {"year": 2020, "children_returned": 3, "source": "published"}
    )

    assert response.status_code == 200
    assert YearlyFigure.objects.get(year=2020).children_returned == 28


def test_figures_are_never_deleted(client, administrator):
    figure = YearlyFigure.objects.get(year=2020)

    response = signed_in(client, administrator).get(f"{CHANGELIST}{figure.pk}/delete/")

    assert response.status_code == 403
    assert not administrator.has_perm("stats.delete_yearlyfigure")
    assert administrator.groups.filter(name=ADMINISTRATOR).exists()


def test_each_published_year_shows_what_the_records_count_beside_it(
    client, administrator, make_return
):
    """After the home's old journals are imported, a published year can be compared."""
    for day in (datetime.date(2019, 3, 1), datetime.date(2019, 9, 1)):
        make_return(day)

    response = signed_in(client, administrator).get(CHANGELIST + "?year=2019")

    [row] = response.context["cl"].result_list
    assert (row.year, row.children_returned, row.counted) == (2019, 32, 2)
    assert "Counted from the records" in response.content.decode()


def test_a_figure_marked_counted_that_differs_from_the_records_is_saved_with_a_warning(
    client, administrator, make_return, today
):
    last_year = today.year - 1
    make_return(datetime.date(last_year, 8, 8))
    signed_in(client, administrator)

    different = client.post(
        ADD, {"year": last_year, "children_returned": 3, "source": "recorded"}, follow=True
    )
    YearlyFigure.objects.filter(year=last_year).delete()
    same = client.post(
        ADD, {"year": last_year, "children_returned": 1, "source": "recorded"}, follow=True
    )

    warning = (
        f"The figure for {last_year}, 3, is marked as counted from the records, but the "
        "records count 1."
    )
    assert warning in different.content.decode()
    assert "is marked as counted from the records" not in same.content.decode()
    assert YearlyFigure.objects.get(year=last_year).children_returned == 1
