"""What a cache hit costs with each Redis backend: Django's RedisCache as it ships, and
django-redis (what the settings use); the median of five runs of `--gets` reads of a cached public
page (about 30 KB), in microseconds. Needs Redis at CACHE_URL (db 15 by default).

    .venv/bin/python bench/cache_hit.py [--gets 20000]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DEBUG", "on")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisisunit.settings")

import django

django.setup()

from django.core.cache.backends.redis import RedisCache  # noqa: E402

URL = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/15")
OPTIONS = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
PAGE = ("<p>Балалар үйі — дағдарыстық бөлім</p>" * 700).encode()


def backends():
    from django_redis.cache import RedisCache as DjangoRedis

    yield "Django's RedisCache", RedisCache(URL, {"OPTIONS": OPTIONS})
    options = {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2}
    yield "django-redis", DjangoRedis(URL, {"OPTIONS": options})


def per_get(cache, gets: int) -> float:
    cache.set("bench-page", PAGE, 60)
    assert cache.get("bench-page") == PAGE
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(gets):
            cache.get("bench-page")
        runs.append((time.perf_counter() - started) / gets * 1e6)
    return round(statistics.median(runs), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gets", type=int, default=20000)
    args = parser.parse_args()
    figures = {name: per_get(cache, args.gets) for name, cache in backends()}
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
