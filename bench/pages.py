"""Server time and query count of each page, through Django's test client in this
process, against the database DATABASE_URL names (seeded by bench/run.py).

Prints one JSON list: for each page, p50 and p95 of the server time over --requests
requests (after two warm-up requests) and the number of queries of one request.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisisunit.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from crisisunit.caching import forget_local_pages  # noqa: E402
from placements.models import Placement  # noqa: E402

HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}
COLD = "cold"  # the cache emptied before each request
# The dashboard and the indicators computed on every request (nothing kept): what
# keeping them costs.
NOT_KEPT = {"CASE_VIEWS_IN_CACHE": False}


def pages():
    User = get_user_model()
    social_worker = User.objects.get(username="synthetic_sw_01")
    administrator = User.objects.get(username="synthetic_admin")
    year_of_visits = (
        Placement.objects.annotate(n=Count("visits")).order_by("-n", "pk").values_list("pk", "n")[0]
    )
    searched = (
        Placement.objects.select_related("child")
        .order_by("pk")[Placement.objects.count() // 2]
        .child.given_name
    )
    return [
        # (name, url, user, mode: None, COLD, or settings to change)
        ("public info page, cold", "/kk/", None, COLD),
        ("public info page, cached", "/kk/", None, None),
        ("statistics page, cold", "/kk/stats/", None, COLD),
        ("statistics page, cached", "/kk/stats/", None, None),
        ("CSV download", "/stats/returns.csv", None, None),
        ("JSON download", "/stats/returns.json", None, None),
        ("staff dashboard", "/staff/", social_worker, None),
        ("staff dashboard, lists computed", "/staff/", social_worker, NOT_KEPT),
        ("placement list, first page", "/staff/placements/", social_worker, None),
        ("placement list, a search", f"/staff/placements/?q={searched}", social_worker, None),
        (
            "placement page, the most visits",
            f"/staff/placements/{year_of_visits[0]}/",
            social_worker,
            None,
        ),
        ("indicators, last 12 months, computed", "/staff/indicators/", administrator, NOT_KEPT),
        ("indicators, last 12 months, kept", "/staff/indicators/", administrator, None),
        ("admin: placements", "/admin/placements/placement/", administrator, None),
        ("admin: visits", "/admin/placements/visit/", administrator, None),
    ]


def second_factor_given(client, user):
    """The session as after the authenticator's code (crisisunit/twofactor.py)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def measure(url, user, mode, requests):
    if isinstance(mode, dict):
        with override_settings(**mode):
            return measure(url, user, None, requests)
    cold = mode == COLD
    client = Client()
    if user:
        client.force_login(user)
        second_factor_given(client, user)
    times = []
    for n in range(requests + 2):
        if cold:
            cache.clear()
            forget_local_pages()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, **HTTPS)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        if n >= 2:  # two warm-up requests
            times.append(elapsed * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": len(queries.captured_queries),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", default="", help="the pages whose name holds this text")
    args = parser.parse_args()
    results = []
    for name, url, user, cold in pages():
        if args.only not in name:
            continue
        result = {"page": name, "url": url, **measure(url, user, cold, args.requests)}
        if name.startswith("placement page"):
            result["visits"] = Placement.objects.get(pk=url.split("/")[-2]).visits.count()
        results.append(result)
        sys.stderr.write(f"  {name}: p50 {result['p50_ms']} ms, {result['queries']} queries\n")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
