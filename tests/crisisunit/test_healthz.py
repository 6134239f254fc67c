import socket
import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from crisisunit import middleware


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"connection refused" not in response.content


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a frozen server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def _pointed_at(port):
    real = connections.create_connection

    def create_connection(alias):
        db = real(alias)
        db.settings_dict = {**db.settings_dict, "HOST": "127.0.0.1", "PORT": str(port)}
        return db

    return create_connection


@pytest.fixture
def frozen_database(monkeypatch, silent_port):
    """The database freezes: it accepts connections and never answers (PostgreSQL),
    or its query never returns (SQLite, which has no server). `thaw()` ends it."""
    thawed = threading.Event()
    for kept in middleware._probe_connections.values():
        kept.close()
    middleware._probe_connections.clear()  # the probe must connect anew, to the frozen one
    if connection.vendor == "postgresql":
        monkeypatch.setattr(connections, "create_connection", _pointed_at(silent_port))
    else:
        monkeypatch.setattr(BaseDatabaseWrapper, "cursor", lambda self: thawed.wait(10))

    def thaw():
        monkeypatch.undo()
        thawed.set()

    yield thaw
    thaw()
    time.sleep(0.1)  # the waiting probe ends


@pytest.mark.django_db
def test_healthz_answers_503_within_2_seconds_when_the_database_is_frozen(client, frozen_database):
    started = time.monotonic()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert time.monotonic() - started < 2
    # While the first probe still waits, the next waits for it, adding no thread.
    threads = threading.active_count()
    assert client.get("/healthz").status_code == 503
    assert threading.active_count() <= threads


@pytest.mark.django_db
def test_healthz_probes_asked_at_once_share_one_query(client, monkeypatch):
    started = []
    real = connections.create_connection

    def counted(alias):
        started.append(alias)
        time.sleep(0.2)  # a slow database: the others ask meanwhile
        return real(alias)

    monkeypatch.setattr(connections, "create_connection", counted)
    statuses = []

    def ask():
        statuses.append(Client().get("/healthz").status_code)

    askers = [threading.Thread(target=ask) for _ in range(5)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()

    assert statuses == [200] * 5
    assert len(started) < 5


@pytest.mark.django_db
def test_healthz_answers_200_again_once_the_database_does(client, frozen_database):
    assert client.get("/healthz").status_code == 503

    frozen_database()
    deadline = time.monotonic() + 5
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "healthz stayed 503 after the database came back"
        time.sleep(0.1)


@pytest.mark.django_db
def test_healthz_answers_a_probe_by_ip_over_plain_http(client, settings):
    # Production: only the public host name is allowed and HTTP is redirected to HTTPS.
    settings.ALLOWED_HOSTS = ["crisis.example.kz"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert client.get("/kk/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_healthz_answers_at_once_while_the_database_is_known_not_to_answer(client):
    """The drill (bench/frozen_db.py): each /healthz waited its whole timeout again."""
    from crisisunit import dbwatch

    dbwatch.unanswered()  # a statement of this process found it frozen a moment ago
    began = time.monotonic()

    response = client.get("/healthz")

    assert response.status_code == 503 and time.monotonic() - began < 0.2


@pytest.mark.django_db
def test_a_frozen_database_is_one_log_line_not_one_per_healthz(client, frozen_database, caplog):
    """The drill counted 2,013 lines of "Service Unavailable: /healthz" in 10 s."""
    with caplog.at_level("WARNING"):
        statuses = [client.get("/healthz").status_code for _ in range(5)]

    assert statuses == [503] * 5
    assert not [r for r in caplog.records if "Service Unavailable" in r.getMessage()]
    assert len([r for r in caplog.records if "cannot be reached" in r.getMessage()]) == 1
