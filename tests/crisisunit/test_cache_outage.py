"""Reliability #1: the cache is an optimisation, never a dependency. With the cache
raising or not answering, public pages are rendered uncached and stay up."""

import logging

import pytest
from django.core.cache import cache
from django_redis.cache import RedisCache as DjangoRedis

from crisisunit import caching

PUBLIC_PAGES = ["/kk/", "/ru/", "/en/stats/", "/stats/returns.csv", "/stats/returns.json"]


@pytest.fixture
def broken_cache(monkeypatch):
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "get", fail)
    monkeypatch.setattr(cache, "set", fail)
    monkeypatch.setattr(caching, "_cache_failing", False)
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_stay_up_when_the_cache_raises(client, broken_cache, path):
    response = client.get(path)

    assert response.status_code == 200
    assert broken_cache, "the page did try the cache"


@pytest.mark.django_db
def test_a_cache_outage_is_logged_once_and_its_end_too(client, broken_cache, caplog, monkeypatch):
    with caplog.at_level(logging.WARNING, logger="crisisunit.caching"):
        for _ in range(3):
            client.get("/kk/")
        assert len(caplog.records) == 1
        assert "unavailable" in caplog.records[0].getMessage()

        monkeypatch.undo()  # the cache answers again
        monkeypatch.setattr(caching, "_cache_failing", True)
        # (The process kept its own copy of /kk/, which asks nothing of the cache.)
        client.get("/ru/")
    assert len(caplog.records) == 2
    assert "again" in caplog.records[1].getMessage()


@pytest.mark.django_db
def test_a_frozen_redis_costs_a_page_a_fraction_of_a_second_not_the_page(
    client, settings, silent_redis, monkeypatch
):
    # The settings' own Redis options, pointed at a Redis that never answers.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent_redis}/1",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    frozen = DjangoRedis(f"redis://127.0.0.1:{silent_redis}/1", settings.CACHES["default"])
    monkeypatch.setattr(caching, "cache", frozen)
    monkeypatch.setattr(caching, "_cache_failing", False)

    response = client.get("/ru/")

    assert response.status_code == 200
    assert caching._cache_failing


def test_settings_give_redis_short_timeouts(monkeypatch):
    import importlib

    from crisisunit import settings as settings_module

    monkeypatch.setenv("DEBUG", "on")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    try:
        reloaded = importlib.reload(settings_module)
        options = reloaded.CACHES["default"]["OPTIONS"]
        backend = reloaded.CACHES["default"]["BACKEND"]
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(settings_module)

    assert backend == "django_redis.cache.RedisCache"
    assert 0 < options["SOCKET_TIMEOUT"] <= 1
    assert 0 < options["SOCKET_CONNECT_TIMEOUT"] <= 1


def test_the_redis_cache_keeps_one_client_per_server_and_works_through_it():
    backend = DjangoRedis("redis://127.0.0.1:6379/7", {"OPTIONS": {"SOCKET_TIMEOUT": 0.2}})
    assert backend.client.get_client(write=False) is backend.client.get_client(write=True)
    try:
        backend.set("kept-client", "ответ", 5)
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379 here")
    assert backend.get("kept-client") == "ответ"
    backend.delete("kept-client")
