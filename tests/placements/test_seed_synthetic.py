"""The synthetic data of the benchmarks obeys every rule the portal enforces."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from placements.models import FollowUp, Placement, ReturnApplication, Visit

pytestmark = pytest.mark.django_db


def _seed(n, seed=7):
    call_command(
        "seed_synthetic", placements=n, seed=seed, stdout=io.StringIO(), stderr=io.StringIO()
    )


def _fingerprint():
    return (
        list(
            Placement.objects.order_by("pk").values_list(
                "admitted_on", "status", "outcome", "closed_on"
            )
        ),
        Visit.objects.count(),
        ReturnApplication.objects.count(),
    )


def test_it_covers_every_outcome_with_visits_applications_and_follow_ups():
    _seed(300)

    closed = Placement.objects.closed()
    assert set(closed.values_list("outcome", flat=True)) == set(Placement.Outcome.values)
    assert Placement.objects.active().exists()
    assert Visit.objects.count() > 300 * 5
    assert (
        ReturnApplication.objects.filter(status="approved").count()
        == closed.filter(outcome="returned").count()
    )
    assert FollowUp.objects.exclude(done_on=None).exists() and FollowUp.objects.pending().exists()


def test_every_record_obeys_the_model_rules():
    _seed(120)

    checked = 0
    for label in ("families", "placements"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            for obj in model.objects.all():
                obj.full_clean()
                checked += 1
    assert checked > 2000


def test_the_same_seed_gives_the_same_data():
    with transaction.atomic():
        _seed(50, seed=11)
        first = _fingerprint()
        transaction.set_rollback(True)

    _seed(50, seed=11)

    assert _fingerprint()[0] == first[0] and _fingerprint()[1:] == first[1:]


def test_synthetic_people_carry_no_serial_and_are_never_the_same_person_twice():
    """Issue 37: names as a register has them, without a serial, at any scale."""
    import re

    from families.models import Child, Parent

    _seed(300)
    everyone = [*Child.objects.all(), *Parent.objects.all()]
    serial = re.compile(r"-[а-яәіңғүұқөһ]{1,3}$|\d")

    assert not [p for p in everyone if serial.search(f"{p.surname} {p.given_name}")]
    keys = [(p.surname, p.given_name, p.patronymic, p.date_of_birth) for p in everyone]
    assert len(keys) == len(set(keys))
