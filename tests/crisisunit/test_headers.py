"""Security headers with DEBUG off behind a TLS proxy that sets X-Forwarded-Proto."""

import pytest

pytestmark = pytest.mark.django_db

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
PAGES = ["/kk/", "/ru/stats/", "/stats/returns.csv", "/staff/login/", "/admin/login/"]


def _policy(response):
    """The Content Security Policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("page", PAGES)
def test_every_answer_carries_the_security_headers(client, page):
    response = client.get(page, **HTTPS)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("page", PAGES)
def test_the_content_security_policy_allows_nothing_inline_or_foreign(client, page):
    policy = _policy(client.get(page, **HTTPS))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    every_source = [source for sources in policy.values() for source in sources]
    assert "'unsafe-inline'" not in every_source and "'unsafe-eval'" not in every_source


def test_the_staff_pages_carry_the_policy_too(client, social_worker):
    client.force_login(social_worker)

    response = client.get("/staff/", **HTTPS)

    assert _policy(response)["script-src"] == ["'self'"]
    assert "no-store" in response["Cache-Control"]


def test_plain_http_is_sent_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/kk/stats/", HTTP_HOST="testserver")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/kk/stats/"
    assert client.get("/kk/stats/", **HTTPS).status_code == 200


def test_hsts_preload_is_a_deployments_choice(client, settings):
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/kk/", **HTTPS)

    assert response["Strict-Transport-Security"].endswith("; preload")


def test_public_pages_may_be_cached_but_a_refused_staff_page_never(client, medical_staff):
    public = client.get("/kk/", **HTTPS)
    client.force_login(medical_staff)

    refused = client.get("/staff/exports/", **HTTPS)

    assert "no-store" not in public.get("Cache-Control", "")
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]
