import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from placements import services
from placements.models import Placement, ReturnApplication

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def application(make_placement, make_application):
    return make_application(make_placement(days_ago=60), days_ago=10)


def _approve(application, by, today, **overrides):
    values = {"by": by, "decision_number": "ҚҚ-2026-15", "decision_date": today - DAY}
    values.update(overrides)
    services.application_approve(application=application, **values)


def test_a_new_application_is_submitted(application):
    assert application.status == ReturnApplication.Status.SUBMITTED


def test_approval_closes_the_placement_as_returned_home(application, administrator, today):
    _approve(application, administrator, today, returned_on=today)

    application.refresh_from_db()
    placement = Placement.objects.get(pk=application.placement_id)
    assert application.status == ReturnApplication.Status.APPROVED
    assert (application.decision_number, application.decision_date, application.decided_by) == (
        "ҚҚ-2026-15",
        today - DAY,
        administrator,
    )
    assert application.decided_at is not None
    assert (placement.status, placement.outcome, placement.closed_on, placement.closed_by) == (
        Placement.Status.CLOSED,
        Placement.Outcome.RETURNED,
        today,
        administrator,
    )


def test_the_child_goes_home_today_unless_another_date_is_given(application, administrator, today):
    _approve(application, administrator, today)

    assert Placement.objects.get(pk=application.placement_id).closed_on == today


def test_approval_and_closing_are_one_transaction(application, make_visit, administrator, today):
    # A visit today makes a closing date of yesterday impossible: nothing must change.
    make_visit(application.placement, days_ago=0)

    with pytest.raises(ValidationError):
        _approve(
            application,
            administrator,
            today,
            decision_date=today - 2 * DAY,
            returned_on=today - DAY,
        )

    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.SUBMITTED
    assert application.decision_number == ""
    assert Placement.objects.get(pk=application.placement_id).status == Placement.Status.ACTIVE


def test_an_approved_application_cannot_change_status_again(application, administrator, today):
    _approve(application, administrator, today)

    for change in (
        lambda: _approve(application, administrator, today),
        lambda: services.application_reject(
            application=application,
            by=administrator,
            decision_number="2",
            decision_date=today,
            reason="Басқа",
        ),
        lambda: services.application_withdraw(application=application, by=administrator),
        lambda: services.application_start_review(application=application, by=administrator),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert error.value.code == "final"
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.APPROVED


def test_a_rejected_application_is_final_and_the_child_stays(application, administrator, today):
    services.application_reject(
        application=application,
        by=administrator,
        decision_number="ҚҚ-9",
        decision_date=today,
        reason="Тұрғын үй жоқ",
    )

    with pytest.raises(ValidationError):
        _approve(application, administrator, today)
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.REJECTED
    assert "Тұрғын үй жоқ" in application.comment
    assert application.placement.status == Placement.Status.ACTIVE


def test_a_rejection_needs_a_reason(application, administrator, today):
    with pytest.raises(ValidationError) as error:
        services.application_reject(
            application=application,
            by=administrator,
            decision_number="ҚҚ-9",
            decision_date=today,
            reason=" ",
        )
    assert list(error.value.message_dict) == ["reason"]


def test_a_decision_needs_the_authoritys_number_and_a_sensible_date(
    application, administrator, today
):
    with pytest.raises(ValidationError) as error:
        _approve(application, administrator, today, decision_number="  ")
    assert list(error.value.message_dict) == ["decision_number"]
    with pytest.raises(ValidationError) as error:
        _approve(application, administrator, today, decision_date=today + DAY)
    assert list(error.value.message_dict) == ["decision_date"]
    with pytest.raises(ValidationError) as error:
        _approve(application, administrator, today, decision_date=today - 30 * DAY)
    assert list(error.value.message_dict) == ["decision_date"]
    assert ReturnApplication.objects.get(pk=application.pk).status == "submitted"


def test_the_child_cannot_go_home_before_the_decision(application, administrator, today):
    with pytest.raises(ValidationError) as error:
        _approve(application, administrator, today, decision_date=today, returned_on=today - DAY)
    assert list(error.value.message_dict) == ["returned_on"]
    assert application.placement.status == "active"


def test_review_then_withdrawal(application, social_worker):
    services.application_start_review(application=application, by=social_worker)
    assert application.status == ReturnApplication.Status.UNDER_REVIEW
    with pytest.raises(ValidationError) as error:
        services.application_start_review(application=application, by=social_worker)
    assert error.value.code == "same"

    services.application_withdraw(application=application, by=social_worker)

    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.WITHDRAWN
    assert application.decided_by == social_worker


@pytest.mark.parametrize("role", ["social_worker", "medical_staff"])
def test_only_a_user_with_the_permission_can_decide(application, request, today, role):
    user = request.getfixturevalue(role)

    with pytest.raises(PermissionDenied):
        _approve(application, user, today)
    with pytest.raises(PermissionDenied):
        services.application_reject(
            application=application,
            by=user,
            decision_number="1",
            decision_date=today,
            reason="Себеп",
        )
    assert ReturnApplication.objects.get(pk=application.pk).status == "submitted"


def test_one_open_application_per_placement(application, make_application):
    with pytest.raises(ValidationError):
        make_application(application.placement)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnApplication.objects.create(
            placement=application.placement,
            applicant=application.applicant,
            filed_on=application.filed_on,
            registered_by=application.registered_by,
        )


def test_a_new_application_may_follow_a_rejected_one(
    application, make_application, administrator, today
):
    services.application_reject(
        application=application,
        by=administrator,
        decision_number="ҚҚ-9",
        decision_date=today,
        reason="Әлі ерте",
    )

    second = make_application(application.placement, days_ago=0)

    assert second.status == ReturnApplication.Status.SUBMITTED


def test_no_application_for_a_closed_placement(
    make_placement, make_application, administrator, today
):
    placement = make_placement(days_ago=30)
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )

    with pytest.raises(ValidationError):
        make_application(placement, days_ago=0)


def test_the_applicant_must_be_a_parent_of_the_child(make_placement, make_parent, make_application):
    with pytest.raises(ValidationError) as error:
        make_application(make_placement(), applicant=make_parent())
    assert "applicant" in error.value.message_dict


def test_the_database_refuses_an_approval_without_a_decision(application):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReturnApplication.objects.filter(pk=application.pk).update(status="approved")
