"""Issue 20, goal 1: a cached public page is served before the rest of the stack, and
with a shared cache touches no database; its headers, language and display mode stay
right, and a change shows at once."""

import re

import pytest
from django.test import Client

from crisisunit.caching import LOW_VISION_COOKIE
from placements import services
from placements.models import Placement

pytestmark = pytest.mark.django_db

HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "Content-Language",
]


@pytest.fixture
def shared_cache(settings):
    settings.PUBLIC_VERSION_IN_CACHE = True  # as with Redis


@pytest.mark.parametrize(
    "path", ["/kk/", "/ru/stats/", "/stats/returns.csv", "/stats/returns.json"]
)
def test_a_cached_page_costs_no_database_query(
    client, shared_cache, path, django_assert_num_queries
):
    first = client.get(path)

    with django_assert_num_queries(0):
        again = client.get(path)

    assert again.status_code == 200 and again.content == first.content


def test_a_page_served_from_the_cache_carries_every_security_header(client):
    first = client.get("/en/stats/")
    again = client.get("/en/stats/")

    for header in HEADERS:
        assert again.get(header) == first.get(header) and again.get(header), header


def test_each_language_and_display_mode_has_its_own_copy(client):
    for _ in range(2):
        kk = client.get("/kk/").content.decode()
        ru = client.get("/ru/").content.decode()
    assert '<html lang="kk"' in kk and '<html lang="ru"' in ru

    client.cookies[LOW_VISION_COOKIE] = "on"
    low = client.get("/ru/").content.decode()
    assert "low-vision" in low and low != ru


def test_gzip_is_given_to_browsers_that_accept_it_and_304_to_those_that_hold_it(client):
    client.get("/ru/")
    plain = client.get("/ru/")
    zipped = client.get("/ru/", headers={"accept-encoding": "gzip, br"})
    held = client.get("/ru/", headers={"if-none-match": plain["ETag"]})

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip" and len(zipped.content) < len(plain.content)
    assert held.status_code == 304


def test_staff_pages_are_never_kept(client, social_worker):
    client.force_login(social_worker)

    first = client.get("/staff/")
    second = client.get("/staff/")

    assert "no-store" in second["Cache-Control"]
    assert not getattr(first, "public_page", False)


def test_a_closing_shows_at_once_with_the_version_kept_in_the_cache(
    client, shared_cache, make_placement, administrator, today, django_capture_on_commit_callbacks
):
    def returned(page):
        row = re.search(rf'<th scope="row">{today.year}</th>\s*<td class="number">(\d+)</td>', page)
        return int(row.group(1))

    placement = make_placement(days_ago=30)
    before = returned(client.get("/en/stats/").content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
        )

    assert returned(Client().get("/en/stats/").content.decode()) == before + 1


def test_a_page_answers_304_to_a_browser_that_holds_it_by_date(client):
    first = client.get("/ru/stats/")
    held = client.get("/ru/stats/", headers={"if-modified-since": first["Last-Modified"]})
    older = client.get("/ru/stats/", headers={"if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT"})

    assert held.status_code == 304 and held.content == b""
    assert older.status_code == 200 and older.content == first.content


def test_a_process_keeps_its_own_copy_and_reads_only_the_version_from_the_shared_cache(
    client, shared_cache, monkeypatch
):
    from crisisunit import caching

    client.get("/kk/")
    read = []
    shared_get = caching.cache_get
    monkeypatch.setattr(caching, "cache_get", lambda key: read.append(key) or shared_get(key))

    again = client.get("/kk/")

    assert again.status_code == 200 and '<html lang="kk"' in again.content.decode()
    assert not [key for key in read if key.startswith("public-page:")]


def test_a_change_reaches_a_process_that_kept_the_older_page(
    client, shared_cache, make_placement, administrator, today, django_capture_on_commit_callbacks
):
    placement = make_placement(days_ago=30)
    before = client.get("/en/stats/")
    client.get("/en/stats/")  # kept by this process now

    with django_capture_on_commit_callbacks(execute=True):
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
        )

    after = client.get("/en/stats/")
    assert after.content != before.content and after["ETag"] != before["ETag"]


def test_a_change_made_through_another_process_shows_within_a_second(
    client, shared_cache, monkeypatch
):
    from crisisunit import caching
    from stats import figures

    clock = [1000.0]  # this process's clock, moved by hand
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    client.get("/ru/")
    mine = figures.current_version()
    # Another process moved the version in Redis after a commit.
    caching.cache_set(figures.VERSION_KEY, mine + ":elsewhere", figures.VERSION_TIMEOUT)

    assert figures.current_version() == mine  # remembered here, for a second at most
    clock[0] += figures.VERSION_MEMO_SECONDS
    assert figures.current_version() == mine + ":elsewhere"


def test_other_spellings_of_the_host_are_served_uncached_and_cannot_fill_the_cache(
    client, settings
):
    """Security #7: /en/stats/ with Host localhost:1000 … :1299 made 300 entries."""
    from crisisunit import caching

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    caching.forget_local_pages()

    for port in range(1000, 1040):
        answer = client.get("/en/stats/", HTTP_HOST=f"localhost:{port}")
        assert answer.status_code == 200
        assert f"localhost:{port}" in answer.content.decode()  # its own links, uncached
    assert len(caching._local.pages) == 0

    client.get("/en/stats/")  # the site's own host (SITE_URL)
    client.get("/en/stats/")
    assert len(caching._local.pages) == 1


def test_a_bump_the_frozen_cache_missed_is_sent_by_the_next_page(
    client, shared_cache, make_placement, administrator, today, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Issue 35, reliability finding 8: a return approved while Redis was frozen showed
    the old figure for up to 5 minutes after Redis came back."""
    from django.core.cache import cache

    from stats import figures

    def returned(page):
        row = re.search(rf'<th scope="row">{today.year}</th>\s*<td class="number">(\d+)</td>', page)
        return int(row.group(1))

    placement = make_placement(days_ago=30)
    before = returned(client.get("/en/stats/").content.decode())
    old_version = cache.get(figures.VERSION_KEY)

    def frozen(*args, **kwargs):
        raise TimeoutError("Redis does not answer")

    with monkeypatch.context() as freeze, django_capture_on_commit_callbacks(execute=True):
        freeze.setattr(cache, "set", frozen)
        services.placement_close(
            placement=placement, outcome=Placement.Outcome.RETURNED, on=today, by=administrator
        )
    assert cache.get(figures.VERSION_KEY) == old_version  # the bump was lost

    client.get("/ru/")  # any public page of this process, after Redis is back

    assert cache.get(figures.VERSION_KEY) != old_version
    figures._remembered.put(None)  # another process, with nothing remembered
    assert returned(Client().get("/en/stats/").content.decode()) == before + 1
