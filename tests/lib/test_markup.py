import pytest

from crisisunit.lib.markup import HTML, LINK, render, strip_unsafe


def test_it_renders_paragraphs_lists_links_and_emphasis():
    html = render("*One* and **two**\n\n- a\n- b\n\n1. c\n\n[map](https://2gis.kz/astana)")

    assert "<p><em>One</em> and <strong>two</strong></p>" in html
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<ol>\n<li>c</li>\n</ol>" in html
    assert '<a href="https://2gis.kz/astana" rel="noopener noreferrer">map</a>' in html


def test_a_single_line_break_is_kept():
    assert render("Mon–Fri\n09:00–18:00") == "<p>Mon–Fri<br>\n09:00–18:00</p>"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<p style="color:red">red</p>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java&#115;cript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "![pixel](https://tracker.example/p.png)",
    ],
)
def test_nothing_active_survives_rendering_whatever_is_stored(source):
    html = render(source).lower()

    assert "<script" not in html and "<img" not in html and "<p style" not in html
    assert 'href="javascript' not in html and 'href="data' not in html


def test_headings_and_code_stay_plain_text():
    assert render("# Title") == "<p># Title</p>"
    assert render("`code`") == "<p>`code`</p>"


def test_html_is_stripped_before_storing_and_reported():
    assert strip_unsafe("Hello <b>there</b><script>alert(1)</script>") == ("Hello there", {HTML})
    assert strip_unsafe('<span style="color:red">red</span> text') == ("red text", {HTML})


def test_an_unsafe_link_keeps_its_words_and_is_reported():
    assert strip_unsafe("Call [us](javascript:alert(1)) now") == ("Call us now", {LINK})
    assert strip_unsafe("[x](java&#115;cript:alert(1))") == ("x", {LINK})
    assert strip_unsafe("[x](vbscript:msgbox)") == ("x", {LINK})


@pytest.mark.parametrize(
    "source",
    [
        "[site](https://example.kz/a_(b))",
        "[mail](mailto:home@example.kz) [call](tel:+77172000000)",
        "[contacts](/kk/contacts/)",
        "a < b and 5 > 3, <3",
        'Plain text with & and "quotes"',
    ],
)
def test_safe_text_is_stored_as_written(source):
    assert strip_unsafe(source) == (source, set())
