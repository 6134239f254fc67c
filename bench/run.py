"""The benchmark: pages as data grows, throughput against the ceiling, memory.

    make bench        # DATABASE_URL: the PostgreSQL server to use (the local one by default)

For each size (1,000, 10,000, 100,000 placements) a fresh database `crisisunit_bench`
on that server is migrated and seeded (`manage.py seed_synthetic`), then bench/pages.py
measures each page's server time and queries. On the largest, gunicorn with the
production settings (2 × cores + 1 sync workers) is driven by wrk at 32 connections for
30 s per target: a static file (the ceiling), the cached statistics and info pages,
/healthz and the staff dashboard; then the resident memory of one worker is read.
Writes bench/results.json and bench/results.md and prints the latter.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load

sys.path.insert(0, str(load.ROOT))
from crisisunit import backups

ROOT = load.ROOT
BENCH_DB = "crisisunit_bench"


def bench_url(server_url):
    """The URL of the benchmark's own database on the server `server_url` names."""
    base, _, _name = server_url.rpartition("/")
    return f"{base}/{BENCH_DB}"


def recreate(server_url):
    config = load_db_config(server_url)
    with psycopg.connect(**{**config, "dbname": config["dbname"]}, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{BENCH_DB}"')


def load_db_config(url):
    """psycopg's connection arguments for a DATABASE_URL, as the backup command reads them."""
    return backups._pg_connect_args(backups.database_from_url(url))


def seed(env, size):
    started = time.monotonic()
    load.manage(env, "migrate", "--noinput", "-v0")
    done = load.manage(env, "seed_synthetic", "--placements", str(size), capture=True)
    print(done.stdout.strip(), flush=True)
    return round(time.monotonic() - started, 1)


def analyze(url):
    """What autovacuum does after a bulk load in production: planner statistics and the
    visibility map (without it, index-only scans read the table too)."""
    with psycopg.connect(**load_db_config(url), autocommit=True) as db:
        tables = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in tables.fetchall():
            db.execute(f'VACUUM ANALYZE "{table}"')


def measure_pages(env, requests):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--requests", str(requests)],
        cwd=ROOT,
        env={**env, "SECURE_SSL_REDIRECT": "off", "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit("bench/pages.py failed")
    return json.loads(done.stdout)


def static_path(env):
    code = (
        "import django; django.setup()\n"
        "from django.templatetags.static import static\n"
        "print(static('css/site.css'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "crisisunit.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def throughput(env, connections, duration):
    cookie = load.signed_in_cookie(env, "synthetic_sw_01")
    targets = [
        ("static file (whitenoise)", static_path(env)),
        ("statistics page, cached", "/kk/stats/"),
        ("info page, cached", "/kk/"),
        ("/healthz", "/healthz"),
        ("staff dashboard (social worker)", "/staff/"),
    ]
    workers = 2 * (os.cpu_count() or 1) + 1
    results = []
    with load.gunicorn(env, workers) as (server, url):
        load.warm_up(url, [path for _name, path in targets], cookie)
        for name, path in targets:
            result = load.wrk(
                url, [path], connections=connections, duration=duration, cookie=cookie
            )
            problems = load.problems(result)
            results.append(
                {
                    "target": name,
                    "path": path,
                    "requests_per_s": result["requests_per_s"],
                    "p50_ms": result["latency_ms"]["p50"],
                    "p99_ms": result["latency_ms"]["p99"],
                    "errors": sum(result["errors"].values()),
                    "problems": problems,
                }
            )
            print(f"  {name}: {result['requests_per_s']} req/s", flush=True)
        rss = load.worker_rss_mb(server)
    ceiling = results[0]["requests_per_s"]
    for row in results:
        row["ratio_to_static"] = round(row["requests_per_s"] / ceiling, 2)
    return {"workers": workers, "targets": results, "worker_rss_mb": rss}


def markdown(report):
    lines = [
        f"Run {report['date']} on {report['machine']}; PostgreSQL "
        f"{report['postgres']}, cache {report['cache']}.",
        "",
        "### Pages as data grows (server time through Django's test client, "
        f"{report['requests']} requests each)",
        "",
    ]
    sizes = [run["placements"] for run in report["sizes"]]
    header = "| page | " + " | ".join(f"{s:,}: p50 / p95 ms" for s in sizes) + " | queries |"
    lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
    names = [row["page"] for row in report["sizes"][0]["pages"]]
    for name in names:
        cells, queries = [], []
        for run in report["sizes"]:
            row = next(r for r in run["pages"] if r["page"] == name)
            cells.append(f"{row['p50_ms']} / {row['p95_ms']}")
            queries.append(row["queries"])
        same = len(set(queries)) == 1
        shown = str(queries[0]) if same else " → ".join(map(str, queries)) + " (differs)"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {shown} |")
    lines += ["", "| data | " + " | ".join(f"{s:,}" for s in sizes) + " |"]
    lines.append("|---|" + "---:|" * len(sizes))
    for key, label in [("visits", "visits"), ("seconds", "seeding, s")]:
        lines.append(
            f"| {label} | " + " | ".join(f"{run[key]:,}" for run in report["sizes"]) + " |"
        )
    t = report["throughput"]
    lines += [
        "",
        f"### Throughput at {report['sizes'][-1]['placements']:,} placements "
        f"(gunicorn, {t['workers']} sync workers; wrk, {report['connections']} connections, "
        f"{report['duration']} s each)",
        "",
        "| target | requests/s | p50 ms | p99 ms | errors | × static |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in t["targets"]:
        lines.append(
            f"| {row['target']} | {row['requests_per_s']:,} | {row['p50_ms']} | "
            f"{row['p99_ms']} | {row['errors']} | {row['ratio_to_static']} |"
        )
    lines += [
        "",
        f"Resident memory of each gunicorn worker after the load: {t['worker_rss_mb']} MB.",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--results", default=str(ROOT / "bench"), help="where to write results")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server; `make bench` does.")
    url = bench_url(server_url)
    sizes = [int(s) for s in args.sizes.split(",")]
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "requests": args.requests,
        "connections": args.connections,
        "duration": args.duration,
        "sizes": [],
    }
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = load.production_env(url, work / "static", load.redis_or_local_cache())
        load.manage(env, "collectstatic", "--noinput", "-v0")
        report["cache"] = env["CACHE_URL"].split(":")[0]
        for size in sizes:
            print(f"== {size:,} placements", flush=True)
            recreate(server_url)
            seconds = seed(env, size)
            analyze(url)
            pages = measure_pages(env, args.requests)
            with psycopg.connect(**load_db_config(url)) as db:
                visits = db.execute("SELECT count(*) FROM placements_visit").fetchone()[0]
                report["postgres"] = db.execute("SHOW server_version").fetchone()[0]
            report["sizes"].append(
                {"placements": size, "visits": visits, "seconds": seconds, "pages": pages}
            )
        print("== throughput", flush=True)
        report["throughput"] = throughput(env, args.connections, args.duration)
    results = Path(args.results)
    (results / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (results / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
