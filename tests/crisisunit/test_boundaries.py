"""Issue 29, as the attacker and the fault injector tried it (security #1, #2, #8, #9;
reliability #1): the second factor holds under any script prefix, a session that ended
never comes back, an enrolment key cannot be captured, the owner of an account is not
locked out by someone else's wrong codes."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import get_script_name
from django.test import Client
from django.test.client import ClientHandler
from django.urls import set_script_prefix
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from gunicorn.http.wsgi import create as gunicorn_environ

from crisisunit.models import ReadAccess
from tests.conftest import PASSWORD
from tests.signin import code_for, code_from_key, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_prefix_left_behind():
    """A request under a prefix sets it for the thread (as gunicorn's worker does per
    request); the test client sets none, so the next test must not inherit it."""
    yield
    set_script_prefix("/")


SETUP, VERIFY = "/staff/two-factor/setup/", "/staff/two-factor/"


def password_only(client, user):
    response = client.post("/staff/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


class _Socket:
    def send(self, data):
        return len(data)

    sendall = send


def through_gunicorn(raw: bytes):
    """(status, headers, body) of Django's answer to a raw HTTP request as gunicorn turns it
    into the WSGI environ: its own parser and its own environ builder, the proxy on
    loopback (gunicorn's default forwarded_allow_ips), so a SCRIPT_NAME header counts."""
    config = Config()
    request = next(iter(RequestParser(config, [raw], ("127.0.0.1", 40000))))
    _response, environ = gunicorn_environ(
        request, _Socket(), ("127.0.0.1", 40000), "127.0.0.1:8000", config
    )
    # Django's handler as the test client runs it (the test's database connection is
    # kept open across the request, which the plain WSGIHandler would close), with the
    # script prefix set from the environ as the WSGIHandler sets it.
    set_script_prefix(get_script_name(environ))
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    body = b"".join(response) if response.streaming else response.content
    return response.status_code, response.headers, body


def raw_get(path, cookie, method="GET", script_name="/x"):
    return (
        f"{method} {path} HTTP/1.1\r\nHost: testserver\r\nSCRIPT_NAME: {script_name}\r\n"
        f"Cookie: {django_settings.SESSION_COOKIE_NAME}={cookie}\r\n\r\n"
    ).encode()


@pytest.mark.parametrize(
    "path",
    [
        "/x/staff/placements/{pk}/",
        "/x/staff/placements/{pk}/summary.pdf",
        "/x/admin/crisisunit/user/",
        "/x/staff/team/second-factor/",
        "/x/admin/families/parent/{parent}/change/",
    ],
)
def test_a_script_prefix_does_not_skip_the_second_factor(administrator, make_placement, path):
    placement = make_placement()
    code_for(administrator)  # enrolled
    browser = password_only(Client(), administrator)
    cookie = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    parent = placement.child.parent_links.get().parent_id

    status, headers, body = through_gunicorn(
        raw_get(path.format(pk=placement.pk, parent=parent), cookie)
    )

    assert status == 302
    assert headers["Location"].startswith("/x/staff/two-factor/?next=")
    assert placement.child.surname.encode() not in body


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_other_methods_under_a_script_prefix_are_refused_unlogged(
    administrator, make_placement, method
):
    placement = make_placement()
    browser = Client()
    sign_in(browser, administrator)
    cookie = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    parent = placement.child.parent_links.get().parent_id

    status, headers, _body = through_gunicorn(
        raw_get(f"/x/admin/families/parent/{parent}/change/", cookie, method=method)
    )

    assert status == 405
    assert "no-store" in headers["Cache-Control"]


def test_with_the_prefix_a_fully_signed_in_member_of_staff_works_as_without(
    social_worker, make_placement
):
    placement = make_placement()
    browser = Client()
    sign_in(browser, social_worker)
    cookie = browser.cookies[django_settings.SESSION_COOKIE_NAME].value

    status, headers, body = through_gunicorn(
        raw_get(f"/x/staff/placements/{placement.pk}/", cookie)
    )

    assert status == 200
    assert "no-store" in headers["Cache-Control"]
    assert f'href="/x/staff/placements/{placement.pk}/documents/"'.encode() in body
    assert ReadAccess.objects.filter(object_id=str(placement.pk)).exists()


def test_a_staff_page_under_a_prefix_never_lands_in_the_public_cache(social_worker):
    browser = Client()
    sign_in(browser, social_worker)

    first = browser.get("/staff/", SCRIPT_NAME="/x")
    anonymous = Client().get("/staff/", SCRIPT_NAME="/x")

    assert first.status_code == 200
    assert anonymous.status_code == 302


# Sessions (reliability #1) ------------------------------------------------------------


def _settings_with(monkeypatch, **environ):
    import importlib

    from crisisunit import settings as settings_module

    monkeypatch.setenv("DEBUG", "on")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    try:
        return importlib.reload(settings_module)
    finally:
        for name in environ:
            monkeypatch.delenv(name)
        importlib.reload(settings_module)


REDIS = "redis://127.0.0.1:6379/9"


def test_sessions_live_in_the_database_whatever_the_cache(monkeypatch):
    production = _settings_with(monkeypatch, CACHE_URL=REDIS)

    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.fixture
def redis_as_in_production(settings, monkeypatch):
    """The cache and the session engine the settings choose with a Redis CACHE_URL,
    on the machine's Redis (skipped where there is none)."""
    from django.core.cache import caches

    production = _settings_with(monkeypatch, CACHE_URL=REDIS)
    settings.CACHES = production.CACHES
    settings.SESSION_ENGINE = production.SESSION_ENGINE
    try:
        caches["default"].set("probe", 1, 5)
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379 here")
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_a_session_signed_out_while_redis_is_frozen_stays_signed_out(
    redis_as_in_production, social_worker, make_placement, settings, silent_redis
):
    """Reliability #1: sign in, freeze Redis, sign out, thaw; the old cookie opens
    nothing."""
    placement = make_placement()
    browser = Client()
    sign_in(browser, social_worker)
    assert browser.get("/staff/").status_code == 200
    old_cookie = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    real = settings.CACHES
    settings.CACHES = {
        "default": {**real["default"], "LOCATION": f"redis://127.0.0.1:{silent_redis}/9"}
    }

    assert browser.post("/staff/logout/").status_code == 302  # while Redis is frozen
    settings.CACHES = real  # Redis answers again

    thief = Client()
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = old_cookie
    for page in ("/staff/", f"/staff/placements/{placement.pk}/"):
        assert thief.get(page)["Location"].startswith("/staff/login/")


def test_a_rotated_session_key_opens_nothing(social_worker):
    browser = Client()
    password_only(browser, social_worker)
    before_code = browser.cookies[django_settings.SESSION_COOKIE_NAME].value

    assert browser.post(VERIFY, {"code": code_for(social_worker)}).status_code == 302
    after_code = browser.cookies[django_settings.SESSION_COOKIE_NAME].value

    assert after_code != before_code  # security #9: a new key at the second factor
    assert browser.get("/staff/").status_code == 200
    old = Client()
    old.cookies[django_settings.SESSION_COOKIE_NAME] = before_code
    assert old.get("/staff/")["Location"].startswith("/staff/login/")


# Enrolment (security #2) ---------------------------------------------------------------


def shown_key(client):
    page = client.get(SETUP).content.decode()
    return re.search(r'<code class="setup-key">([A-Z2-7 ]+)</code>', page).group(1)


def test_each_session_is_shown_its_own_enrolment_key_and_keeps_it(social_worker):
    attacker, owner = password_only(Client(), social_worker), password_only(Client(), social_worker)

    attackers_key = shown_key(attacker)

    assert shown_key(owner) != attackers_key
    assert shown_key(attacker) == attackers_key  # reloading keeps the phone's key


def test_a_key_captured_before_the_owner_enrols_is_worth_nothing_after(social_worker):
    attacker, owner = password_only(Client(), social_worker), password_only(Client(), social_worker)
    attackers_key = shown_key(attacker)
    owners_key = shown_key(owner)

    enrolled = owner.post(SETUP, {"code": code_from_key(owners_key), "next": "/staff/"})

    assert enrolled.status_code == 200 and "backup" in enrolled.content.decode().lower()
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1  # the attacker's gone
    # The attacker's session has ended: no code page, the sign-in.
    assert attacker.get("/staff/")["Location"].startswith("/staff/login/")
    password_only(attacker, social_worker)
    refused = attacker.post(VERIFY, {"code": code_from_key(attackers_key)})
    assert refused.status_code == 200 and attacker.get("/staff/").status_code == 302
    assert owner.get("/staff/").status_code == 200


def test_confirming_ends_the_users_other_signed_in_sessions(social_worker, administrator):
    elsewhere = Client()
    sign_in(elsewhere, social_worker)
    administrator_browser = Client()
    sign_in(administrator_browser, administrator)
    TOTPDevice.objects.filter(user=social_worker).delete()  # a reset, say
    here = password_only(Client(), social_worker)

    here.post(SETUP, {"code": code_from_key(shown_key(here)), "next": "/staff/"})

    assert elsewhere.get("/staff/")["Location"].startswith("/staff/login/")
    assert here.get("/staff/").status_code == 200
    assert administrator_browser.get("/staff/").status_code == 200  # nobody else's


# Wrong codes (security #8) ---------------------------------------------------------------


@pytest.fixture
def enrolled(social_worker):
    client = password_only(Client(), social_worker)
    key = shown_key(client)
    shown = client.post(SETUP, {"code": code_from_key(key), "next": "/staff/"})
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", shown.content.decode())
    return social_worker, key, codes


def wrong_codes(user, count):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.throttling_failure_count = count
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    return device


def test_after_many_wrong_app_codes_a_backup_code_still_signs_in(enrolled):
    user, _key, codes = enrolled
    wrong_codes(user, 6)  # an attacker's, with the password: 32 s to wait, and growing
    owner = password_only(Client(), user)

    assert owner.post(VERIFY, {"code": "123456"}).status_code == 200  # the app's: wait
    assert owner.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert owner.get("/staff/").status_code == 200


def test_wrong_backup_codes_do_not_slow_the_app_codes(enrolled):
    user, key, _codes = enrolled
    owner = password_only(Client(), user)

    assert owner.post(VERIFY, {"code": "0123456789"}).status_code == 200
    assert owner.post(VERIFY, {"code": code_from_key(key, ahead=1)}).status_code == 302


def test_wrong_codes_are_forgiven_after_a_quiet_hour(enrolled, settings):
    user, key, _codes = enrolled
    device = wrong_codes(user, 20)  # about six days to wait, without the forgiving
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(
        minutes=settings.SECOND_FACTOR_FORGIVE_MINUTES + 1
    )
    device.save()
    owner = password_only(Client(), user)

    assert owner.post(VERIFY, {"code": code_from_key(key, ahead=1)}).status_code == 302


def test_still_within_the_hour_the_wait_holds(enrolled):
    user, key, _codes = enrolled
    wrong_codes(user, 20)
    user.language = "en"
    user.save(update_fields=["language"])
    owner = password_only(Client(), user)

    waiting = owner.post(VERIFY, {"code": code_from_key(key, ahead=1)})

    assert "Too many wrong codes" in waiting.content.decode()
    assert owner.get("/staff/")["Location"].startswith(VERIFY)


def test_an_administrators_reset_signs_the_member_out_everywhere(social_worker, administrator):
    phone_thief = Client()
    sign_in(phone_thief, social_worker)
    admin_browser = Client()
    sign_in(admin_browser, administrator)

    done = admin_browser.post(
        "/staff/team/second-factor/", {"user": social_worker.pk, "reason": "Phone stolen"}
    )

    assert done.status_code == 302
    assert phone_thief.get("/staff/")["Location"].startswith("/staff/login/")
    assert admin_browser.get("/staff/").status_code == 200
