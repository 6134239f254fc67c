import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from crisisunit.lib.dates import add_months
from placements import services
from placements.models import Placement, TermExtension

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_planned_end_defaults_to_the_standard_term(make_placement, today):
    placement = make_placement(days_ago=10)

    assert placement.planned_end_on == add_months(today - 10 * DAY, 6)


def test_the_standard_term_is_a_setting(make_placement, settings, today):
    settings.PLACEMENT_TERM_MONTHS = 3

    placement = make_placement(days_ago=10)

    assert placement.planned_end_on == add_months(today - 10 * DAY, 3)


def test_the_planned_end_must_be_after_the_admission(make_placement, today):
    with pytest.raises(ValidationError) as error:
        make_placement(days_ago=0, planned_end_on=today)

    assert "after the admission" in str(error.value)


def test_the_database_refuses_an_end_before_the_admission(make_placement, today):
    placement = make_placement()

    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(planned_end_on=today - 60 * DAY)


def test_a_child_has_at_most_one_active_placement(make_placement):
    placement = make_placement(days_ago=30)

    with pytest.raises(ValidationError) as error:
        make_placement(days_ago=5, child=placement.child)
    assert "admitted_on" in error.value.message_dict

    second = Placement.objects.get(pk=placement.pk)
    second.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_child_can_come_back_after_a_closed_stay(make_placement, administrator, today):
    first = make_placement(days_ago=100)
    services.placement_close(
        placement=first, outcome=Placement.Outcome.OTHER, on=today - 50 * DAY, by=administrator
    )

    again = make_placement(days_ago=20, child=first.child)

    assert again.status == Placement.Status.ACTIVE


def test_a_new_stay_cannot_overlap_a_closed_one(make_placement, administrator, today):
    first = make_placement(days_ago=100)
    services.placement_close(
        placement=first, outcome=Placement.Outcome.OTHER, on=today - 50 * DAY, by=administrator
    )

    with pytest.raises(ValidationError):
        make_placement(days_ago=60, child=first.child)


def test_admission_cannot_be_before_birth_or_in_the_future(make_child, make_placement, today):
    child = make_child(date_of_birth=today - 5 * DAY)

    with pytest.raises(ValidationError):
        make_placement(days_ago=10, child=child)
    with pytest.raises(ValidationError):
        make_placement(days_ago=-1)


def test_closing_records_outcome_date_and_who(make_placement, administrator, today):
    placement = make_placement()

    services.placement_close(
        placement=placement, outcome=Placement.Outcome.ADOPTED, on=today, by=administrator
    )

    placement.refresh_from_db()
    assert (placement.status, placement.outcome, placement.closed_on, placement.closed_by) == (
        Placement.Status.CLOSED,
        Placement.Outcome.ADOPTED,
        today,
        administrator,
    )


def test_a_closed_placement_cannot_close_again(make_placement, administrator, today):
    placement = make_placement()
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.ADOPTED, on=today, by=administrator
    )

    with pytest.raises(ValidationError) as error:
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
        )
    assert error.value.code == "closed"


def test_it_refuses_to_close_while_a_return_application_is_open(
    make_placement, make_application, administrator, today
):
    placement = make_placement()
    make_application(placement)

    with pytest.raises(ValidationError) as error:
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
        )
    assert error.value.code == "open_application"


def test_it_refuses_a_closing_date_before_a_recorded_visit(
    make_placement, make_visit, administrator, today
):
    placement = make_placement(days_ago=30)
    make_visit(placement, days_ago=2)

    with pytest.raises(ValidationError):
        services.placement_close(
            placement=placement,
            outcome=Placement.Outcome.OTHER,
            on=today - 5 * DAY,
            by=administrator,
        )
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_the_database_refuses_a_closed_placement_without_an_outcome(make_placement, administrator):
    placement = make_placement()

    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(
            status=Placement.Status.CLOSED,
            closed_on=models.F("admitted_on"),
            closed_by=administrator,
        )


def test_an_extension_moves_the_end_and_keeps_the_record(make_placement, administrator, today):
    placement = make_placement(days_ago=170)
    old_end = placement.planned_end_on

    services.placement_extend(
        placement=placement,
        new_end_on=old_end + 60 * DAY,
        reason="Анасы емделуде",
        basis_number="ҰЗ-7",
        basis_date=today,
        by=administrator,
    )

    placement.refresh_from_db()
    extension = TermExtension.objects.get(placement=placement)
    assert placement.planned_end_on == old_end + 60 * DAY
    assert (extension.previous_end_on, extension.new_end_on, extension.granted_by) == (
        old_end,
        old_end + 60 * DAY,
        administrator,
    )


def test_an_extension_must_move_the_end_later(make_placement, administrator, today):
    placement = make_placement(days_ago=170)

    with pytest.raises(ValidationError):
        services.placement_extend(
            placement=placement,
            new_end_on=placement.planned_end_on - DAY,
            reason="Себеп",
            basis_number="ҰЗ-7",
            basis_date=today,
            by=administrator,
        )
    assert not TermExtension.objects.exists()


def test_an_extension_needs_a_reason(make_placement, administrator, today):
    placement = make_placement(days_ago=170)

    with pytest.raises(ValidationError) as error:
        services.placement_extend(
            placement=placement,
            new_end_on=placement.planned_end_on + DAY,
            reason="  ",
            basis_number="ҰЗ-7",
            basis_date=today,
            by=administrator,
        )
    assert "reason" in error.value.message_dict


def test_a_closed_placement_cannot_be_extended(make_placement, administrator, today):
    placement = make_placement(days_ago=170)
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.OTHER, on=today, by=administrator
    )

    with pytest.raises(ValidationError):
        services.placement_extend(
            placement=placement,
            new_end_on=placement.planned_end_on + DAY,
            reason="Себеп",
            basis_number="ҰЗ-7",
            basis_date=today,
            by=administrator,
        )


def test_case_records_cannot_be_deleted_while_linked(make_placement, make_visit):
    placement = make_placement()
    make_visit(placement)

    with pytest.raises(models.ProtectedError):
        placement.child.delete()
    with pytest.raises(models.ProtectedError):
        placement.delete()


def test_overdue_for_visit_counts_from_the_last_visit_or_the_admission(
    make_placement, make_visit, today
):
    visited_7_days_ago = make_placement(days_ago=30)
    make_visit(visited_7_days_ago, days_ago=7)
    visited_8_days_ago = make_placement(days_ago=30)
    make_visit(visited_8_days_ago, days_ago=8)
    admitted_8_days_ago_no_visit = make_placement(days_ago=8)
    admitted_7_days_ago_no_visit = make_placement(days_ago=7)

    overdue = set(Placement.objects.overdue_for_visit(today))

    assert overdue == {visited_8_days_ago, admitted_8_days_ago_no_visit}
    assert visited_7_days_ago not in overdue and admitted_7_days_ago_no_visit not in overdue
