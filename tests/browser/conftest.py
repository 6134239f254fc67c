"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Run with `make test-browser` (CI installs chromium); `make test` leaves them out."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by
    # the test itself are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server speaks plain HTTP; the cookies' Secure flag is production's.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    answer_the_icon(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Anything the Content Security Policy blocked (an inline script or style, a
    # foreign source), and any other error (an SVG attribute a browser cannot read), is
    # reported on the console: no page may have any.
    blocked = []
    page.on(
        "console",
        lambda m: (
            blocked.append(m.text) if m.type == "error" or "Content Security" in m.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, blocked


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name):
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return take


def give_code(page, user):
    """The second step of a sign-in: the authenticator's code (tests/signin.py)."""
    from django.contrib.auth import get_user_model

    from tests.signin import code_for

    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    code = code_for(user)  # enrols the user first if they had no authenticator
    page.wait_for_selector("input[name=code]")
    if "/two-factor/setup/" in page.url:
        page.reload()  # enrolled now: the page asks for the code instead
        page.wait_for_url("**/staff/two-factor/?**")
    page.fill("input[name=code]", code)
    page.click("main form.form button[type=submit]")
    # Wait until the code is taken: it cycles the session key, and a page opened while
    # that answer is still on its way would carry the old key (Django answers 400).
    page.wait_for_url(lambda url: "/two-factor/" not in url)


def sign_in(page, live_server, user):
    """Password, then the authenticator's code, on the staff sign-in page."""
    from tests.conftest import PASSWORD

    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, user)


def answer_the_icon(context):
    """The browser asks for /favicon.ico beside each page; with the live server's
    in-memory SQLite (shared cache), that request saving the session at the same moment
    as the page's fails at once with "database table is locked" (a file database waits
    its turn instead). No test is about the icon: the browser answers it itself."""
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
