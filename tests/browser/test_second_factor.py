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
