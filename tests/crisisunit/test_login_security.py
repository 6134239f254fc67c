"""Sign-in throttling (django-axes), passwords and the life of a staff session."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/staff/login/"
ADMIN_LOGIN = "/admin/login/"


def _attempt(client, url, username, password, address="10.1.1.1", **headers):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def _fail(client, url, username, times, address="10.1.1.1"):
    return [_attempt(client, url, username, "wrong", address).status_code for _ in range(times)]


@pytest.mark.parametrize("url", [STAFF_LOGIN, ADMIN_LOGIN])
def test_five_failed_sign_ins_lock_that_username_from_that_address(client, social_worker, url):
    assert _fail(client, url, social_worker.username, 4) == [200] * 4

    fifth = _attempt(client, url, social_worker.username, "wrong")
    with_the_right_password = _attempt(client, url, social_worker.username, PASSWORD)

    assert fifth.status_code == 429
    assert with_the_right_password.status_code == 429
    assert "Sign-in locked" in with_the_right_password.content.decode()
    assert "locked for 30 minutes" in with_the_right_password.content.decode()
    assert "no-store" in with_the_right_password["Cache-Control"]
    assert client.get("/staff/").status_code == 302  # not signed in


def test_the_lockout_page_speaks_the_users_language(client, social_worker):
    _fail(client, STAFF_LOGIN, social_worker.username, 5)

    response = _attempt(
        client, STAFF_LOGIN, social_worker.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 429
    assert "Вход заблокирован" in response.content.decode()


def test_a_lock_holds_only_that_username_from_that_address(client, social_worker, medical_staff):
    _fail(client, STAFF_LOGIN, social_worker.username, 5)

    other_user = _attempt(Client(), STAFF_LOGIN, medical_staff.username, PASSWORD)
    other_address = _attempt(
        Client(), STAFF_LOGIN, social_worker.username, PASSWORD, address="10.2.2.2"
    )

    assert other_user.status_code == 302
    assert other_address.status_code == 302


def test_the_lock_ends_after_thirty_minutes(client, social_worker):
    _fail(client, STAFF_LOGIN, social_worker.username, 5)
    locked_at = timezone.now() - datetime.timedelta(minutes=29)
    AccessAttempt.objects.update(attempt_time=locked_at)

    assert _attempt(client, STAFF_LOGIN, social_worker.username, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    assert _attempt(client, STAFF_LOGIN, social_worker.username, PASSWORD).status_code == 302


def test_the_limit_and_the_lock_time_are_settings(client, social_worker, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)

    assert _fail(client, STAFF_LOGIN, social_worker.username, 2) == [200, 429]
    response = _attempt(client, STAFF_LOGIN, social_worker.username, PASSWORD)
    assert "locked for 5 minutes" in response.content.decode()


def test_an_administrator_unlocks_a_sign_in_in_admin(client, social_worker, administrator):
    _fail(client, STAFF_LOGIN, social_worker.username, 5)
    attempt = AccessAttempt.objects.get(username=social_worker.username)
    admin = Client()
    admin.force_login(administrator)

    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert _attempt(client, STAFF_LOGIN, social_worker.username, PASSWORD).status_code == 302


def test_administrators_see_failed_and_successful_sign_ins(client, social_worker, administrator):
    _fail(client, STAFF_LOGIN, social_worker.username, 2, address="10.9.9.9")
    _attempt(client, STAFF_LOGIN, social_worker.username, PASSWORD, address="10.9.9.9")
    admin = Client()
    admin.force_login(administrator)

    failures = admin.get("/admin/axes/accessfailurelog/").content.decode()
    successes = admin.get("/admin/axes/accesslog/").content.decode()

    assert failures.count("10.9.9.9") >= 2 and social_worker.username in failures
    assert "10.9.9.9" in successes and social_worker.username in successes


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(client, social_worker, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        # A client cannot escape the lock by forging the left part of the header.
        _attempt(
            client,
            STAFF_LOGIN,
            social_worker.username,
            "wrong",
            address="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )

    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "203.0.113.7" and attempt.failures_since_start == 5


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Short1!x", "too short"),
        ("password1234", "too common"),
        ("481516234200", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(social_worker, password, problem):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, social_worker)

    assert problem in " ".join(refused.value.messages)


def test_a_long_uncommon_password_is_accepted(social_worker):
    validate_password("көктем-2026-Астана-бақ", social_worker)


# The session.


def _signed_in(user):
    client = Client()
    return client, sign_in(client, user, STAFF_LOGIN)


def test_the_session_cookie_is_secure_http_only_lax_and_ends_with_the_browser(social_worker):
    _client, response = _signed_in(social_worker)

    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


def test_the_csrf_cookie_is_secure_and_lax(client):
    response = client.get(STAFF_LOGIN)

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def test_signing_in_gives_a_new_session_key(client, social_worker):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key

    client.post(STAFF_LOGIN, {"username": social_worker.username, "password": PASSWORD})

    assert client.cookies["sessionid"].value != before


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward by `minutes` for everything that asks Django for now."""
    real_now = timezone.now

    def move(minutes):
        monkeypatch.setattr(
            timezone, "now", lambda: real_now() + datetime.timedelta(minutes=minutes)
        )

    return move


def test_eight_hours_without_a_request_end_the_session(social_worker, later):
    client, _ = _signed_in(social_worker)

    later(8 * 60 + 1)

    assert client.get("/staff/").status_code == 302


def test_each_request_renews_the_eight_hours(social_worker, later):
    client, _ = _signed_in(social_worker)

    later(7 * 60)
    assert client.get("/staff/").status_code == 200
    later(14 * 60)  # seven hours after that request

    assert client.get("/staff/").status_code == 200


def test_after_logout_the_old_cookie_opens_nothing(social_worker):
    client, _ = _signed_in(social_worker)
    old_cookie = client.cookies["sessionid"].value

    client.post("/staff/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old_cookie

    assert replay.get("/staff/").status_code == 302
    assert replay.get("/admin/").status_code == 302


def test_a_deactivated_user_is_out_at_the_next_request(social_worker):
    client, _ = _signed_in(social_worker)
    assert client.get("/staff/").status_code == 200

    social_worker.is_active = False
    social_worker.save()

    assert client.get("/staff/").status_code == 302
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("url", [STAFF_LOGIN, ADMIN_LOGIN])
def test_an_over_long_username_gets_a_message_not_an_error(client, url):
    response = _attempt(client, url, "ә" * 1000, "whatever")

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()


def test_requests_within_a_minute_do_not_write_the_session_again(social_worker, later):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _ = _signed_in(social_worker)
    later(5)
    client.get("/staff/")  # renews the idle period, writing the session
    later(5.5)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in writes if "django_session" in sql]
