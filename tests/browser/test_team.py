"""Issue 33, end to end in a real browser: an administrator adds a social worker and
gives them a case from the caseload page; the new worker follows the link in a fresh
browser, sets a password, enrols the second factor with the code computed from the
shown key, and finds the case on their dashboard; then the administrator deactivates
another worker, whose cases land with the chosen colleague."""

import pytest
from playwright.sync_api import expect

from crisisunit.models import User
from placements.models import Placement
from tests.browser.conftest import answer_the_icon, sign_in
from tests.signin import code_from_key

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_administrator_adds_a_worker_who_enrols_and_then_another_leaves(
    page, browser, live_server, settings, administrator, social_worker, make_placement, screenshot
):
    settings.SITE_URL = live_server.url
    given, kept = make_placement(), make_placement()
    sign_in(page, live_server, administrator)

    page.goto(f"{live_server.url}/staff/team/new/")
    page.fill("#id_first_name", "Айгерим")
    page.fill("#id_last_name", "Жанова")
    page.fill("#id_email", "aigerim@example.kz")
    page.select_option("#id_role", "Social worker")
    page.select_option("#id_language", "ru")
    page.click("main form.form button[type=submit]")
    link = page.locator("code.sign-in-link").inner_text()
    screenshot("team-member-added")
    newcomer = User.objects.get(email="aigerim@example.kz")

    page.goto(f"{live_server.url}/staff/team/caseload/")
    page.check(f"#case-{given.pk}")
    page.select_option(f"#to-{social_worker.pk}", str(newcomer.pk))
    page.click(f"section[aria-labelledby='worker-{social_worker.pk}'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Жанова")

    fresh = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    answer_the_icon(fresh)
    theirs = fresh.new_page()
    theirs.goto(link)
    theirs.fill("#id_new_password1", "a-long-new-password-7")
    theirs.fill("#id_new_password2", "a-long-new-password-7")
    theirs.click("main form.form button[type=submit]")
    theirs.wait_for_url("**/staff/two-factor/setup/**")
    key = theirs.locator("code.setup-key").inner_text()
    theirs.fill("input[name=code]", code_from_key(key))
    theirs.click("main form.form button[type=submit]")
    theirs.locator(".backup-codes code").first.wait_for()
    theirs.click("main a.button")
    theirs.wait_for_url(f"{live_server.url}/staff/")
    theirs.goto(f"{live_server.url}/staff/?mine=1")
    expect(theirs.locator("main")).to_contain_text(str(given.child))
    fresh.close()

    page.goto(f"{live_server.url}/staff/team/{social_worker.pk}/")
    page.select_option("#deactivate_successor", str(newcomer.pk))
    page.click("section[aria-labelledby='deactivate-heading'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Жанова")
    screenshot("team-member-deactivated")
    assert not User.objects.get(pk=social_worker.pk).is_active
    assert Placement.objects.get(pk=kept.pk).social_worker == newcomer
