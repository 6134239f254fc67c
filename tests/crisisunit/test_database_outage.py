"""Issue 35 item 2 (reliability finding: a database down for 15 s gave 1,158 × 500 and
2,358 tracebacks): a request that needs a database that cannot be reached gets one
translated 503 page with Retry-After; the outage is one log line when it starts and
one when it ends; a public page kept whole is still served."""

import logging

import pytest
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorWrapper
from django.test import Client

from crisisunit import outage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_before():
    outage._down = False
    yield
    outage._down = False


def database_down(monkeypatch, cause=None):
    def refuse(self, *args, **kwargs):
        error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        raise error from cause

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def test_staff_pages_answer_503_with_one_log_line_for_the_whole_outage(
    social_worker, monkeypatch, caplog
):
    browser = Client(raise_request_exception=False, headers={"accept-language": "ru"})
    browser.force_login(social_worker)
    database_down(monkeypatch)

    with caplog.at_level(logging.INFO):
        answers = [browser.get(path) for path in ["/staff/", "/staff/placements/"] * 10]

    assert {a.status_code for a in answers} == {503}
    assert {a["Retry-After"] for a in answers} == {"30"}
    assert "Портал ненадолго недоступен" in answers[0].content.decode()
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["crisisunit.outage"]
    assert "cannot be reached" in lines[0].getMessage()

    monkeypatch.undo()
    with caplog.at_level(logging.INFO):
        connection_created.send(sender=type(connection), connection=connection)
    assert caplog.records[-1].getMessage() == "The database answers again."


def test_an_error_the_server_reports_is_not_an_outage(social_worker, monkeypatch, caplog):
    class Reported(Exception):
        sqlstate = "57014"  # query_canceled: a statement timeout

    browser = Client(raise_request_exception=False)
    browser.force_login(social_worker)
    database_down(monkeypatch, cause=Reported())

    with caplog.at_level(logging.INFO):
        response = browser.get("/staff/")

    assert response.status_code == 500
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)


def test_a_public_page_kept_whole_is_served_while_the_database_is_down(
    client, monkeypatch, settings
):
    settings.PUBLIC_VERSION_IN_CACHE = True  # as with Redis, production's shared cache
    first = client.get("/kk/")
    database_down(monkeypatch)

    again = client.get("/kk/")

    assert again.status_code == 200 and again.content == first.content
