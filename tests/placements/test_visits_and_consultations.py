import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from placements import services
from placements.models import Consultation, Placement, Visit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _visit_errors(placement, social_worker, *, visited_at, parent=None, minutes=60):
    visit = Visit(
        placement=placement,
        parent=parent or placement.child.parents.first(),
        visited_at=visited_at,
        duration_minutes=minutes,
        recorded_by=social_worker,
    )
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    return error.value.message_dict


def test_a_visit_inside_the_stay_is_recorded(make_placement, make_visit):
    placement = make_placement(days_ago=10)

    make_visit(placement, days_ago=3)

    assert placement.visits.count() == 1


def test_it_refuses_a_visit_before_admission(make_placement, social_worker):
    placement = make_placement(days_ago=10)

    errors = _visit_errors(placement, social_worker, visited_at=timezone.now() - 11 * DAY)

    assert "before the admission" in errors["visited_at"][0]


def test_it_refuses_a_visit_in_the_future(make_placement, social_worker):
    placement = make_placement(days_ago=10)

    errors = _visit_errors(
        placement, social_worker, visited_at=timezone.now() + datetime.timedelta(hours=2)
    )

    assert "future" in errors["visited_at"][0]


def test_it_refuses_a_visit_after_the_closing(make_placement, administrator, social_worker, today):
    placement = make_placement(days_ago=20)
    services.placement_close(
        placement=placement, outcome=Placement.Outcome.OTHER, on=today - 5 * DAY, by=administrator
    )

    errors = _visit_errors(placement, social_worker, visited_at=timezone.now() - 2 * DAY)

    assert "closed" in errors["visited_at"][0]


def test_it_refuses_a_visitor_who_is_not_a_parent_of_the_child(
    make_placement, make_parent, social_worker
):
    placement = make_placement(days_ago=10)
    stranger = make_parent()

    errors = _visit_errors(
        placement, social_worker, visited_at=timezone.now() - DAY, parent=stranger
    )

    assert "not recorded as a parent" in errors["parent"][0]


def test_the_database_refuses_a_visit_without_a_duration(make_placement, make_visit):
    visit = make_visit(make_placement(days_ago=10), days_ago=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(duration_minutes=0)


def _consultation(placement, user, held_on, parent=None):
    return Consultation(
        placement=placement,
        parent=parent or placement.child.parents.first(),
        specialist=Consultation.Specialist.LAWYER,
        held_on=held_on,
        summary="Құжаттар туралы кеңес",
        recorded_by=user,
    )


def test_a_consultation_inside_the_stay_is_recorded(make_placement, medical_staff, today):
    placement = make_placement(days_ago=10)

    consultation = _consultation(placement, medical_staff, today - 2 * DAY)
    consultation.full_clean()
    consultation.save()

    assert placement.consultations.get().specialist == Consultation.Specialist.LAWYER


@pytest.mark.parametrize("offset", [-11, 1])
def test_it_refuses_a_consultation_outside_the_stay_or_in_the_future(
    make_placement, medical_staff, today, offset
):
    placement = make_placement(days_ago=10)

    with pytest.raises(ValidationError) as error:
        _consultation(placement, medical_staff, today + offset * DAY).full_clean()
    assert "held_on" in error.value.message_dict


def test_it_refuses_a_consultation_with_someone_not_a_parent(
    make_placement, make_parent, medical_staff, today
):
    placement = make_placement(days_ago=10)

    with pytest.raises(ValidationError) as error:
        _consultation(placement, medical_staff, today, parent=make_parent()).full_clean()
    assert "parent" in error.value.message_dict
