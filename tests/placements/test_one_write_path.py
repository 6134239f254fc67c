"""One write path: the holes the audits found in the admin are closed, every save goes
through a service, and the guard that checks the latter (tests/conftest.py) bites."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone

from placements import services
from placements.models import FollowUp, Placement, ReturnApplication, Visit
from tests.conftest import WriteOutsideService

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def returned(make_placement, administrator, today):
    """A placement whose child went home 40 days ago: its 1-month follow-up is due."""
    placement = make_placement(days_ago=100)
    services.placement_close(
        placement=placement,
        outcome=Placement.Outcome.RETURNED,
        on=today - 40 * DAY,
        by=administrator,
    )
    return placement


@pytest.fixture
def second_social_worker(django_user_model, social_worker):
    other = django_user_model.objects.create_user(username="social_worker2", is_staff=True)
    other.groups.set(social_worker.groups.all())
    return other


def _change(follow_up):
    return reverse("admin:placements_followup_change", args=[follow_up.pk])


def _form(done_on, situation="concerns", notes="Changed afterwards"):
    return {
        "done_on": done_on.isoformat() if done_on else "",
        "method": "phone_call",
        "situation": situation,
        "notes": notes,
        "missed_reason": "",
    }


def _stored(follow_up):
    return FollowUp.objects.filter(pk=follow_up.pk).values(*FollowUp.RECORDED_FIELDS).get()


# Security #2 / code review F1: follow-ups changed in the admin


@pytest.fixture
def recorded(returned, social_worker, today):
    """The 1-month follow-up, recorded by the social worker."""
    follow_up = returned.follow_ups.get(months_after=1)
    services.followup_record(
        follow_up=follow_up,
        done_on=today - 5 * DAY,
        method="home_visit",
        situation="stable",
        by=social_worker,
    )
    return follow_up


def test_a_second_social_worker_cannot_overwrite_a_recorded_follow_up_in_the_admin(
    client, recorded, social_worker, second_social_worker
):
    follow_up = recorded
    before = _stored(follow_up)
    client.force_login(second_social_worker)

    response = client.post(_change(follow_up), _form(datetime.date(2030, 1, 1)))

    assert response.status_code == 403
    assert _stored(follow_up) == before
    follow_up.refresh_from_db()
    assert follow_up.recorded_by == social_worker


def test_an_administrator_cannot_overwrite_a_recorded_follow_up_either(
    client, recorded, administrator, today
):
    follow_up = recorded
    before = _stored(follow_up)
    client.force_login(administrator)

    response = client.post(_change(follow_up), _form(today - 2 * DAY))

    assert response.status_code == 403  # the page is read-only
    assert _stored(follow_up) == before
    follow_up.refresh_from_db()
    follow_up.situation = FollowUp.Situation.CONCERNS
    with pytest.raises(ValidationError, match="already recorded"):
        follow_up.full_clean()  # and the model itself refuses it, whatever the path


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (datetime.date(2030, 1, 1), "cannot be in the future"),
        (None, "before the child went home"),
    ],
)
def test_the_admin_refuses_a_follow_up_in_the_future_or_before_the_return(
    client, returned, administrator, today, when, message
):
    follow_up = returned.follow_ups.get(months_after=1)
    when = when or returned.closed_on - 10 * DAY
    client.force_login(administrator)

    response = client.post(_change(follow_up), _form(when))

    assert response.status_code == 200
    assert message in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.is_pending and follow_up.recorded_by is None


def test_an_administrator_records_a_pending_follow_up_and_is_named_its_recorder(
    client, returned, administrator, today
):
    follow_up = returned.follow_ups.get(months_after=1)
    client.force_login(administrator)

    response = client.post(_change(follow_up), _form(today - DAY, situation="stable"))

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.done_on, follow_up.situation) == (today - DAY, "stable")
    assert follow_up.recorded_by == administrator
    assert follow_up.history.latest().history_user == administrator


def test_social_workers_see_follow_ups_in_the_admin_read_only(client, returned, social_worker):
    follow_up = returned.follow_ups.get(months_after=1)
    client.force_login(social_worker)

    page = client.get(_change(follow_up))

    assert page.status_code == 200
    assert 'name="done_on"' not in page.content.decode()


# Reliability #4a: a second open application through the admin


def test_a_second_open_application_in_the_admin_is_a_form_error_not_a_server_error(
    client, administrator, make_placement, make_application, today
):
    placement = make_placement(days_ago=30)
    make_application(placement)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:placements_returnapplication_add"),
        {
            "placement": placement.pk,
            "applicant": placement.child.parents.get().pk,
            "filed_on": today.isoformat(),
            "comment": "",
        },
    )

    assert response.status_code == 200
    assert "already has an open return application" in response.content.decode()
    assert placement.return_applications.count() == 1


# Workspace records: read-only in the admin for the roles that log them in the workspace


@pytest.mark.parametrize("role", ["social_worker", "medical_staff"])
def test_a_visit_cannot_be_changed_in_the_admin_by_who_logs_it_in_the_workspace(
    client, request, make_placement, make_visit, role
):
    visit = make_visit(make_placement(days_ago=20), days_ago=2)
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        reverse("admin:placements_visit_change", args=[visit.pk]),
        {
            "placement": visit.placement_id,
            "parent": visit.parent_id,
            "visited_at_0": timezone.localtime(visit.visited_at).strftime("%d.%m.%Y"),
            "visited_at_1": "10:00",
            "duration_minutes": 5,
            "notes": "changed",
        },
    )

    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.duration_minutes == 60 and visit.notes == ""


def test_an_administrator_corrects_a_visit_and_is_named_its_recorder(
    client, administrator, social_worker, make_placement, make_visit
):
    visit = make_visit(make_placement(days_ago=20), days_ago=2)
    client.force_login(administrator)
    local = timezone.localtime(visit.visited_at)

    response = client.post(
        reverse("admin:placements_visit_change", args=[visit.pk]),
        {
            "placement": visit.placement_id,
            "parent": visit.parent_id,
            "visited_at_0": local.strftime("%Y-%m-%d"),
            "visited_at_1": local.strftime("%H:%M:%S"),
            "duration_minutes": 45,
            "notes": "Corrected: 45 minutes",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert (visit.duration_minutes, visit.recorded_by) == (45, administrator)
    assert visit.history.earliest().recorded_by == social_worker  # who logged it first
    assert visit.history.latest().history_user == administrator


# The services themselves


def test_every_service_refuses_a_user_without_the_permission(
    make_placement, make_application, medical_staff, today
):
    placement = make_placement(days_ago=30)
    application = make_application(placement)
    parent = placement.child.parents.get()
    calls = [
        lambda: services.visit_record(
            placement=placement,
            parent=parent,
            visited_at=timezone.now(),
            duration_minutes=30,
            by=medical_staff,
        ),
        lambda: services.application_register(
            placement=placement, applicant=parent, filed_on=today, by=medical_staff
        ),
        lambda: services.application_start_review(application=application, by=medical_staff),
        lambda: services.application_withdraw(application=application, by=medical_staff),
        lambda: services.placement_close(
            placement=placement, outcome="other", on=today, by=medical_staff
        ),
        lambda: services.placement_extend(
            placement=placement,
            new_end_on=placement.planned_end_on + DAY,
            reason="x",
            basis_number="1",
            basis_date=today,
            by=medical_staff,
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not Visit.objects.exists()
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_a_service_leaves_history_naming_who_acted(
    make_placement, make_application, social_worker, administrator
):
    application = make_application(make_placement(days_ago=30))

    services.application_start_review(application=application, by=social_worker)
    services.application_withdraw(application=application, by=administrator)

    users = [h.history_user for h in application.history.order_by("history_id")]
    assert users[-2:] == [social_worker, administrator]


def test_services_take_their_arguments_by_keyword_only(make_placement, social_worker):
    with pytest.raises(TypeError):
        services.placement_close(make_placement(), "other", timezone.localdate(), social_worker)


# The guard of tests/conftest.py: a write around the services fails the test


def _direct_visit(request):
    visit = Visit.objects.select_related("placement").get()
    visit.notes = "written by a view"
    visit.save()
    return HttpResponse("saved")


urlpatterns = [path("direct/", _direct_visit)]


@override_settings(ROOT_URLCONF=__name__)
def test_the_guard_fails_a_view_that_saves_a_case_record_itself(client, make_placement, make_visit):
    make_visit(make_placement(days_ago=10), days_ago=1)

    with pytest.raises(WriteOutsideService, match="GET /direct/ wrote Visit"):
        client.get("/direct/")


def test_the_guard_fails_a_command_that_writes_around_the_services(make_placement):
    placement = make_placement(days_ago=10)

    class Command(BaseCommand):
        def handle(self, *args, **options):
            Placement.objects.filter(pk=placement.pk).update(crisis_notes="bulk")

    with pytest.raises(WriteOutsideService, match="wrote Placement \\(update\\)"):
        Command().execute(
            no_color=True, force_color=False, stdout=None, stderr=None, skip_checks=True
        )


def test_the_guard_lets_a_view_write_through_a_service(client, social_worker, make_placement):
    placement = make_placement(days_ago=10)
    client.force_login(social_worker)

    response = client.post(
        reverse("placements:visit_new", args=[placement.pk]),
        {
            "parent": placement.child.parents.get().pk,
            "visited_at": (timezone.localtime() - DAY).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
        },
    )

    assert response.status_code == 302
    assert Visit.objects.get().recorded_by == social_worker


def test_the_workspace_sends_an_application_for_review_and_records_a_withdrawal(
    client, social_worker, make_placement, make_application
):
    application = make_application(make_placement(days_ago=30))
    client.force_login(social_worker)
    page = client.get(reverse("placements:detail", args=[application.placement_id]))
    send = reverse("placements:application_send", args=[application.pk])
    withdraw = reverse("placements:application_progress", args=[application.pk, "withdraw"])
    assert send in page.content.decode() and withdraw in page.content.decode()
    act = services.inspection_record(
        placement=application.placement, inspected_on=application.filed_on, inspectors="x",
        address="y", conclusion="z", risk_level="low", risk_reason="r", by=social_worker,
    )  # fmt: skip

    client.post(
        send,
        {"sent_on": application.filed_on.isoformat(), "outgoing_number": "01-15/77",
         "inspection": act.pk},
    )  # fmt: skip
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.UNDER_REVIEW
    response = client.post(withdraw, follow=True)
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.WITHDRAWN
    assert "The withdrawal is recorded." in response.content.decode()

    response = client.post(withdraw, follow=True)  # once more: already final
    assert "cannot change again" in response.content.decode()


def test_medical_staff_cannot_move_an_application(
    client, medical_staff, make_placement, make_application
):
    application = make_application(make_placement(days_ago=30))
    client.force_login(medical_staff)

    response = client.post(
        reverse("placements:application_progress", args=[application.pk, "withdraw"])
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_a_decision_posted_by_a_user_not_offered_it_is_refused(
    client, medical_staff, make_placement, make_application, today
):
    application = make_application(make_placement(days_ago=30))
    client.force_login(medical_staff)

    response = client.post(
        reverse("admin:placements_returnapplication_changelist"),
        {
            "action": "approve_applications",
            ACTION_CHECKBOX_NAME: [application.pk],
            "apply": "1",
            "decision_number": "X",
            "decision_date": today.isoformat(),
            "returned_on": today.isoformat(),
        },
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_a_correction_changes_neither_the_status_nor_whose_stay_a_record_is(
    make_placement, make_visit, administrator
):
    placement = make_placement(days_ago=20)
    visit = make_visit(placement, days_ago=1)

    with pytest.raises(TypeError, match="status"):
        services.placement_update(placement=placement, status="closed", by=administrator)
    with pytest.raises(TypeError, match="placement"):
        services.visit_update(visit=visit, placement=make_placement(), by=administrator)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE
