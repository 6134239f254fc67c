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


def test_the_approval_shows_the_work_with_the_family_beside_the_decision(
    page, live_server, screenshot, administrator, social_worker, make_placement,
    make_application, today,
):  # fmt: skip
    """Issue 31, item 7: the plan's goals and progress, the last inspection act and its
    risk level, and a warning that does not block (a high risk)."""
    from placements import services

    placement = make_placement(days_ago=60)
    services.plan_start(placement=placement, started_on=placement.admitted_on, by=social_worker)
    goal = services.goal_add(
        placement=placement, area="housing", description="Снять квартиру", by=social_worker
    )
    services.review_hold(
        placement=placement, held_on=today, participants="мать", decision="prepare_return",
        progress={goal.pk: 4}, by=social_worker,
    )  # fmt: skip
    act = services.inspection_record(
        placement=placement, inspected_on=today, inspectors="x", address="y",
        conclusion="Холодная квартира", risk_level="high", risk_reason="Нет отопления",
        by=social_worker,
    )  # fmt: skip
    application = make_application(placement, days_ago=5)
    services.application_start_review(
        application=application, sent_on=today, outgoing_number="01-7", inspection=act,
        by=social_worker,
    )  # fmt: skip

    open_approval(page, live_server, administrator, application)

    evidence = page.locator(".evidence").inner_text()
    assert "Снять квартиру" in evidence and "Холодная квартира" in evidence
    assert page.locator(".evidence-warning").count() == 1
    screenshot("admin-approve-evidence")
    page.fill("input[name=decision_number]", "ҚҚ-2026-102")
    page.fill("input[name=decision_date]", today.isoformat())
    page.click("input[name=apply]")
    page.wait_for_selector("ul.messagelist")
    application.refresh_from_db()
    assert application.status == ReturnApplication.Status.APPROVED
