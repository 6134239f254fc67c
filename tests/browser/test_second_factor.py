"""A new member of staff sets up the second factor in a real browser, with the code an
authenticator app would show for the key on the page; then signs in with it, and once
with a backup code, which does not work twice."""

import time

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.signin import code_from_key

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def password(page, live_server, user):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def code(page, value):
    page.fill("input[name=code]", value)
    page.click("main form.form button[type=submit]")


def sign_out(page):
    page.click("nav .who button[type=submit]")
    page.wait_for_url("**/staff/login/")


def test_a_new_member_of_staff_enrols_then_signs_in_with_a_code(
    page, live_server, screenshot, social_worker
):
    password(page, live_server, social_worker)
    page.wait_for_url("**/staff/two-factor/setup/**")
    assert page.locator(".qr svg").count() == 1
    key = page.locator("code.setup-key").inner_text()
    screenshot("second-factor-setup")
    code(page, code_from_key(key))
    # The codes come in the answer to the form, at the same address: wait for them
    # (reading at once may read the page the click is leaving).
    page.locator(".backup-codes code").first.wait_for()
    backup_codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(backup_codes) == 10
    page.click("main a.button")
    page.wait_for_url(f"{live_server.url}/staff/")
    sign_out(page)

    password(page, live_server, social_worker)
    page.wait_for_url("**/staff/two-factor/**")
    code(page, "000000")
    expect(page.locator("main")).to_contain_text("Код неверный.")
    time.sleep(1.1)  # wrong codes in a row make the next try wait
    code(page, backup_codes[0])
    page.wait_for_url(f"{live_server.url}/staff/")
    sign_out(page)

    password(page, live_server, social_worker)
    code(page, backup_codes[0])  # used once already
    expect(page.locator("main")).to_contain_text("Код неверный.")
    time.sleep(1.1)
    code(page, code_from_key(key, ahead=1))  # this period's code was used to enrol
    page.wait_for_url(f"{live_server.url}/staff/")


def test_a_key_another_session_held_on_the_enrolment_page_is_refused_after_enrolment(
    browser, page, live_server, social_worker
):
    """Security #2: someone with the password opens the enrolment page in a browser of
    their own before the owner does; the owner enrols; the key the other browser was
    shown then opens nothing."""
    other = browser.new_context(locale="ru-RU")
    other.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    theirs = other.new_page()
    theirs.set_default_timeout(15_000)
    password(theirs, live_server, social_worker)
    theirs.wait_for_url("**/staff/two-factor/setup/**")
    their_key = theirs.locator("code.setup-key").inner_text()

    password(page, live_server, social_worker)
    page.wait_for_url("**/staff/two-factor/setup/**")
    own_key = page.locator("code.setup-key").inner_text()
    assert own_key != their_key
    code(page, code_from_key(own_key))
    page.locator(".backup-codes code").first.wait_for()

    # The other browser, still on the enrolment page, sends a code of its key: its
    # session has ended, and signed in again it is asked for a code its key cannot give.
    code(theirs, code_from_key(their_key))
    theirs.wait_for_url("**/staff/login/**")
    password(theirs, live_server, social_worker)
    theirs.wait_for_url("**/staff/two-factor/?**")
    code(theirs, code_from_key(their_key, ahead=1))
    expect(theirs.locator("main")).to_contain_text("Код неверный.")
    theirs.goto(f"{live_server.url}/staff/")
    assert "/staff/two-factor/" in theirs.url
    page.click("main a.button")
    page.wait_for_url(f"{live_server.url}/staff/")
    other.close()
