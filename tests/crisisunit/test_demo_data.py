"""The demo's data, built once for this module's tests, which read it (one adds to it,
inside its own transaction, rolled back as every test's is).

The demo is loaded inside a transaction kept open around these tests and rolled back
after them, as Django's TestCase.setUpTestData does; each test's own transaction nests
in it. Its scans go to a temporary folder, as every test's do."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings

from crisisunit import roles
from placements.models import Document, Placement, ReturnApplication, TermExtension, Visit

pytestmark = pytest.mark.django_db
PASSWORD = "a-demo-password-for-tests"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-documents")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as every test's users
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(DOCUMENTS_ROOT=folder, PASSWORD_HASHERS=fast),
        django_db_blocker.unblock(),
    ):
        storage = FileSystemStorage(location=folder, base_url=None)
        patch.setattr(Document._meta.get_field("file"), "storage", storage)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", password=PASSWORD, stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_demo_users_sign_in_with_their_roles(demo):
    expected = {
        "admin": roles.ADMINISTRATOR,
        "socialworker": roles.SOCIAL_WORKER,
        "doctor": roles.MEDICAL_STAFF,
    }
    for username, group in expected.items():
        login = RequestFactory().post("/staff/login/")  # django-axes needs the request
        user = authenticate(login, username=username, password=PASSWORD)
        assert user is not None and user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert get_user_model().objects.get(username="admin").is_superuser


def test_running_the_demo_again_adds_nothing(demo):
    counts = [model.objects.count() for model in apps.get_models()]

    call_command("demo", password=PASSWORD, stdout=io.StringIO())

    assert [model.objects.count() for model in apps.get_models()] == counts


def test_the_demo_covers_every_state_and_outcome(demo, today):
    placements = Placement.objects.all()
    assert set(placements.values_list("status", flat=True)) == set(Placement.Status.values)
    assert set(placements.closed().values_list("outcome", flat=True)) == set(
        Placement.Outcome.values
    )
    returned_years = set(
        placements.filter(outcome=Placement.Outcome.RETURNED).values_list(
            "closed_on__year", flat=True
        )
    )
    assert {2024, 2025, 2026} <= returned_years
    assert set(ReturnApplication.objects.values_list("status", flat=True)) == set(
        ReturnApplication.Status.values
    )
    assert TermExtension.objects.exists()


def test_the_demo_has_overdue_visits_including_none_since_admission(demo, today):
    overdue = Placement.objects.overdue_for_visit(today)

    assert overdue.count() >= 3
    assert overdue.filter(last_visit_on__isnull=True).exists()
    assert Placement.objects.active().exclude(pk__in=overdue).exists()


def test_every_demo_record_obeys_the_model_rules(demo):
    case_models = [*apps.get_app_config("families").get_models()]
    case_models += [*apps.get_app_config("placements").get_models()]
    checked = 0
    for model in case_models:
        if model._meta.model_name.startswith("historical"):
            continue  # the change history has its own rules
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1

    assert checked > Visit.objects.count()


def test_the_demo_looks_like_a_working_unit(demo, today):
    """Three years at the home's real scale: about 35 returns a year, 20 to 30 children
    in care, so that the public figures, the indicators and the dashboard mean something."""
    in_care = Placement.objects.active().count()
    returns = [
        Placement.objects.returned_home().filter(closed_on__year=year).count()
        for year in (today.year - 2, today.year - 1)
    ]

    assert 20 <= in_care <= 35, in_care
    assert all(25 <= n <= 50 for n in returns), returns


SERIAL = re.compile(r"-[а-яәіңғүұқөһ]{1,3}$|\d")


def people():
    from families.models import Child, Parent

    return [*Child.objects.all(), *Parent.objects.all()]


def test_no_demo_person_carries_a_serial_and_each_name_has_its_sexs_form(demo):
    from families.models import Sex

    everyone = people()

    assert len(everyone) > 300
    for person in everyone:
        for name in (person.surname, person.given_name, person.patronymic):
            assert not SERIAL.search(name), name
        assert person.patronymic, person
        female = person.sex == Sex.FEMALE
        assert person.patronymic.endswith(("вна", "қызы") if female else ("вич", "ұлы")), person
        assert person.surname.endswith(("а", "қызы") if female else ("в", "н", "ұлы")), person
    # Realistic: many surnames and names, repeated as in life, no one twice.
    assert len({p.surname for p in everyone}) > 60
    assert len({p.given_name for p in everyone}) > 60
    keys = [(p.surname, p.given_name, p.patronymic, p.date_of_birth) for p in everyone]
    assert len(keys) == len(set(keys))


def test_the_demo_cases_carry_the_work_with_the_family(demo, today):
    """Issue 31: plans with goals, actions and reviews, inspection acts with a risk
    level, referrals answered or waiting; and one active stay still without a plan, so
    that the dashboard shows it."""
    from placements.models import FamilyPlan, InspectionAct, PlanReview, Referral

    returned = Placement.objects.returned_home().filter(plan__isnull=False)

    assert FamilyPlan.objects.count() >= 15
    assert PlanReview.objects.filter(decision="prepare_return").count() >= 5
    assert {"low", "medium"} <= set(InspectionAct.objects.values_list("risk_level", flat=True))
    assert {"sent", "given"} <= set(Referral.objects.values_list("status", flat=True))
    assert returned.filter(inspections__risk_level="low").exists()
    assert Placement.objects.without_plan(today).count() >= 1
    sent = ReturnApplication.objects.exclude(sent_on=None)
    assert sent.filter(status="approved").exclude(inspection=None).count() >= 5
    assert ReturnApplication.objects.past_deadline(today).count() == 1
