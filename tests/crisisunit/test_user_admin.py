import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from crisisunit import roles

pytestmark = pytest.mark.django_db

USERS = reverse("admin:crisisunit_user_changelist")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.kz", "x" * 16)


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(USERS).status_code == 302


@pytest.mark.parametrize("role", ["administrator", "social_worker", "outsider"])
def test_only_superusers_manage_staff_accounts(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(USERS).status_code == 403


def test_a_superuser_adds_a_social_worker(client, superuser, django_user_model):
    client.force_login(superuser)

    client.post(
        reverse("admin:crisisunit_user_add"),
        {
            "username": "new_worker",
            "password1": "long-enough-pass-9",
            "password2": "long-enough-pass-9",
            "usable_password": "true",
        },
    )
    user = django_user_model.objects.get(username="new_worker")
    user.groups.add(Group.objects.get(name=roles.SOCIAL_WORKER))

    assert user.has_perm("placements.add_visit")
    assert client.get(USERS).status_code == 200


def test_staff_accounts_are_deactivated_not_deleted(client, superuser, social_worker):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:crisisunit_user_delete", args=[social_worker.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    social_worker.refresh_from_db()


def test_the_admin_names_the_roles_and_the_staff_accounts_apart(client, superuser):
    """Product F9: "Users and groups" and "Users and roles" stood side by side."""
    client.force_login(superuser)

    sections = [app["name"] for app in client.get("/admin/").context["app_list"]]

    assert "Roles" in sections and "Staff accounts and the read log" in sections
    assert not [name for name in sections if name.startswith("Users")]
