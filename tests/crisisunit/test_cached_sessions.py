"""Issue 20, goal 5, with reliability #1: with Redis configured, staff sessions are read
from the cache (no database query for the session), and signing in, working and
signing out all go on while the cache fails."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "crisisunit.sessions"


def session_reads(queries):
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" in q["sql"]]


def test_a_staff_request_reads_its_session_from_the_cache(cached_sessions, social_worker):
    browser = Client()
    sign_in(browser, social_worker)

    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/staff/").status_code == 200

    assert session_reads(queries.captured_queries) == []


def test_without_the_cache_option_sessions_are_read_from_the_database(social_worker):
    browser = Client()
    sign_in(browser, social_worker)

    with CaptureQueriesContext(connection) as queries:
        browser.get("/staff/")

    assert session_reads(queries.captured_queries) != []


@pytest.fixture
def cache_down(monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    backend = type(caches["default"])
    for method in ("get", "set", "delete", "has_key", "__contains__"):
        monkeypatch.setattr(backend, method, fail)


def test_signing_in_working_and_out_go_on_while_the_cache_is_down(
    cached_sessions, cache_down, social_worker
):
    browser = Client()

    sign_in(browser, social_worker)
    assert browser.get("/staff/").status_code == 200
    assert browser.post("/staff/logout/").status_code == 302
    assert browser.get("/staff/").status_code == 302  # signed out
