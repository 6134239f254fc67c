"""Issue 29, security #10: the security headers on every answer, whoever made it: a
page, a refusal of the middleware (400 for a foreign host or a NUL, 405, 400 for a body
too large), an error page (403, 404, 500), /healthz; and a month no calendar has in a
printout is a 404, not a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "crisis.example.kz"}


@pytest.fixture
def production_hosts(settings):
    settings.ALLOWED_HOSTS = ["crisis.example.kz"]
    settings.SECURE_HSTS_SECONDS = 31_536_000


def assert_headers(response):
    code = response.status_code
    assert "max-age=31536000" in response.get("Strict-Transport-Security", ""), code
    assert response.get("Content-Security-Policy"), code
    assert "unsafe-inline" not in response["Content-Security-Policy"], code
    assert response.get("X-Content-Type-Options") == "nosniff", code
    assert response.get("Referrer-Policy") == "same-origin", code
    assert "camera=()" in response.get("Permissions-Policy", ""), code
    assert response.get("X-Frame-Options") == "DENY", code


def test_refusals_of_the_middleware_carry_the_headers(client, production_hosts, social_worker):
    client.force_login(social_worker)
    answers = {
        400: client.get("/kk/", **{**HTTPS, "HTTP_HOST": "evil.example"}),
        405: client.options("/staff/", **HTTPS),
    }
    nul = client.get("/staff/x\x00y/", **HTTPS)
    answers[nul.status_code] = nul
    too_many = client.post("/staff/login/", {f"f{i}": "1" for i in range(1200)}, **HTTPS)
    answers[too_many.status_code] = too_many

    assert set(answers) == {400, 405}
    for response in (*answers.values(), nul, too_many):
        assert_headers(response)


def test_error_pages_carry_the_headers(
    production_hosts, medical_staff, make_placement, monkeypatch
):
    placement = make_placement()
    browser = Client(raise_request_exception=False)
    browser.force_login(medical_staff)

    forbidden = browser.get(f"/staff/placements/{placement.pk}/documents/", **HTTPS)
    missing = browser.get("/ru/no-such-page/", **HTTPS)

    assert (forbidden.status_code, missing.status_code) == (403, 404)
    for response in (forbidden, missing, browser.get("/healthz", **HTTPS)):
        assert_headers(response)


def test_a_server_error_carries_the_headers(production_hosts, administrator, monkeypatch):
    from placements.views import dashboard

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboard, "dashboard_lists", broken, raising=False)
    monkeypatch.setattr(dashboard, "render", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(administrator)

    response = browser.get("/staff/", **HTTPS)

    assert response.status_code == 500
    assert_headers(response)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1900-01", "2999-01"])
def test_a_month_no_stay_can_have_is_a_404_not_a_500(client, social_worker, make_placement, month):
    placement = make_placement()
    client.force_login(social_worker)

    response = client.get(f"/staff/placements/{placement.pk}/journal.pdf", {"month": month})

    assert response.status_code == 404
