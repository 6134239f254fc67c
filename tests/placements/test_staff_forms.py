"""Logging a visit or a consultation, registering an application, extending a term."""

import datetime

import pytest
from django.utils import timezone

from placements import services
from placements.models import ReturnApplication, TermExtension

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def placement(make_placement):
    return make_placement(days_ago=30)


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_the_visit_form_offers_now_and_the_childs_parents_only(signed_in, placement, make_parent):
    stranger = make_parent()

    html = signed_in.get(f"/staff/placements/{placement.pk}/visits/new/").content.decode()

    now = timezone.localtime().strftime("%Y-%m-%dT%H:")
    assert f'value="{now}' in html
    assert str(placement.child.parents.get()) in html
    assert str(stranger) not in html


def test_a_visit_is_logged_and_the_user_goes_back_to_the_dashboard(
    signed_in, placement, social_worker
):
    parent = placement.child.parents.get()
    url = f"/staff/placements/{placement.pk}/visits/new/"

    response = signed_in.post(
        url,
        {
            "parent": parent.pk,
            "visited_at": local(timezone.now() - DAY),
            "duration_minutes": 45,
            "notes": "Fed the baby",
            "next": "/staff/",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/staff/"
    assert "The visit is logged." in response.content.decode()
    visit = placement.visits.get()
    assert (visit.parent, visit.duration_minutes, visit.recorded_by) == (parent, 45, social_worker)


def test_after_a_visit_without_next_the_placement_page_opens(signed_in, placement):
    response = signed_in.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": local(timezone.now()),
            "duration_minutes": 30,
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == f"/staff/placements/{placement.pk}/"


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (DAY, "The date cannot be in the future."),
        (-40 * DAY, "before the admission"),
    ],
)
def test_a_visit_outside_the_stay_is_refused_and_nothing_typed_is_lost(
    signed_in, placement, when, message
):
    response = signed_in.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": local(timezone.now() + when),
            "duration_minutes": 45,
            "notes": "Кеш келді / пришла поздно",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Кеш келді / пришла поздно" in html and 'value="45"' in html
    assert placement.visits.count() == 0


def test_a_visit_by_someone_not_linked_to_the_child_is_refused(signed_in, placement, make_parent):
    stranger = make_parent()

    response = signed_in.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {"parent": stranger.pk, "visited_at": local(timezone.now()), "duration_minutes": 30},
    )

    assert "Choose one of this child&#x27;s parents" in response.content.decode()
    assert placement.visits.count() == 0


def test_the_messages_come_in_the_users_language(client, social_worker, placement):
    client.force_login(social_worker)
    client.cookies["django_language"] = "ru"

    response = client.post(
        f"/staff/placements/{placement.pk}/visits/new/",
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": local(timezone.now() + DAY),
            "duration_minutes": 30,
        },
        headers={"accept-language": "ru"},
    )

    assert "Дата не может быть в будущем." in response.content.decode()


def test_a_consultation_is_logged_by_medical_staff(client, medical_staff, placement):
    client.force_login(medical_staff)

    response = client.post(
        f"/staff/placements/{placement.pk}/consultations/new/",
        {
            "parent": placement.child.parents.get().pk,
            "specialist": "doctor",
            "held_on": timezone.localdate().isoformat(),
            "summary": "Growth on track",
        },
    )

    assert response.status_code == 302
    consultation = placement.consultations.get()
    assert (consultation.specialist, consultation.recorded_by) == ("doctor", medical_staff)


def test_a_consultation_needs_a_summary(signed_in, placement):
    response = signed_in.post(
        f"/staff/placements/{placement.pk}/consultations/new/",
        {
            "parent": placement.child.parents.get().pk,
            "specialist": "lawyer",
            "held_on": timezone.localdate().isoformat(),
            "summary": "",
        },
    )

    assert "This field is required." in response.content.decode()


def test_a_return_application_is_registered_as_submitted(signed_in, placement, social_worker):
    response = signed_in.post(
        f"/staff/placements/{placement.pk}/applications/new/",
        {"applicant": placement.child.parents.get().pk, "filed_on": timezone.localdate()},
    )

    assert response.status_code == 302
    application = placement.return_applications.get()
    assert application.status == ReturnApplication.Status.SUBMITTED
    assert application.registered_by == social_worker


def test_a_second_open_application_is_refused(signed_in, placement, make_application):
    make_application(placement)

    response = signed_in.post(
        f"/staff/placements/{placement.pk}/applications/new/",
        {"applicant": placement.child.parents.get().pk, "filed_on": timezone.localdate()},
    )

    assert "already has an open return application" in response.content.decode()
    assert placement.return_applications.count() == 1


def test_two_applications_registered_at_the_same_instant_give_a_message_not_an_error(
    signed_in, placement, make_application, monkeypatch
):
    make_application(placement)
    # The second request validated before the first was saved: only the database sees it.
    monkeypatch.setattr(ReturnApplication, "validate_constraints", lambda self, exclude=None: None)

    response = signed_in.post(
        f"/staff/placements/{placement.pk}/applications/new/",
        {"applicant": placement.child.parents.get().pk, "filed_on": timezone.localdate()},
    )

    assert response.status_code == 200
    assert "already has an open return application" in response.content.decode()
    assert placement.return_applications.count() == 1


def test_an_administrator_extends_the_term(client, administrator, placement, today):
    client.force_login(administrator)
    new_end = placement.planned_end_on + 90 * DAY

    response = client.post(
        f"/staff/placements/{placement.pk}/extensions/new/",
        {
            "new_end_on": new_end.isoformat(),
            "reason": "The mother is still in hospital",
            "basis_number": "ҚҚ-7",
            "basis_date": today.isoformat(),
        },
    )

    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.planned_end_on == new_end
    assert TermExtension.objects.get().granted_by == administrator


def test_an_extension_must_move_the_end_later(client, administrator, placement, today):
    client.force_login(administrator)

    response = client.post(
        f"/staff/placements/{placement.pk}/extensions/new/",
        {
            "new_end_on": (placement.planned_end_on - DAY).isoformat(),
            "reason": "x",
            "basis_number": "1",
            "basis_date": today.isoformat(),
        },
    )

    assert "must be after the current one" in response.content.decode()
    assert not TermExtension.objects.exists()


def test_closed_placements_take_no_new_application(signed_in, placement, administrator, today):
    services.placement_close(placement=placement, outcome="other", on=today, by=administrator)

    response = signed_in.post(
        f"/staff/placements/{placement.pk}/applications/new/",
        {"applicant": placement.child.parents.get().pk, "filed_on": today},
    )

    assert "The placement is closed" in response.content.decode()
