import re

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit import roles
from placements.models import Placement, ReturnApplication, TermExtension, Visit
from tests.signin import code_from_key

pytestmark = pytest.mark.django_db

PASSWORD = "a-demo-password-for-tests"


@pytest.fixture
def demo():
    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_refuses_to_run_with_debug_off_and_no_password():
    with pytest.raises(CommandError, match="--password"):
        call_command("demo")
    assert not Placement.objects.exists()


def test_the_demo_prints_the_logins(capsys):
    call_command("demo", password=PASSWORD)

    out = capsys.readouterr().out
    for username in ("admin", "socialworker", "doctor"):
        assert f"{username} / {PASSWORD}" in out


def test_a_newcomer_signs_in_with_what_the_demo_prints(capsys):
    """`make run` must let a newcomer in: the password, then a code from the printed
    authenticator key, or one of the printed single-use codes."""
    call_command("demo", password=PASSWORD)
    out = capsys.readouterr().out
    found = re.search(
        r"socialworker / \S+\n\s+authenticator key: ([A-Z2-7 ]+)\n\s+single-use codes: (\w+)", out
    )
    key, single_use = found.group(1), found.group(2)
    for code in (code_from_key(key), single_use):
        TOTPDevice.objects.filter(user__username="socialworker").update(last_t=-1)
        browser = Client()
        browser.post("/staff/login/", {"username": "socialworker", "password": PASSWORD})
        assert browser.post("/staff/two-factor/", {"code": code}).status_code == 302
        assert browser.get("/staff/").status_code == 200


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

    call_command("demo", password=PASSWORD, stdout=open("/dev/null", "w"))  # noqa: SIM115

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


# Issue 37: the demo's people read like a real register; its output is quiet.

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


def test_the_demo_says_each_step_then_the_logins_then_where_to_go(capsys, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)

    call_command("demo", password=PASSWORD)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Demo users:")
    assert any(line.startswith("Three years of history in bulk:") for line in lines)
    assert any(line.startswith("Cases registered as staff would:") for line in lines)
    sent = len(list(tmp_path.iterdir()))  # (none here: notices leave on commit)
    assert f"Emails the demo sent: {sent}, in {tmp_path}/." in lines
    assert not [line for line in lines if "MIME-Version" in line or "Subject:" in line]
    assert lines[-2].strip().startswith("single-use codes:")
    assert (
        lines[-1] == f"Open {settings.SITE_URL}/ (the staff workspace: {settings.SITE_URL}/staff/)."
    )
