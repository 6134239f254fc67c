import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_reads_switches_language_and_keeps_the_low_vision_mode(
    page, live_server, screenshot
):
    page.goto(f"{live_server.url}/")  # the browser asks for Russian
    assert page.url == f"{live_server.url}/ru/"
    assert page.locator("h1").inner_text() == "Кризисное отделение"
    screenshot("public-home-ru")

    page.click("header >> text=ҚАЗ")
    expect(page).to_have_url(f"{live_server.url}/kk/")
    assert page.get_attribute("html", "lang") == "kk"
    page.click("nav.site-nav >> text=Нәтижелер")
    expect(page).to_have_url(f"{live_server.url}/kk/stats/")
    assert page.locator("svg[role=img] rect").count() >= 8
    screenshot("public-stats-kk")

    page.click("header >> text=ENG")
    expect(page).to_have_url(f"{live_server.url}/en/stats/")
    page.click("text=Low vision mode")
    expect(page).to_have_url(f"{live_server.url}/en/stats/")
    expect(page.locator("html")).to_have_class(re.compile("low-vision"))
    page.wait_for_load_state("load")  # the stylesheet too
    big = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert big > 16
    page.reload()
    assert "low-vision" in page.get_attribute("html", "class")
    assert page.locator("header >> text=Standard view").is_visible()
    screenshot("public-stats-low-vision")

    page.click("text=Standard view")
    expect(page.locator("html")).not_to_have_class(re.compile("low-vision"))
    assert page.get_attribute("html", "class") in (None, "")


def test_the_public_pages_fit_a_small_phone(page, live_server, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/kk/", "/ru/stats/"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, path
    screenshot("public-stats-360px")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
