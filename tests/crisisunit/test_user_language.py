"""Each member of staff has a language: taken at the first sign-in from the page's
language, changed with the header's switch; the workspace and every email to the user
speak it."""

import datetime

import pytest
from django.core import mail

from placements.reminders import reminders_send
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, user, language):
    return client.post(
        "/staff/login/",
        {"username": user.username, "password": PASSWORD},
        headers={"accept-language": language},
    )


def test_the_first_sign_in_keeps_the_browsers_language(client, social_worker):
    assert social_worker.language == ""

    _sign_in(client, social_worker, "ru")

    social_worker.refresh_from_db()
    assert social_worker.language == "ru"


def test_a_later_sign_in_keeps_the_language_chosen(client, social_worker):
    social_worker.language = "kk"
    social_worker.save()

    _sign_in(client, social_worker, "ru")

    social_worker.refresh_from_db()
    assert social_worker.language == "kk"


def test_the_workspace_speaks_the_users_language_whatever_the_browser_asks(client, social_worker):
    social_worker.language = "ru"
    social_worker.save()
    client.force_login(social_worker)

    page = client.get("/staff/", headers={"accept-language": "en"})

    assert page["Content-Language"] == "ru"
    assert "Просроченные посещения" in page.content.decode()


def test_the_admin_speaks_it_too(client, administrator):
    administrator.language = "kk"
    administrator.save()
    client.force_login(administrator)

    page = client.get("/admin/", headers={"accept-language": "en"})

    assert page["Content-Language"] == "kk"


def test_the_header_switch_changes_the_users_language(client, social_worker):
    social_worker.language = "ru"
    social_worker.save()
    client.force_login(social_worker)

    response = client.post("/staff/language/", {"language": "kk", "next": "/staff/"})

    assert response.status_code == 302 and response["Location"] == "/staff/"
    social_worker.refresh_from_db()
    assert social_worker.language == "kk"
    assert client.get("/staff/")["Content-Language"] == "kk"


def test_the_switch_refuses_a_language_the_portal_does_not_speak(client, social_worker):
    social_worker.language = "ru"
    social_worker.save()
    client.force_login(social_worker)

    client.post("/staff/language/", {"language": "de", "next": "/staff/"})

    social_worker.refresh_from_db()
    assert social_worker.language == "ru"


def test_public_pages_keep_the_language_of_their_address(client, social_worker):
    social_worker.language = "ru"
    social_worker.save()
    client.force_login(social_worker)

    assert client.get("/kk/")["Content-Language"] == "kk"


@pytest.mark.parametrize(
    ("language", "subject"),
    [("ru", "Просроченные посещения"), ("en", "Overdue visits"), ("kk", "Мерзімі өткен")],
)
def test_the_reminder_email_is_written_in_the_users_language(
    make_placement, social_worker, language, subject, today
):
    social_worker.email = "sw@example.kz"
    social_worker.language = language
    social_worker.save()
    make_placement(days_ago=20)

    reminders_send(today=today + datetime.timedelta(days=0))

    assert mail.outbox[0].subject.startswith(subject)
