"""Issue 20, goal 3: with a shared cache, the dashboard's lists are kept per user, view,
day and language under the version of the case records; any write through a service
shows on the next dashboard, and the user's own tasks, notices and the read log are
never kept."""

import datetime

import pytest
from django.utils import timezone

from crisisunit import roles
from crisisunit.models import ReadAccess
from placements import kept as kept_module
from placements import services
from placements.kept import case_version
from tests.conftest import _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.CASE_VIEWS_IN_CACHE = True  # as with Redis


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


def overdue_section(response):
    html = response.content.decode()
    start = html.index('id="overdue"')
    return html[start : html.index("<section", start)]


def test_a_kept_dashboard_reads_none_of_the_lists_again(
    kept, signed_in, many_placements, django_assert_max_num_queries
):
    many_placements(30)
    first = signed_in.get("/staff/")

    # The session, the user, the second factor, the permissions (2), the read log, the
    # tasks (with their count), the notices' count, and the session saved again (with
    # its savepoint).
    with django_assert_max_num_queries(11) as again_queries:
        again = signed_in.get("/staff/")

    assert overdue_section(again) == overdue_section(first)
    assert again.context["active_count"] == first.context["active_count"] == 30
    lists = ("placements_followup", "placements_returnapplication", "placements_visit", "COUNT(")
    own = ("placements_task", "placements_notice")  # counted on every request
    read = " ".join(
        q["sql"] for q in again_queries.captured_queries if not any(t in q["sql"] for t in own)
    )
    assert not [table for table in lists if table in read]


def test_a_visit_logged_through_the_service_shows_on_the_next_dashboard(
    kept, signed_in, make_placement, social_worker, django_capture_on_commit_callbacks
):
    placement = make_placement(days_ago=20)
    assert str(placement.child) in overdue_section(signed_in.get("/staff/"))

    with django_capture_on_commit_callbacks(execute=True):
        services.visit_record(
            placement=placement,
            by=social_worker,
            parent=placement.child.parents.get(),
            visited_at=timezone.now() - datetime.timedelta(hours=1),
            duration_minutes=40,
        )

    assert str(placement.child) not in overdue_section(signed_in.get("/staff/"))


def test_a_failed_write_keeps_the_version(kept, make_placement, social_worker):
    placement = make_placement(days_ago=20)
    before = case_version()

    with pytest.raises(Exception):  # noqa: B017 (any refusal)
        services.visit_record(
            placement=placement,
            by=social_worker,
            parent=placement.child.parents.get(),
            visited_at=timezone.now() + datetime.timedelta(days=2),  # in the future
            duration_minutes=40,
        )

    assert case_version() == before


def test_each_user_and_view_has_its_own_lists(
    kept, client, social_worker, make_placement, django_user_model
):
    other = _user(django_user_model, "other_worker", roles.SOCIAL_WORKER)
    mine = make_placement(days_ago=20)
    theirs = make_placement(days_ago=20, social_worker=other)

    client.force_login(social_worker)
    own = overdue_section(client.get("/staff/?mine=1"))
    every = overdue_section(client.get("/staff/"))
    client.force_login(other)
    other_own = overdue_section(client.get("/staff/?mine=1"))

    assert str(mine.child) in own and str(theirs.child) not in own
    assert str(mine.child) in every and str(theirs.child) in every
    assert str(theirs.child) in other_own and str(mine.child) not in other_own
    assert "?next=/staff/%3Fmine%3D1" in own and "%3Fmine" not in every


def test_every_dashboard_is_logged_as_read_even_when_kept(kept, signed_in, make_placement):
    make_placement(days_ago=20)
    signed_in.get("/staff/")
    signed_in.get("/staff/")

    assert ReadAccess.objects.filter(path="/staff/").count() == 2


def test_a_failing_cache_shows_the_dashboard_computed(kept, signed_in, make_placement, monkeypatch):
    placement = make_placement(days_ago=20)
    monkeypatch.setattr(kept_module, "cache_get", lambda key: None)
    monkeypatch.setattr(kept_module, "cache_add", lambda *args: None)

    response = signed_in.get("/staff/")

    assert response.status_code == 200 and str(placement.child) in overdue_section(response)
