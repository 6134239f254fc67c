"""Worker memory after PDFs: gunicorn as the Dockerfile runs it, 50 case summaries
printed at once by a signed-in social worker, then each worker's resident memory.

    python bench/pdf_memory.py [--pdfs 50] [--rounds 2]   (DATABASE_URL: default SQLite)

Prints each worker's memory before, at its peak after each round, and the goal
(issue 35: under 120 MB after 50 PDFs at once); exits 1 above the goal or on any
answer but a PDF."""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import gunicorn, prepared, worker_rss_mb

GOAL_MB = 120


def placements(env):
    import subprocess

    code = (
        "import django; django.setup()\n"
        "from placements.models import Placement\n"
        "print(' '.join(str(pk) for pk in Placement.objects.values_list('pk', flat=True)[:50]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
        env={**env, "DJANGO_SETTINGS_MODULE": "crisisunit.settings"},
        check=True, text=True, capture_output=True,
    )  # fmt: skip
    return [int(pk) for pk in done.stdout.split()]


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        body = answer.read()
        return answer.status, answer.headers.get("Content-Type"), body[:5]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{work}/pdf.sqlite3"
        with prepared(database_url) as (env, cookie), gunicorn(env, 3) as (server, url):
            pks = placements(env)
            before = worker_rss_mb(server)
            peaks = []
            for _ in range(args.rounds):
                urls = [
                    f"{url}/staff/placements/{pks[i % len(pks)]}/summary.pdf?lang=ru"
                    for i in range(args.pdfs)
                ]
                with concurrent.futures.ThreadPoolExecutor(args.pdfs) as pool:
                    answers = list(pool.map(lambda u: fetch(u, cookie), urls))
                wrong = [a for a in answers if a[0] != 200 or a[2] != b"%PDF-"]
                if wrong:
                    raise SystemExit(f"not a PDF: {wrong[:3]}")
                time.sleep(1)
                peaks.append(worker_rss_mb(server))
    after = peaks[-1]
    print(f"{args.pdfs} PDFs at once, {args.rounds} rounds, 3 workers")
    print(f"worker memory before (MB): {before}")
    for n, rss in enumerate(peaks, 1):
        print(f"after round {n} (MB): {rss}")
    worst = max(after)
    print(f"largest worker after: {worst} MB (goal < {GOAL_MB} MB)")
    return 0 if worst < GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
