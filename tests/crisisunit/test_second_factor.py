"""Security #5 and ASVS 2.x: every member of staff signs in with a password and then a
second factor, in the workspace and the admin alike. Codes are computed here from the
key the enrolment page shows, as an authenticator app would."""

import base64
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit.models import BackupCode, BackupCodes, SecondFactorReset
from tests.conftest import PASSWORD
from tests.signin import code_from_key

pytestmark = pytest.mark.django_db

SETUP, VERIFY = "/staff/two-factor/setup/", "/staff/two-factor/"


def password_only(client, user):
    """The first step only: the password (what the sign-in page does)."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrol(client, user):
    """A new member of staff enrols: returns the key and the backup codes shown."""
    password_only(client, user)
    page = client.get(SETUP).content.decode()
    key = re.search(r'<code class="setup-key">([A-Z2-7 ]+)</code>', page).group(1)
    shown = client.post(SETUP, {"code": code_from_key(key), "next": "/staff/"})
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", shown.content.decode())
    return key, codes


@pytest.fixture
def browser():
    return Client(headers={"accept-language": "en"})


@pytest.mark.parametrize("page", ["/staff/", "/staff/placements/", "/admin/", "/staff/exports/"])
def test_until_enrolled_a_member_of_staff_reaches_only_the_enrolment(browser, social_worker, page):
    password_only(browser, social_worker)

    response = browser.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_the_enrolment_page_shows_a_qr_code_without_script_and_the_key_as_text(
    browser, social_worker
):
    password_only(browser, social_worker)

    response = browser.get(SETUP)
    page = response.content.decode()

    assert response.status_code == 200
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert 'style="' not in page.split("<svg", 1)[1].split("</svg>")[0]  # CSP: no inline style
    key = re.search(r'<code class="setup-key">([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=social_worker)
    assert not device.confirmed
    raw = "".join(key.split())
    assert base64.b32decode(raw + "=" * (-len(raw) % 8)) == device.bin_key


def test_enrolling_shows_ten_backup_codes_once_and_stores_only_their_digests(
    browser, social_worker
):
    key, codes = enrol(browser, social_worker)

    assert len(codes) == 10 and len(set(codes)) == 10
    digests = set(BackupCode.objects.values_list("digest", flat=True))
    assert not digests & set(codes)
    assert TOTPDevice.objects.get(user=social_worker).confirmed
    assert browser.get("/staff/").status_code == 200
    assert browser.get(SETUP).status_code == 302  # shown once: enrolled, nothing more to show


def test_a_wrong_first_code_does_not_enrol(browser, social_worker):
    password_only(browser, social_worker)
    browser.get(SETUP)

    response = browser.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=social_worker, confirmed=True).exists()


@pytest.fixture
def enrolled(social_worker):
    """A social worker who enrolled earlier; their key and backup codes."""
    first = Client(headers={"accept-language": "en"})
    key, codes = enrol(first, social_worker)
    TOTPDevice.objects.filter(user=social_worker).update(last_t=-1)  # a fresh code later
    return social_worker, key, codes


@pytest.mark.parametrize("page", ["/staff/", "/admin/", "/admin/families/child/"])
def test_after_the_password_every_staff_page_asks_for_the_code(browser, enrolled, page):
    user, _key, _codes = enrolled
    password_only(browser, user)

    response = browser.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_password_and_code_sign_in_and_land_where_asked(browser, enrolled):
    user, key, _codes = enrolled
    password_only(browser, user)

    response = browser.post(VERIFY, {"code": code_from_key(key), "next": "/staff/placements/"})

    assert response.status_code == 302 and response["Location"] == "/staff/placements/"
    assert browser.get("/staff/placements/").status_code == 200


def test_the_admin_sign_in_asks_for_the_code_too(browser, enrolled):
    user, key, _codes = enrolled
    browser.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": "/admin/"},
    )

    asked = browser.get("/admin/")
    assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
    browser.post(VERIFY, {"code": code_from_key(key)})
    assert browser.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(browser, enrolled):
    user, key, _codes = enrolled
    password_only(browser, user)

    wrong = browser.post(VERIFY, {"code": "123456"})
    at_once = browser.post(VERIFY, {"code": code_from_key(key)})

    assert "That code is not right." in wrong.content.decode()
    assert at_once.status_code == 200
    assert "Too many wrong codes. Try again after" in at_once.content.decode()
    time.sleep(1.1)
    assert browser.post(VERIFY, {"code": code_from_key(key)}).status_code == 302


def test_a_backup_code_signs_in_once(enrolled):
    user, _key, codes = enrolled
    first, second = Client(), Client()
    password_only(first, user)
    password_only(second, user)

    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get("/staff/").status_code == 200
    reused = second.post(VERIFY, {"code": codes[0]})
    assert reused.status_code == 200
    assert BackupCodes.objects.get(user=user).codes.count() == 9


def test_an_administrator_resets_a_lost_device_giving_the_reason(
    browser, enrolled, administrator, client
):
    user, _key, _codes = enrolled
    client.force_login(administrator)

    refused = client.post(reverse("team:second_factor_reset"), {"user": user.pk, "reason": ""})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()
    done = client.post(
        reverse("team:second_factor_reset"), {"user": user.pk, "reason": "Phone lost on 24.11."}
    )

    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not BackupCodes.objects.filter(user=user).exists()
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.by, reset.reason) == (user, administrator, "Phone lost on 24.11.")
    password_only(browser, user)
    assert browser.get("/staff/")["Location"].startswith(SETUP)


def test_only_an_administrator_resets_a_second_factor(client, social_worker, medical_staff):
    for user in (social_worker, medical_staff):
        client.force_login(user)
        assert client.get(reverse("team:second_factor_reset")).status_code == 403
        assert (
            client.post(reverse("team:second_factor_reset"), {"user": user.pk}).status_code == 403
        )
    client.logout()
    assert client.get(reverse("team:second_factor_reset")).status_code == 302
