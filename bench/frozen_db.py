"""The frozen-database drill: what gunicorn, as the Dockerfile runs it, serves while
PostgreSQL stops answering for --freeze seconds.

    DATABASE_URL=postgres://… python bench/frozen_db.py [--freeze 20] [--clients 12]

Prepares the database as bench/load.py does (demo data, Redis as the cache when it
answers), then points gunicorn at it through a relay that can be frozen (bench/relay.py:
connections stay open, nothing passes). --clients threads ask in turn for a cached
public page, /healthz and the staff dashboard (signed in), for 5 s before the freeze,
during it, and 5 s after. Prints, for each phase and page, the answers by status and
the slowest, and the gunicorn log lines written during the freeze; exits 1 when a
cached page or /healthz took more than SLOWEST_S during the freeze, or any answer was a
500.
"""

import argparse
import collections
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load
from relay import Relay

PAGES = {"public": "/ru/", "healthz": "/healthz", "staff": "/staff/"}
# The longest a cached page or /healthz may take during the freeze: 2 s, libpq's floor on
# connect_timeout (a thread connecting to the frozen server waits that long, and a
# request queued behind it too), and a little for the scheduling of 12 threads on 2 cores.
SLOWEST_S = 2.5


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "before"
        self.counts = collections.defaultdict(collections.Counter)  # (phase, page) → status
        self.slowest = collections.defaultdict(float)

    def add(self, phase, page, status, seconds):
        with self.lock:
            self.counts[phase, page][status] += 1
            self.slowest[phase, page] = max(self.slowest[phase, page], seconds)


def client(url, cookie, tally, stop):
    parts = urllib.parse.urlsplit(url)
    while not stop.is_set():
        for page, path in PAGES.items():
            phase, began = tally.phase, time.monotonic()
            headers = {"X-Forwarded-Proto": "https", "Host": load.HOST}
            if page == "staff":
                headers["Cookie"] = cookie
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
                connection.close()
            except OSError as error:
                status = type(error).__name__
            tally.add(phase, page, status, time.monotonic() - began)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--freeze", type=float, default=20, help="seconds")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--output", default="")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to PostgreSQL (the relay speaks TCP to it).")
    target = urllib.parse.urlsplit(database_url)
    relay = Relay((target.hostname or "127.0.0.1", target.port or 5432))
    relayed = target._replace(netloc=target.netloc.replace(
        f"{target.hostname}:{target.port or 5432}", f"127.0.0.1:{relay.port}"
    )).geturl()  # fmt: skip
    workers = int(load.dockerfile_env().get("WEB_CONCURRENCY", 3))
    with load.prepared(database_url) as (env, cookie), tempfile.TemporaryDirectory() as work:
        env = {**env, "DATABASE_URL": relayed, "LOG_LEVEL": "WARNING"}
        log = Path(work) / "gunicorn.log"
        with log.open("w") as err:
            result = drill(env, cookie, workers, relay, args, log, err)
    relay.close()
    report(result, args)
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    during = result["during"]
    failed = [
        f"{page}: slowest {during[page]['slowest_s']} s"
        for page in ("public", "healthz")
        if during[page]["slowest_s"] > SLOWEST_S
    ]
    failed += [f"{phase} {page}: 500" for phase, pages in result.items() if isinstance(pages, dict)
               for page, figures in pages.items() if isinstance(figures, dict)
               and "500" in figures.get("answers", {})]  # fmt: skip
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


def drill(env, cookie, workers, relay, args, log, err):
    with load.gunicorn(env, workers, stderr=err) as (_server, url):
        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(target=client, args=(url, cookie, tally, stop), daemon=True)
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        time.sleep(5)
        lines_before = len(log.read_text().splitlines())
        tally.phase = "during"
        relay.frozen.set()
        time.sleep(args.freeze)
        written = log.read_text().splitlines()[lines_before:]
        lines_during = len(written)
        kinds = collections.Counter(line[:100] for line in written).most_common(5)
        tally.phase = "after"
        relay.frozen.clear()
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
    result = {"freeze_s": args.freeze, "clients": args.clients, "workers": workers,
              "threads": env.get("GUNICORN_CMD_ARGS", ""),
              "log_lines_during": lines_during, "log_kinds": kinds}  # fmt: skip
    for (phase, page), counts in tally.counts.items():
        result.setdefault(phase, {})[page] = {
            "answers": dict(counts),
            "slowest_s": round(tally.slowest[phase, page], 2),
        }
    return result


def report(result, args):
    print(
        f"PostgreSQL frozen {args.freeze:g} s; {args.clients} clients; "
        f"{result['workers']} gunicorn workers {result['threads']}\n"
        "| phase | page | answers | slowest |\n|---|---|---|---:|"
    )
    for phase in ("before", "during", "after"):
        for page in PAGES:
            figures = result.get(phase, {}).get(page, {"answers": {}, "slowest_s": 0})
            answers = ", ".join(f"{n} × {code}" for code, n in sorted(figures["answers"].items()))
            print(f"| {phase} | {page} | {answers} | {figures['slowest_s']} s |")
    print(f"gunicorn log lines during the freeze: {result['log_lines_during']}")
    for line, count in result["log_kinds"]:
        print(f"  {count} × {line}")


if __name__ == "__main__":
    sys.exit(main())
