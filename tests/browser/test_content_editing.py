import pytest

from content.models import Home, Section
from tests.browser.conftest import give_code
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_previews_a_section_then_publishes_it_and_the_phone(
    page, live_server, screenshot, content_editor
):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", content_editor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    give_code(page, content_editor)
    section = Section.objects.get(anchor="help")
    page.goto(f"{live_server.url}/admin/content/section/{section.pk}/change/")
    page.fill("textarea[name=body_ru]", "Консультации:\n\n- **юриста**;\n- психолога.")
    page.fill("textarea[name=body_en]", "")

    page.click("input[name=_preview]")

    page.wait_for_selector(".content-preview")
    preview = page.inner_html(".content-preview")
    assert "<strong>юриста</strong>" in preview
    page.locator(".content-preview").scroll_into_view_if_needed()
    screenshot("admin-content-preview")
    section.refresh_from_db()
    assert "психолога" not in section.body_ru  # not saved by the preview
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")

    page.goto(f"{live_server.url}/admin/content/home/")
    page.fill("textarea[name=phones]", "8 (7172) 55-66-77")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    assert Home.load().phones == "8 (7172) 55-66-77"

    page.goto(f"{live_server.url}/ru/")
    assert "психолога" in page.inner_text("main")
    assert page.locator("footer a[href='tel:+77172556677']").count() == 1
    page.goto(f"{live_server.url}/en/")
    # No English text yet: the Kazakh one, marked as Kazakh.
    assert page.locator("#help-title + div[lang=kk]").count() == 1
