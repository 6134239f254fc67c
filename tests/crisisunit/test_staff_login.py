import pytest

from tests.conftest import PASSWORD
from tests.signin import code_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "text"), [("kk", "Кіру"), ("ru", "Войти"), ("en", "Sign in")])
def test_the_login_page_speaks_the_users_language(client, language, text):
    html = client.get("/staff/login/", headers={"accept-language": language}).content.decode()

    assert f'<html lang="{language}"' in html and text in html


def test_a_social_worker_signs_in_and_lands_on_the_dashboard(client, social_worker):
    response = client.post(
        "/staff/login/", {"username": social_worker.username, "password": PASSWORD}
    )

    assert response["Location"] == "/staff/"
    # Then the second factor (tests/crisisunit/test_second_factor.py), and in.
    assert client.get("/staff/")["Location"].startswith("/staff/two-factor/")
    client.post("/staff/two-factor/", {"code": code_for(social_worker), "next": "/staff/"})
    assert client.get("/staff/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, social_worker):
    response = client.post("/staff/login/", {"username": social_worker.username, "password": "x"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logging_out_needs_a_post_and_ends_the_session(client, social_worker):
    client.force_login(social_worker)

    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/")

    assert response["Location"] == "/staff/login/"
    assert client.get("/staff/").status_code == 302


def test_the_staff_language_switch_posts_to_set_language(client, social_worker):
    client.force_login(social_worker)

    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/staff/"})

    assert response["Location"] == "/staff/"
    assert '<html lang="ru"' in client.get("/staff/").content.decode()
