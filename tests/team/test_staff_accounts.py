"""Issue 33: staff accounts from the workspace — add (with a single-use link to set a
password and enrol), deactivate with a successor, re-activate, reset the second
factor; each change logged; every bad input a message with nothing changed."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit import roles
from crisisunit.models import SecondFactorReset, User
from placements.models import Placement, Task
from team.models import StaffChange
from tests.conftest import _user

pytestmark = pytest.mark.django_db

NEW = {
    "first_name": "Айгерим",
    "last_name": "Жанова",
    "email": "aigerim@example.kz",
    "role": roles.SOCIAL_WORKER,
    "language": "kk",
}


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def colleague(django_user_model):
    return _user(django_user_model, "colleague", roles.SOCIAL_WORKER, first_name="Дана")


def link_in(html):
    return re.search(r'class="sign-in-link">https?://[^/]+(/[^<]+)<', html).group(1)


def test_an_administrator_adds_a_social_worker_who_gets_a_link_in_their_language(
    admin_client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/staff/team/new/", NEW)

    member = User.objects.get(email="aigerim@example.kz")
    assert response.status_code == 302 and response.url == f"/staff/team/{member.pk}/"
    assert list(member.groups.values_list("name", flat=True)) == [roles.SOCIAL_WORKER]
    assert (member.language, member.is_superuser, member.has_usable_password()) == (
        "kk",
        False,
        False,
    )
    assert not member.user_permissions.exists()
    (email,) = mailoutbox
    assert email.to == ["aigerim@example.kz"]
    assert "құпиясөз" in email.body.lower()  # Kazakh, the member's language
    page = admin_client.get(response.url).content.decode()
    assert link_in(page) in email.body  # shown to the administrator too, once
    assert "sign-in-link" not in admin_client.get(response.url).content.decode()
    kinds = set(StaffChange.objects.filter(member=member).values_list("kind", "by"))
    assert kinds == {("added", administrator.pk), ("link", administrator.pk)}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "SOCIAL_WORKER@example.kz"}, "A member of staff already has this email."),
        ({"role": "superuser"}, "Choose one of the roles."),
        ({"role": ""}, "This field is required."),
        ({"email": "not an email"}, "Enter a valid email address."),
    ],
)
def test_a_new_member_with_bad_input_is_refused_with_a_message(
    admin_client, social_worker, change, message
):
    social_worker.email = "social_worker@example.kz"
    social_worker.save()
    before = User.objects.count()

    response = admin_client.post("/staff/team/new/", {**NEW, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert not StaffChange.objects.exists()


def test_nobody_but_an_administrator_adds_staff(client, social_worker, medical_staff):
    for user in (social_worker, medical_staff):
        client.force_login(user)
        assert client.post("/staff/team/new/", NEW).status_code == 403
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_the_link_sets_a_password_once_then_leads_to_the_second_factor(
    client, admin_client, django_user_model
):
    link = link_in(
        admin_client.get(admin_client.post("/staff/team/new/", NEW).url).content.decode()
    )
    admin_client.logout()

    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password1": "a-long-new-password-7", "new_password2": "a-long-new-password-7"}
    )

    assert response.status_code == 302 and response.url.startswith("/staff/two-factor/setup/")
    member = django_user_model.objects.get(email=NEW["email"])
    assert member.check_password("a-long-new-password-7")
    assert client.get("/staff/").url.startswith("/staff/two-factor/setup/")  # enrol first
    client.logout()
    again = client.post(
        link, {"new_password1": "x-other-pass-99", "new_password2": "x-other-pass-99"}
    )
    assert again.status_code == 400
    assert "already used" in again.content.decode()
    member.refresh_from_db()
    assert member.check_password("a-long-new-password-7")


def test_an_expired_link_is_refused_with_a_message(client, admin_client, monkeypatch, settings):
    link = link_in(
        admin_client.get(admin_client.post("/staff/team/new/", NEW).url).content.decode()
    )
    later = datetime.datetime.now() + datetime.timedelta(hours=settings.STAFF_LINK_HOURS + 1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    response = client.post(
        link, {"new_password1": "a-long-new-pw-8", "new_password2": "a-long-new-pw-8"}
    )

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.get(email=NEW["email"]).has_usable_password()


def test_deactivating_passes_cases_and_tasks_to_the_chosen_colleague(
    admin_client, administrator, social_worker, colleague, make_placement, client
):
    cases = [make_placement(), make_placement()]
    Task.objects.create(
        kind="manual", title="Позвонить в акимат", assigned_to=social_worker,
        due_on=timezone.localdate(),
    )  # fmt: skip
    from django.test import Client

    theirs = Client()
    theirs.force_login(social_worker)

    response = admin_client.post(
        f"/staff/team/{social_worker.pk}/deactivate/", {"successor": colleague.pk}, follow=True
    )

    assert "Now with Дана: open cases 2, open tasks 1." in response.content.decode()
    social_worker.refresh_from_db()
    assert not social_worker.is_active
    assert {p.social_worker for p in Placement.objects.filter(pk__in=[c.pk for c in cases])} == {
        colleague
    }
    assert Task.objects.get().assigned_to == colleague
    assert cases[0].history.latest().history_user == administrator
    change = StaffChange.objects.get(member=social_worker, kind="deactivated")
    assert (change.by, change.successor) == (administrator, colleague)
    assert theirs.get("/staff/").status_code == 302  # signed out everywhere
    assert User.objects.filter(pk=social_worker.pk).exists()  # never deleted


@pytest.mark.parametrize(
    ("who", "successor", "message"),
    [
        ("social_worker", None, "Choose who takes over the open cases and tasks."),
        ("social_worker", "medical_staff", "Cases can only go to an active social worker."),
        ("administrator", None, "You cannot deactivate yourself."),
    ],
)
def test_a_deactivation_that_cannot_be_done_changes_nothing(
    request, admin_client, social_worker, medical_staff, make_placement, who, successor, message
):
    placement = make_placement()
    member = request.getfixturevalue(who)
    data = {"successor": request.getfixturevalue(successor).pk} if successor else {}

    response = admin_client.post(f"/staff/team/{member.pk}/deactivate/", data, follow=True)

    assert message in response.content.decode()
    member.refresh_from_db()
    placement.refresh_from_db()
    assert member.is_active and placement.social_worker == social_worker
    assert not StaffChange.objects.filter(kind="deactivated").exists()


def test_the_last_active_administrator_cannot_be_deactivated(client, django_user_model):
    first = _user(django_user_model, "first_admin", roles.ADMINISTRATOR)
    second = _user(django_user_model, "second_admin", roles.ADMINISTRATOR)
    client.force_login(first)
    assert (
        "is deactivated"
        in client.post(f"/staff/team/{second.pk}/deactivate/", follow=True).content.decode()
    )
    client.force_login(django_user_model.objects.get(pk=first.pk))
    third = _user(django_user_model, "third_admin", roles.ADMINISTRATOR)
    third.is_active = False
    third.save()

    from team import services

    with pytest.raises(Exception, match="last active administrator"):
        services.staff_deactivate(member=first, successor=None, by=second)


def test_a_deactivated_member_is_reactivated(admin_client, social_worker):
    admin_client.post(f"/staff/team/{social_worker.pk}/deactivate/")
    response = admin_client.post(f"/staff/team/{social_worker.pk}/reactivate/", follow=True)

    social_worker.refresh_from_db()
    assert social_worker.is_active
    assert "is active again" in response.content.decode()
    kinds = list(StaffChange.objects.filter(member=social_worker).values_list("kind", flat=True))
    assert kinds == ["reactivated", "deactivated"]


def test_the_second_factor_is_reset_from_the_member_page(
    admin_client, social_worker, administrator
):
    TOTPDevice.objects.create(user=social_worker, name="phone", confirmed=True)
    page = admin_client.get(f"/staff/team/{social_worker.pk}/").content.decode()
    assert "Reset the second factor" in page

    response = admin_client.post(
        "/staff/team/second-factor/", {"user": social_worker.pk, "reason": "Телефон утерян"}
    )

    assert response.url == f"/staff/team/{social_worker.pk}/"
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert SecondFactorReset.objects.get().reason == "Телефон утерян"
    change = StaffChange.objects.get(kind="second_factor_reset")
    assert (change.member, change.by, change.note) == (
        social_worker,
        administrator,
        "Телефон утерян",
    )


def test_the_team_page_lists_each_member_with_their_work(
    admin_client, social_worker, make_placement
):
    make_placement()
    TOTPDevice.objects.create(user=social_worker, name="phone", confirmed=True)

    response = admin_client.get("/staff/team/")

    row = next(m for m in response.context["staff"] if m == social_worker)
    assert (row.open_cases, row.open_tasks, row.enrolled) == (1, 0, True)
    assert "Social worker" in response.content.decode()
