import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("crisisunit.middleware.connection.cursor", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"connection refused" not in response.content


@pytest.mark.django_db
def test_healthz_answers_a_probe_by_ip_over_plain_http(client, settings):
    # Production: only the public host name is allowed and HTTP is redirected to HTTPS.
    settings.ALLOWED_HOSTS = ["crisis.example.kz"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert client.get("/kk/", HTTP_HOST="10.0.0.7:8000").status_code == 400
