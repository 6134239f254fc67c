"""Every staff page three ways: anonymous, signed in without the permission, with it."""

import pytest

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "medical_staff", "administrator", "outsider"]
EVERYONE = {"social_worker", "medical_staff", "administrator"}
# page: the roles that may open it (everyone else gets 403)
PAGES = {
    "/staff/": EVERYONE,
    "/staff/placements/": EVERYONE,
    "/staff/placements/{pk}/": EVERYONE,
    "/staff/placements/new/": {"social_worker", "administrator"},
    "/staff/placements/{pk}/visits/new/": {"social_worker", "administrator"},
    "/staff/placements/{pk}/consultations/new/": EVERYONE,
    "/staff/placements/{pk}/applications/new/": {"social_worker", "administrator"},
    "/staff/placements/{pk}/extensions/new/": {"administrator"},
    "/staff/exports/": {"social_worker", "administrator"},
}


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=20)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, placement, page):
    url = page.format(pk=placement.pk)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_opens_only_for_the_roles_that_may(client, request, placement, page, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(page.format(pk=placement.pk))

    expected = 200 if role in PAGES[page] else 403
    assert response.status_code == expected
    if expected == 403:
        assert "Access denied" in response.content.decode()
    else:
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("/staff/placements/{pk}/visits/new/", "medical_staff"),
        ("/staff/placements/{pk}/applications/new/", "medical_staff"),
        ("/staff/placements/{pk}/extensions/new/", "social_worker"),
        ("/staff/placements/new/", "medical_staff"),
    ],
)
def test_a_post_without_the_permission_changes_nothing(client, request, placement, page, role):
    client.force_login(request.getfixturevalue(role))

    response = client.post(page.format(pk=placement.pk), {"visited_at": "2026-01-01T10:00"})

    assert response.status_code == 403
    assert placement.visits.count() == 0 and placement.return_applications.count() == 0


def test_a_placement_that_does_not_exist_is_a_404(client, social_worker):
    client.force_login(social_worker)

    assert client.get("/staff/placements/999999/").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_staff_pages_have_no_inline_script_or_style(client, administrator, placement, page):
    client.force_login(administrator)

    html = client.get(page.format(pk=placement.pk)).content.decode()

    assert "<script" not in html and "<style" not in html and " style=" not in html
    assert " onclick=" not in html and " onsubmit=" not in html
