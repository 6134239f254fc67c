import pytest

from placements.models import Placement, ReturnApplication
from tests.browser.conftest import give_code
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def open_approval(page, live_server, administrator, application):
    """Sign in to the admin and start the approval of `application`."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", administrator.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code(page, administrator)
    page.goto(f"{live_server.url}/admin/placements/returnapplication/")
    page.check(f"input[name=_selected_action][value='{application.pk}']")
    page.select_option("select[name=action]", "approve_applications")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=decision_number]")


def test_an_administrator_approves_a_return_in_the_admin(
    page, live_server, screenshot, administrator, make_placement, make_application, today
):
    application = make_application(make_placement(days_ago=60), days_ago=5)
    child = str(application.placement.child)

    open_approval(page, live_server, administrator, application)
    assert child in page.content()
    page.fill("input[name=decision_number]", "ҚҚ-2026-101")
    page.fill("input[name=decision_date]", today.isoformat())
    screenshot("admin-approve-form")
    page.click("input[name=apply]")

    page.wait_for_selector("ul.messagelist")
    screenshot("admin-approved")
    assert "ҚҚ-2026-101" in page.content()
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.APPROVED
    placement = Placement.objects.get(pk=application.placement_id)
    assert (placement.status, placement.outcome) == ("closed", "returned")


def test_a_refused_approval_is_announced_and_takes_the_focus(
    page, live_server, administrator, make_placement, make_application
):
    """Accessibility review #7: the summary of a refusal is announced (role="alert")
    and focused, and the field's error is tied to the field."""
    application = make_application(make_placement(days_ago=60), days_ago=5)
    open_approval(page, live_server, administrator, application)

    # Nothing filled in, and the browser's own check set aside (as a screen reader's
    # user may meet the server's refusal: a date in a form the browser accepts).
    page.evaluate("document.querySelector('#content-main form').noValidate = true")
    page.click("input[name=apply]")

    page.wait_for_load_state("load")  # the deferred script has run
    note = page.locator("p.errornote")
    assert note.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.className") == "errornote"
    described = page.get_attribute("input[name=decision_number]", "aria-describedby") or ""
    error_list = page.locator("input[name=decision_number]").locator(
        "xpath=ancestor::div[contains(@class,'form-row')]//ul[@class='errorlist']"
    )
    assert error_list.get_attribute("id") in described.split()
