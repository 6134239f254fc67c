"""WCAG 2.1 AA, checked by axe-core (the npm package pinned in package.json) in
Debian's chromium: every public page in every language, mode and width, every staff
page and form (empty and with errors) as a social worker and as an administrator in
both modes, and the admin pages the project customises. No page may scroll sideways
at 320 CSS px.

axe runs from an init script (DevTools, outside the page's Content Security Policy),
so the pages keep their strict policy while they are checked."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command

from content.models import Section
from crisisunit.caching import LOW_VISION_COOKIE
from crisisunit.lib.tabular import read_table
from placements import import_check
from placements.models import CaseloadImport, FollowUp, Placement, ReturnApplication
from placements.services import imports as import_services
from team import services as team_services
from tests.browser.conftest import ARTIFACTS, answer_the_icon, give_code
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ["standard", "low-vision"]


def _violations(page):
    """axe's WCAG A and AA violations on the page as it is now: (rule, target, why)."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        (violation["id"], node["target"], node["failureSummary"].splitlines()[-1].strip())
        for violation in result["violations"]
        for node in violation["nodes"][:3]
    ]


def _sideways(page):
    """How far the page is wider than the window, in CSS px (0: no sideways scroll)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


@pytest.fixture
def checked(browser, live_server, settings, request):
    """A browsing context with axe, the mode's cookie and a viewport; check(url) opens a
    page (or takes the one a form submission left) and notes what fails on it."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test-browser does)")
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    contexts, failures = [], []

    def open_context(mode, width, locale="ru-RU"):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
        context.add_init_script(path=str(AXE))
        answer_the_icon(context)
        if mode == "low-vision":
            context.add_cookies(
                [{"name": LOW_VISION_COOKIE, "value": "on", "url": live_server.url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    def check(page, url=None, *, label=None, narrow=True):
        if url is not None:
            page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")  # a form just submitted: its answer, loaded
        # and settled: the handlers the page's scripts queued for after loading have run.
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
        label = label or url or page.url
        width = page.viewport_size["width"]
        for rule, target, why in _violations(page):
            failures.append(f"{label} @{width}: {rule} {target} — {why}")
        if narrow:
            page.set_viewport_size({"width": 320, "height": 900})
            if (extra := _sideways(page)) > 0:
                failures.append(f"{label} @320: scrolls sideways by {extra} px")
            page.set_viewport_size({"width": width, "height": 900})

    yield open_context, check, failures
    for context in contexts:
        context.close()
    if failures:  # the whole list, for reading beside the test's short report
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{request.node.name}.txt").write_text("\n".join(failures) + "\n")


@pytest.fixture
def demo(transactional_db):
    call_command("demo", password=PASSWORD, stdout=io.StringIO())


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    give_code(page, username)


@pytest.mark.parametrize("mode", MODES)
def test_every_public_page_passes_axe_in_every_language_and_width(checked, demo, mode):
    open_context, check, failures = checked
    for width in (375, 1280):
        page = open_context(mode, width)
        for language in ("kk", "ru", "en"):
            for path in ("", "stats/", "contacts/", "documents/", "questions/"):
                check(page, f"/{language}/{path}")
        check(page, "/en/no-such-page/", label="404")
    assert not failures, "\n".join(failures)


User = get_user_model()


def _staff_pages(role):
    """The workspace's pages and forms a user of `role` opens in a day's work."""
    placement = Placement.objects.active().filter(return_applications__isnull=False).first()
    closed = Placement.objects.returned_home().filter(follow_ups__isnull=False).first()
    pending = FollowUp.objects.pending().first()
    pages = [
        "/staff/",
        "/staff/?mine=1",
        "/staff/placements/",
        "/staff/placements/?q=Демо&status=active",
        f"/staff/placements/{placement.pk}/",
        f"/staff/placements/{closed.pk}/",
        "/staff/placements/new/",
        f"/staff/placements/{placement.pk}/visits/new/",
        f"/staff/placements/{placement.pk}/consultations/new/",
        f"/staff/follow-ups/{pending.pk}/",
        "/staff/exports/",
        "/staff/indicators/",
        "/staff/indicators/?period=2025",
        f"/staff/placements/{placement.pk}/documents/",
        "/staff/tasks/",
        "/staff/tasks/?due=late",
        "/staff/tasks/new/",
        f"/staff/tasks/new/?placement={placement.pk}",
        "/staff/notices/",
        *_family_work_pages(placement),
    ]
    if role == "admin":
        worker = User.objects.get(username="socialworker")
        pages += ["/staff/team/", "/staff/team/new/", f"/staff/team/{worker.pk}/"]
        pages += ["/staff/team/caseload/", "/staff/tasks/?whose=team"]
        newcomer = User.objects.filter(email="newcomer@example.kz").first()
        if newcomer is None:
            newcomer = team_services.staff_add(
                first_name="Жаңа", last_name="Қызметкер", email="newcomer@example.kz",
                role="Social worker", language="kk", by=User.objects.get(username="admin"),
            )  # fmt: skip
        link = team_services.sign_in_link(newcomer)
        pages.append(link[link.index("/staff/") :])  # the link's page, and a spent one
        pages.append("/staff/team/welcome/MQ/spent-or-made-up/")
        pages.append(f"/staff/placements/{placement.pk}/extensions/new/")
        # The import: a file with a good row and a bad one, checked (both tables shown).
        good = "Импортова;Айару;14.02.2023;F;01.09.2024;mother_and_child;housing;admin"
        content = "\n".join(
            [
                "child_surname;child_given_name;child_date_of_birth;child_sex;admitted_on;"
                "referral_source;crisis_reason;social_worker",
                good,
                good.replace("01.09.2024", "2024/09/01").replace("Айару", "Дана"),
            ]
        ).encode()
        admin = User.objects.get(username="admin")
        run = import_services.caseload_stage(file_name="journal.csv", content=content, by=admin)
        table = read_table(content, max_rows=100)
        plan = import_check.check(table, by=admin)
        import_services.caseload_checked(run=run, plan=plan)  # a check with problems
        working = import_services.caseload_stage(file_name="big.csv", content=content, by=admin)
        import_services.caseload_job_start(run=working, job=CaseloadImport.Job.IMPORT, by=admin)
        # Reported "later": the page keeps its bar for the whole run, whatever its length.
        later = {"done": 4000, "total": 20000, "percent": 10, "stage": "check", "at": 4e9}
        caches["jobs"].set(working.progress_key, later, None)
        pages += ["/staff/import/", f"/staff/import/{run.pk}/", f"/staff/import/{working.pk}/"]
        pages += ["/staff/reports/"]
        pages += ["/staff/reports/?year=2025&part=q2", "/staff/reports/?year=2016"]
    return pages


def _family_work_pages(placement):
    """The work with the family of a demo stay that has it all: its page, each form,
    an action, an act and a referral."""
    from families.models import Consent
    from placements.models import InspectionAct, PlanAction, Referral, ReturnApplication

    worked = Placement.objects.active().filter(plan__reviews__isnull=False).first()
    base = f"/staff/placements/{worked.pk}"
    submitted = ReturnApplication.objects.filter(status="submitted").first()
    parent = worked.child.parents.first()
    consent = Consent.objects.filter(parent=parent, withdrawn_on=None).first()
    return [
        f"/staff/applications/{submitted.pk}/send/",
        f"{base}/parents/{parent.pk}/consents/new/",
        f"/staff/consents/{consent.pk}/withdraw/?placement={worked.pk}",
        f"{base}/family-work/",
        f"/staff/placements/{placement.pk}/family-work/",
        f"{base}/plan/goals/new/",
        f"{base}/plan/actions/new/",
        f"{base}/plan/reviews/new/",
        f"/staff/plan-actions/{PlanAction.objects.filter(goal__plan__placement=worked).first().pk}/",
        f"{base}/inspections/new/",
        f"/staff/inspections/{InspectionAct.objects.filter(placement=worked).first().pk}/",
        f"{base}/referrals/new/",
        f"/staff/referrals/{Referral.objects.filter(placement=worked).first().pk}/",
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role", ["socialworker", "admin"])
def test_every_staff_page_and_form_passes_axe(checked, demo, live_server, role, mode):
    open_context, check, failures = checked
    page = open_context(mode, 1280)
    _sign_in(page, live_server, role)
    check(page, label="after sign-in")  # the dashboard, with its messages if any
    for url in _staff_pages(role):
        check(page, url)

    placement = Placement.objects.active().first()
    pending = FollowUp.objects.pending().first()
    for url in (
        "/staff/placements/new/",
        f"/staff/placements/{placement.pk}/visits/new/",
        f"/staff/placements/{placement.pk}/consultations/new/",
        f"/staff/follow-ups/{pending.pk}/",
        "/staff/exports/",
        "/staff/tasks/new/",
    ):
        page.goto(f"{live_server.url}{url}")
        if "exports" in url:  # a period that ends before it begins
            page.select_option("select[name=what]", "visits")
            page.fill("input[name=date_from]", "2026-01-10")
            page.fill("input[name=date_to]", "2026-01-01")
            page.locator("main form button[type=submit]").last.click()
        else:
            page.evaluate(
                "() => document.querySelectorAll('main form [required]')"
                ".forEach(e => e.removeAttribute('required'))"
            )
            fields = "main form input:not([type=hidden]):not([type=radio]):not([type=checkbox])"
            for field in page.locator(fields).all():
                field.fill("")
            page.locator("main form button[type=submit]").last.click()
        check(page, label=f"{url} with errors")
        assert page.locator(".error-summary").count() == 1, url
        # The summary takes the focus, so a screen reader starts there; each error in
        # it links to its field.
        focused = page.evaluate("() => document.activeElement.className")
        assert focused == "error-summary", (url, focused)
    assert not failures, "\n".join(failures)


def test_the_staff_pages_fit_a_phone_in_both_modes(checked, demo, live_server):
    open_context, check, failures = checked
    for mode in MODES:
        page = open_context(mode, 375)
        _sign_in(page, live_server, "socialworker")
        for url in _staff_pages("socialworker"):
            check(page, url)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("mode", MODES)
def test_the_admin_pages_the_project_customises_pass_axe(checked, demo, live_server, mode):
    open_context, check, failures = checked
    page = open_context(mode, 1280)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code(page, "admin")
    placement = Placement.objects.active().filter(visits__isnull=False).first()
    application = ReturnApplication.objects.open().first()
    for url in (
        f"/admin/placements/placement/{placement.pk}/change/",
        "/admin/placements/returnapplication/",
        "/admin/placements/visit/add/",
        "/admin/stats/yearlyfigure/",
        "/admin/content/home/1/change/",
        "/admin/content/section/",
    ):
        check(page, url, narrow=False)
        assert _sideways(page) == 0, url  # inline tables scroll inside the page
    page.goto(f"{live_server.url}/admin/placements/returnapplication/")
    # In Russian throughout: the search icon's text and django-axes' section.
    assert page.get_attribute("#changelist-search img", "alt") == "Найти"
    sections = page.locator("#nav-sidebar").inner_text().lower()
    assert "записи о входе в систему" in sections and "crisisunit" not in sections
    page.check(f"input[name=_selected_action][value='{application.pk}']")
    page.select_option("select[name=action]", "approve_applications")
    page.click("button[name=index]")
    check(page, label="approve action form", narrow=False)
    page.goto(f"{live_server.url}/admin/placements/visit/add/")
    page.click("input[name=_save]")
    check(page, label="admin add visit with errors", narrow=False)
    page.goto(f"{live_server.url}/admin/content/section/{Section.objects.first().pk}/change/")
    page.click("input[name=_preview]")
    page.wait_for_selector(".content-preview")
    check(page, label="public content preview", narrow=False)
    assert not failures, "\n".join(failures)


def test_a_case_prints_on_paper_without_the_screens_furniture(checked, demo, live_server):
    open_context, _check, _failures = checked
    for mode in MODES:
        page = open_context(mode, 1280)
        _sign_in(page, live_server, "socialworker")
        placement = Placement.objects.active().filter(return_applications__isnull=False).first()
        page.goto(f"{live_server.url}/staff/placements/{placement.pk}/")
        page.emulate_media(media="print")

        for hidden in (".site-header", ".site-nav", ".actions-bar", ".entry-actions"):
            assert not page.locator(hidden).first.is_visible(), (mode, hidden)
        assert page.locator(".signature").is_visible()
        assert "Подпись" in page.locator(".signature").inner_text()
        ink = page.evaluate("() => getComputedStyle(document.body).color")
        assert ink == "rgb(0, 0, 0)", (mode, ink)  # black on white, low vision or not
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, (mode, pages)  # the audit's printout took 3, half blank
