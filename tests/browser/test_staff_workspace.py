import datetime

import pytest
from playwright.sync_api import expect

from placements.models import Visit
from tests.browser.conftest import give_code
from tests.conftest import PASSWORD
from tests.signin import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_social_worker_logs_a_visit_from_the_dashboard(
    page, live_server, screenshot, social_worker, make_placement, make_visit
):
    overdue = make_placement(days_ago=12)
    fine = make_placement(days_ago=30)
    make_visit(fine, days_ago=2, notes="Ана келді")
    child = str(overdue.child)

    page.goto(f"{live_server.url}/staff/")
    assert "/staff/login/" in page.url
    page.fill("input[name=username]", social_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, social_worker)

    overdue_list = page.locator("section:has(#overdue)")
    assert child in overdue_list.inner_text()
    assert str(fine.child) not in overdue_list.inner_text()
    screenshot("staff-dashboard")

    overdue_list.locator("li", has_text=child).get_by_role(
        "link", name="Отметить посещение"
    ).click()
    page.fill("textarea[name=notes]", "Анасы келді, баланы тамақтандырды")
    page.click("main button[type=submit]")

    assert page.url == f"{live_server.url}/staff/"
    assert "Посещение отмечено." in page.locator(".messages").inner_text()
    assert child not in page.locator("section:has(#overdue)").inner_text()
    assert Visit.objects.filter(placement=overdue, recorded_by=social_worker).count() == 1

    page.goto(f"{live_server.url}/staff/placements/{fine.pk}/")
    assert "Ана келді" in page.locator("#timeline + ol").inner_text()
    screenshot("staff-placement")


def test_the_workspace_fits_a_phone_and_works_with_the_keyboard(
    page, live_server, social_worker, make_placement
):
    make_placement(days_ago=12)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/staff/login/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.name") == "username":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(social_worker.username)
    page.keyboard.press("Tab")
    code = code_for(social_worker)  # an authenticator enrolled earlier
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=code]:focus")  # the code step, its field focused
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/staff/")

    for path in ("/staff/", "/staff/placements/", "/staff/placements/new/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_a_social_worker_records_a_follow_up_and_reads_the_indicators(
    page, live_server, screenshot, social_worker, make_return, today
):
    returned = make_return(on=today - datetime.timedelta(days=40))
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", social_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, social_worker)

    follow_ups = page.locator("section:has(#follow-ups-overdue)")  # 40 days: overdue
    follow_ups.get_by_role("link", name="Отметить").first.click()
    page.fill("input[name=done_on]", today.isoformat())
    page.select_option("select[name=method]", "phone_call")
    page.select_option("select[name=situation]", "stable")
    page.click("main button[type=submit]")

    assert "Контроль отмечен." in page.locator(".messages").inner_text()
    assert returned.follow_ups.filter(done_on=today).count() == 1

    page.get_by_role("link", name="Показатели").click()
    expect(page.locator("h1")).to_have_text("Показатели")
    assert page.locator("svg[role=img]").count() == 4
    screenshot("staff-indicators")


def test_a_social_workers_day_contacts_a_task_and_a_misspelled_search(
    page, live_server, social_worker, medical_staff, make_child, make_placement, today
):
    from families.models import Sex
    from placements import services
    from placements.models import Contact

    child = make_child(surname="Сынақов", given_name="Айгерім", sex=Sex.FEMALE)
    placement = make_placement(child=child, days_ago=12)
    services.consultation_record(
        placement=placement, specialist="psychologist", held_on=today,
        summary="Нужна ещё встреча", follow_up_needed=True, by=medical_staff,
    )  # fmt: skip

    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", social_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, social_worker)

    # The task from the consultation is on the dashboard.
    assert str(child) in page.locator("section:has(#tasks)").inner_text()

    # A missed agreed visit, then a call that did not get through.
    for kind, outcome in (("missed_visit", ""), ("call", "not_reached")):
        page.goto(f"{live_server.url}/staff/placements/{placement.pk}/contacts/new/")
        page.select_option("select[name=kind]", kind)
        page.select_option("select[name=parent]", index=1)
        if outcome:
            page.select_option("select[name=outcome]", outcome)
        page.click("main button[type=submit]")
        assert "Контакт записан." in page.locator(".messages").inner_text()
    assert Contact.objects.filter(placement=placement).count() == 2
    timeline = page.locator("#timeline + ol").inner_text().lower()
    assert "пропущенное согласованное посещение" in timeline and "не удалось связаться" in timeline

    # Found with Russian letters for the Kazakh ones.
    page.goto(f"{live_server.url}/staff/placements/")
    page.fill("input[name=q]", "сынакова айгерим")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/staff/placements/?*q=*")
    assert page.locator("table.list tbody tr").count() == 1
    assert str(child) in page.locator("table.list").inner_text()


def test_a_social_worker_does_the_work_with_the_family(
    page, live_server, screenshot, social_worker, make_placement, today
):
    """Issue 31: start a plan with two goals, add an action, hold a review, record an
    inspection act with a risk level, send a referral and record its outcome."""
    from placements.models import InspectionAct, PlanReview, Referral

    placement = make_placement(days_ago=20)
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", social_worker.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, social_worker)

    # The dashboard lists the stay: no plan 14 days after the admission.
    page.locator("section:has(#no-plan)").get_by_role("link", name=str(placement.child)).click()
    assert "План просрочен." in page.locator("main").inner_text()
    page.get_by_role("link", name="Начать план").click()
    page.click("main button[type=submit]")
    assert "План начат." in page.locator(".messages").inner_text()
    for area, goal in (("housing", "Снять квартиру"), ("income", "Найти работу")):
        page.get_by_role("link", name="Добавить цель").click()
        page.select_option("select[name=area]", area)
        page.fill("textarea[name=description]", goal)
        page.click("main button[type=submit]")
    page.get_by_role("link", name="Добавить мероприятие").click()
    page.select_option("select[name=goal]", label="Доход и работа: Найти работу")
    page.fill("textarea[name=what]", "Встать на учёт в центре занятости")
    page.select_option("select[name=by_whom]", "parent")
    page.fill("input[name=due_on]", (today + datetime.timedelta(days=10)).isoformat())
    page.click("main button[type=submit]")
    page.get_by_role("link", name="Пересмотреть план").click()
    page.check("input[name=parent_took_part]")
    page.fill("input[name=participants]", "Мать, социальный работник")
    page.select_option("select[name=decision]", "continue")
    for radio in page.locator("input[type=radio][value='2']").all():
        radio.check()
    page.click("main button[type=submit]")
    assert "Пересмотр записан." in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Записать акт обследования").click()
    page.fill("input[name=inspectors]", "Сеитова А., социальный работник")
    page.fill("input[name=address]", "Астана, ул. Примерная 1")
    page.fill("textarea[name=housing]", "Однокомнатная квартира")
    page.fill("textarea[name=conclusion]", "Условия удовлетворительные")
    page.select_option("select[name=risk_level]", "medium")
    page.click("main button[type=submit]")
    assert "Обоснуйте уровень риска." in page.locator("main").inner_text() or (
        "Обязательное поле." in page.locator("main").inner_text()
    )
    page.fill("textarea[name=risk_reason]", "Доход нестабилен")
    page.click("main button[type=submit]")
    assert "Акт обследования записан." in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Направить родителя в службу").click()
    page.select_option("select[name=parent]", index=1)
    page.select_option("select[name=service]", "employment")
    page.fill("input[name=organisation]", "Центр занятости")
    page.fill("textarea[name=request]", "Трудоустройство")
    page.select_option("select[name=action]", index=1)
    page.click("main button[type=submit]")
    assert "Направление записано." in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Записать ответ").click()
    page.select_option("select[name=status]", "given")
    page.fill("input[name=answered_on]", today.isoformat())
    page.fill("textarea[name=outcome]", "Направлена на курсы")
    page.click("main button[type=submit]")

    main = page.locator("main").inner_text()
    assert "Найти работу" in main and "Средний" in main and "Направлена на курсы" in main
    assert PlanReview.objects.filter(plan__placement=placement).count() == 1
    assert InspectionAct.objects.get(placement=placement).risk_level == "medium"
    assert Referral.objects.get(placement=placement).status == "given"
    screenshot("staff-family-work")

    # The mother applies; the application goes to the authority with the act.
    page.goto(f"{live_server.url}/staff/placements/{placement.pk}/")
    page.get_by_role("link", name="Зарегистрировать заявление о возвращении ребёнка").click()
    page.click("main button[type=submit]")  # the only parent, already chosen
    page.get_by_role("link", name="Отправить в орган опеки").click()
    page.fill("input[name=outgoing_number]", "01-15/77")
    page.select_option("select[name=inspection]", index=1)
    page.click("main button[type=submit]")
    assert (
        "Заявление отправлено в орган опеки и попечительства."
        in page.locator(".messages").inner_text()
    )
    assert "исх. № 01-15/77" in page.locator("#timeline + ol").inner_text()
    application = placement.return_applications.get()
    assert (application.status, application.inspection.risk_level) == ("under_review", "medium")
