"""Security #4 and #5: sign-in throttling beyond one (username, address) pair."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"


def attempt(username, password, address="10.0.0.1", **headers):
    browser = Client(REMOTE_ADDR=address, headers={"accept-language": "en"}, **headers)
    return browser.post(LOGIN, {"username": username, "password": password})


def test_5_spraying_many_usernames_from_one_address_is_locked(social_worker, administrator):
    for n in range(5):  # 4 guesses at each of 5 names: 20 failures, no pair reaches 5
        for _ in range(4):
            attempt(f"user{n}", "wrong-password")

    response = attempt(social_worker.username, PASSWORD)

    assert response.status_code == 429
    assert "from your address, for any usernames" in response.content.decode()
    assert attempt(administrator.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_5_one_username_guessed_from_many_addresses_is_locked(social_worker):
    for n in range(10):
        attempt(social_worker.username, "wrong-password", address=f"10.1.1.{n}")

    response = attempt(social_worker.username, PASSWORD, address="10.9.9.9")

    assert response.status_code == 429
    assert "for this username, from any addresses" in response.content.decode()


def test_4_forged_forwarded_addresses_do_not_escape_the_lock(social_worker, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind a proxy, but its port reached directly
    for n in range(10):
        attempt(social_worker.username, "wrong", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")

    response = attempt(social_worker.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.99")

    assert response.status_code == 429


def test_4_a_forwarded_value_that_is_not_an_address_is_refused_not_shared(social_worker, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = attempt(social_worker.username, PASSWORD, HTTP_X_FORWARDED_FOR="garbage")

    assert response.status_code == 429
    assert "cannot be read" in response.content.decode()


def test_an_administrator_unlocks_by_deleting_the_attempts(social_worker):
    for n in range(10):
        attempt(social_worker.username, "wrong-password", address=f"10.1.1.{n}")
    assert attempt(social_worker.username, PASSWORD).status_code == 429

    AccessAttempt.objects.filter(username=social_worker.username).delete()

    assert attempt(social_worker.username, PASSWORD).status_code == 302


def test_a_few_typos_lock_nobody(social_worker):
    for _ in range(3):
        attempt(social_worker.username, "wrong-password")

    assert attempt(social_worker.username, PASSWORD).status_code == 302
