"""Administrators reassign one or many cases from the workspace, with history; "mine"
on the dashboard then follows the new assignment."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from crisisunit import roles
from placements import services
from placements.models import Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_worker(django_user_model):
    user = django_user_model.objects.create_user(
        username="second_worker", first_name="Сәуле", last_name="Екінші", is_staff=True
    )
    user.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))
    return user


def reassign(client, placements, worker, next_url="/staff/placements/?q=x"):
    return client.post(
        "/staff/placements/reassign/",
        {"placements": [p.pk for p in placements], "social_worker": worker.pk, "next": next_url},
    )


def told(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_an_administrator_reassigns_several_cases_at_once_with_history(
    client, administrator, social_worker, other_worker, make_placement
):
    first, second, kept = make_placement(), make_placement(), make_placement()
    client.force_login(administrator)

    response = reassign(client, [first, second], other_worker)

    assert response.status_code == 302 and response["Location"] == "/staff/placements/?q=x"
    assert "2 placements are now assigned to Сәуле Екінші." in told(response)
    for placement in (first, second):
        placement.refresh_from_db()
        assert placement.social_worker == other_worker
        latest = placement.history.latest()
        assert latest.history_user == administrator and latest.social_worker_id == other_worker.pk
    kept.refresh_from_db()
    assert kept.social_worker == social_worker


def test_mine_follows_the_new_assignment(client, administrator, other_worker, make_placement):
    placement = make_placement()
    client.force_login(administrator)
    reassign(client, [placement], other_worker)

    client.force_login(other_worker)
    html = client.get("/staff/?mine=1").content.decode()

    assert str(placement.child) in html


def test_a_closed_placement_among_the_ticked_ones_moves_none(
    client, administrator, social_worker, other_worker, make_placement, today
):
    active, closed = make_placement(), make_placement(days_ago=60)
    services.placement_close(
        placement=closed, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )
    client.force_login(administrator)

    response = reassign(client, [active, closed], other_worker)

    assert "closed or no longer exists" in told(response)
    active.refresh_from_db()
    assert active.social_worker == social_worker


def test_cases_go_only_to_an_active_social_worker(
    client, administrator, social_worker, medical_staff, make_placement
):
    placement = make_placement()
    client.force_login(administrator)

    response = reassign(client, [placement], medical_staff)

    assert "Choose an active social worker." in told(response)
    placement.refresh_from_db()
    assert placement.social_worker == social_worker


def test_a_social_worker_cannot_reassign(client, social_worker, other_worker, make_placement):
    placement = make_placement()
    client.force_login(social_worker)

    assert reassign(client, [placement], other_worker).status_code == 403
    placement.refresh_from_db()
    assert placement.social_worker == social_worker


def test_the_reassign_controls_are_offered_to_administrators_only(
    client, administrator, social_worker, make_placement
):
    placement = make_placement()
    for user, offered in ((administrator, True), (social_worker, False)):
        client.force_login(user)
        listing = client.get("/staff/placements/").content.decode()
        case = client.get(f"/staff/placements/{placement.pk}/").content.decode()
        assert ('action="/staff/placements/reassign/"' in listing) is offered
        assert ('action="/staff/placements/reassign/"' in case) is offered


@pytest.mark.parametrize("next_url", ["O'Neil", "https://evil.example/", "//evil.example/"])
def test_a_next_address_that_is_not_a_path_here_goes_back_to_the_list(
    client, administrator, other_worker, make_placement, next_url
):
    placement = make_placement()
    client.force_login(administrator)

    response = reassign(client, [placement], other_worker, next_url=next_url)

    assert response.status_code == 302 and response["Location"] == "/staff/placements/"


def test_an_id_too_large_for_the_database_is_a_message_not_a_server_error(
    client, administrator, other_worker, make_placement
):
    """Found by the fuzz run: SQLite refused `pk__in` with 99999999999999999999."""
    placement = make_placement()
    client.force_login(administrator)

    response = client.post(
        "/staff/placements/reassign/",
        {"placements": [placement.pk, "99999999999999999999"], "social_worker": other_worker.pk},
    )

    assert response.status_code == 302
    assert "closed or no longer exists" in told(response)
    placement.refresh_from_db()
    assert placement.social_worker != other_worker
