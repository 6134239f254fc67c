"""The public site: every page in every language, its head, header and footer."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from families.models import Child, Parent

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru", "en"]
HEADINGS = {
    ("", "kk"): "Дағдарыстық бөлім",
    ("", "ru"): "Кризисное отделение",
    ("", "en"): "Crisis unit",
    ("stats/", "kk"): "Отбасына оралған балалар",
    ("stats/", "ru"): "Дети, вернувшиеся в семьи",
    ("stats/", "en"): "Children returned to their families",
    ("contacts/", "kk"): "Байланыс және қалай жетуге болады",
    ("contacts/", "ru"): "Контакты и как добраться",
    ("contacts/", "en"): "Contacts and how to get here",
    ("documents/", "kk"): "Қандай құжаттар алу керек",
    ("documents/", "ru"): "Какие документы взять с собой",
    ("documents/", "en"): "Documents to bring",
    ("questions/", "kk"): "Сұрақтар мен жауаптар",
    ("questions/", "ru"): "Вопросы и ответы",
    ("questions/", "en"): "Questions and answers",
}
PUBLIC_PAGES = [f"/{language}/{page}" for page, language in HEADINGS]


class Outline(HTMLParser):
    """The headings of a page, and whether it has inline scripts or styles."""

    def __init__(self):
        super().__init__()
        self.levels, self.h1, self.inline = [], [], []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
            self._in_h1 = tag == "h1"
        if tag in ("script", "style") or any(name == "style" for name, _ in attrs):
            self.inline.append(tag)
        if any(name.startswith("on") for name, _ in attrs):
            self.inline.append(tag)

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data.strip())


def outline(page):
    parser = Outline()
    parser.feed(page.content.decode())
    return parser


@pytest.mark.parametrize(("page", "language"), list(HEADINGS))
def test_each_public_page_speaks_its_language(client, page, language):
    response = client.get(f"/{language}/{page}")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in html
    assert outline(response).h1 == [HEADINGS[(page, language)]]
    for other in LANGUAGES:
        assert f'hreflang="{other}" href="http://testserver/{other}/{page}"' in html
    assert 'hreflang="x-default" href="http://testserver/"' in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_have_ordered_headings_landmarks_and_nothing_inline(client, url):
    response = client.get(url)

    parsed = outline(response)
    html = response.content.decode()
    assert parsed.levels[0] == 1 and parsed.levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(parsed.levels, parsed.levels[1:], strict=False))
    assert parsed.inline == []
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and "<nav" in html


def test_the_root_sends_a_visitor_to_their_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/ru/"


def test_the_root_falls_back_to_kazakh(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/kk/"


def test_the_language_switch_stays_on_the_same_page(client):
    html = client.get("/ru/stats/").content.decode()

    assert '<a href="/kk/stats/" lang="kk" hreflang="kk"' in html
    assert '<a href="/en/stats/" lang="en" hreflang="en"' in html
    assert '<span aria-current="true" lang="ru"' in html


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/kk/", "уақытша қамқорлық"),
        ("/ru/", "временно заботится"),
        ("/en/stats/", "How many children"),
        ("/ru/stats/", "Сколько детей"),
    ],
)
def test_each_page_has_its_own_translated_description(client, url, words):
    html = client.get(url).content.decode()

    description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
    assert words in description


def test_the_information_page_says_where_to_go_and_what_a_parent_must_do(client):
    html = client.get("/en/").content.decode()

    assert "What to do now" in html
    assert "106-486" in html
    assert "mother-and-child department" in html.lower()
    assert "guardianship and custody department" in html.lower()
    assert "at least once a week" in html
    assert "guardianship and custody authority considers your application" in html


def test_the_information_page_shows_the_latest_results_and_links_the_statistics(client, today):
    html = client.get("/en/").content.decode()

    assert 'href="/en/stats/"' in html
    assert "Since 2016, 292 children have gone home" in html
    assert f"In {today.year - 1}, <strong>0 children</strong> went home" in html


def test_robots_txt_keeps_crawlers_out_of_staff_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /staff/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_sitemap_lists_every_public_page_in_every_language(client):
    xml = client.get("/sitemap.xml").content.decode()

    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert sorted(locations) == sorted(f"http://testserver{url}" for url in PUBLIC_PAGES)
    assert xml.count('hreflang="x-default"') == len(PUBLIC_PAGES)


def test_an_unknown_address_gets_a_translated_404(client):
    response = client.get("/ru/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru"' in html and "Страница не найдена" in html
    assert 'href="/kk/no-such-page/"' in html


def test_a_server_error_gets_a_translated_500(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr("stats.figures.yearly_returns", broken)
    response = Client(raise_request_exception=False).get("/kk/")

    assert response.status_code == 500
    assert "Бірдеңе дұрыс болмады" in response.content.decode()
    assert "the database is gone" not in response.content.decode()


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert '<link rel="icon"' in client.get("/en/").content.decode()


def test_the_low_vision_mode_is_switched_on_by_a_link_and_remembered(client):
    html = client.get("/ru/stats/").content.decode()
    switch = re.search(r'class="low-vision-switch" href="([^"]+)"', html).group(1)

    response = client.get(switch.replace("&amp;", "&"))

    assert response.status_code == 302 and response["Location"] == "/ru/stats/"
    assert response.cookies["low_vision"].value == "on"
    html = client.get("/ru/stats/").content.decode()
    assert '<html lang="ru" class="low-vision">' in html
    assert "Обычный вид" in html


def test_the_low_vision_mode_is_switched_off_again(client):
    client.cookies["low_vision"] = "on"

    client.get("/accessibility/low-vision/?on=0&next=/en/")

    assert 'class="low-vision"' not in client.get("/en/").content.decode()


def test_the_low_vision_switch_never_sends_a_visitor_to_another_site(client):
    response = client.get("/accessibility/low-vision/?on=1&next=https://evil.example/")

    assert response["Location"] == "/"


def test_no_personal_data_of_the_demo_families_reaches_a_public_page(client):
    call_command("demo", password="a-demo-password-for-tests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    secrets = set()
    for person in [*Child.objects.all(), *Parent.objects.all()]:
        secrets |= {person.surname, person.given_name, person.iin}
    for parent in Parent.objects.all():
        secrets |= {parent.phone, parent.address}
    secrets.discard("")
    assert len(secrets) > 20

    urls = [*PUBLIC_PAGES, "/kk/no-such-page/", "/stats/returns.csv", "/stats/returns.json"]
    for url in urls:
        text = client.get(url).content.decode()
        leaked = [secret for secret in secrets if secret and secret in text]
        assert leaked == [], url
