"""Load test: gunicorn with the production settings on loopback, driven by wrk.

    DATABASE_URL=postgres://… python bench/load.py [--connections 64] [--duration 60]

Prepares the database named by DATABASE_URL (migrations, the demo data), collects the
static files, signs in the demo social worker, starts gunicorn as the Dockerfile does (its
workers and database settings, read from its ENV lines) and drives it with wrk
(Debian's `wrk` package) across the public pages, the login page and the staff
dashboard. Prints requests/s and the p50, p95 and p99 latency, writes them to
bench/load.json, and exits 1 on any 5xx, any other unexpected status, or any
connection error. `make load` runs it against the
local PostgreSQL.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MIX = [
    "/kk/",
    "/ru/",
    "/en/",
    "/kk/stats/",
    "/ru/stats/",
    "/en/stats/",
    "/stats/returns.csv",
    "/stats/returns.json",
    "/staff/login/",
    "/staff/",
]
HOST = "127.0.0.1"


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(database_url, static_root, cache_url):
    return {
        **os.environ,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        # The site's own host, which the requests name (mix.lua): public pages cached
        # only for it, as in production.
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": cache_url,
        "LOG_LEVEL": "WARNING",
        **dockerfile_env(),
        # One setting set by hand wins, to compare (GUNICORN_CMD_ARGS=--threads=1 …).
        **{name: os.environ[name] for name in DEPLOYMENT_SETTINGS if name in os.environ},
    }


def dockerfile_env() -> dict:
    """The deployment settings the Dockerfile's `ENV` lines give (CONN_MAX_AGE,
    WEB_CONCURRENCY, …), so the figures are those of what the image runs."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            found.update(re.findall(r"(\w+)=(\S+)", line))
    return {name: found[name] for name in DEPLOYMENT_SETTINGS if name in found}


DEPLOYMENT_SETTINGS = (
    "CONN_MAX_AGE",
    "DB_CONNECT_TIMEOUT",
    "DB_FAIL_FAST_SECONDS",
    "DB_STATEMENT_TIMEOUT",
    "GUNICORN_CMD_ARGS",
    "WEB_CONCURRENCY",
)


def redis_or_local_cache():
    """The shared cache production uses (Redis on this machine) when it answers."""
    with contextlib.suppress(OSError), socket.create_connection((HOST, 6379), timeout=1):
        return f"redis://{HOST}:6379/7"
    return "locmemcache://"


def manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def signed_in_cookie(env, username):
    """A session cookie for `username`, made in the database gunicorn reads: signed in,
    second factor given (as if the code of an enrolled authenticator had been typed)."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "from django_otp import DEVICE_ID_SESSION_KEY\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"user = get_user_model().objects.get(username={username!r})\n"
        "c = Client()\n"
        "c.force_login(user)\n"
        "device = TOTPDevice.objects.filter(user=user, confirmed=True).first()\n"
        "device = device or TOTPDevice.objects.create(user=user, name='bench', confirmed=True)\n"
        "session = c.session\n"
        "session[DEVICE_ID_SESSION_KEY] = device.persistent_id\n"
        "session.save()\n"
        "print(c.cookies['sessionid'].value)\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "crisisunit.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, text=True, capture_output=True
    )
    return f"sessionid={done.stdout.strip()}"


@contextlib.contextmanager
def gunicorn(env, workers, stderr=None):
    port = _free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "crisisunit.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--forwarded-allow-ips",
        HOST,
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stderr=stderr)
    try:
        url = f"http://{HOST}:{port}"
        for _ in range(60):
            with contextlib.suppress(OSError, urllib.error.URLError):
                if urllib.request.urlopen(f"{url}/healthz", timeout=2).status == 200:
                    break
            if server.poll() is not None:
                raise SystemExit("gunicorn stopped before answering")
            time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        yield server, url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def worker_rss_mb(server):
    """Resident memory of each gunicorn worker (the children of the master), in MB."""
    found = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    return [round(int(kb) / 1024, 1) for kb in found]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def warm_up(url, paths, cookie):
    """One request to each path, as wrk will send it: each must answer 200."""
    opener = urllib.request.build_opener(_NoRedirects)
    for path in paths:
        headers = {"X-Forwarded-Proto": "https", "Host": HOST}
        if path.startswith("/staff/") and path != "/staff/login/":
            headers["Cookie"] = cookie
        request = urllib.request.Request(url + path, headers=headers)
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} before the load")


def wrk(url, paths, *, connections, duration, cookie="", threads=2):
    """Run wrk over `paths`; return its figures as a dict."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    env = {**os.environ, "WRK_PATHS": " ".join(paths), "WRK_COOKIE": cookie, "WRK_HOST": HOST}
    done = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "mix.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    line = re.search(r"^RESULT (.*)$", done.stdout, re.M)
    if not line:
        raise SystemExit(f"no result from wrk:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line.group(1))
    seconds = result["duration_us"] / 1e6
    result["requests_per_s"] = round(result["requests"] / seconds, 1)
    result["latency_ms"] = {k: round(v / 1000, 1) for k, v in result.pop("latency_us").items()}
    return result


def problems(result):
    """What makes the run fail: connection errors and any status but 200."""
    found = [
        f"{kind} errors: {n}" for kind, n in result["errors"].items() if n and kind != "status"
    ]
    found += [f"{n} × HTTP {code}" for code, n in result["codes"].items() if code != "200"]
    return found


@contextlib.contextmanager
def prepared(database_url, *, social_worker="socialworker"):
    """The database migrated and holding the demo, the static files collected; yields
    the environment for gunicorn and a signed-in social worker's cookie."""
    with tempfile.TemporaryDirectory() as work:
        env = production_env(database_url, Path(work) / "static", redis_or_local_cache())
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo", "--password", secrets.token_urlsafe(16), capture=True)
        yield env, signed_in_cookie(env, social_worker)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument(
        "--workers", type=int, default=int(dockerfile_env().get("WEB_CONCURRENCY", 3))
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "load.json"))
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise SystemExit("Set DATABASE_URL (PostgreSQL, as in production); `make load` does.")

    with prepared(database_url) as (env, cookie), gunicorn(env, args.workers) as (server, url):
        warm_up(url, MIX, cookie)
        result = wrk(url, MIX, connections=args.connections, duration=args.duration, cookie=cookie)
        result["worker_rss_mb"] = worker_rss_mb(server)
    result.update(
        {
            "paths": MIX,
            "connections": args.connections,
            "duration_s": args.duration,
            "workers": args.workers,
            "cache": env["CACHE_URL"].split(":")[0],
            "database": database_url.split(":")[0],
            "cpus": os.cpu_count(),
        }
    )
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    latency = result["latency_ms"]
    print(
        f"{args.connections} connections, {args.duration} s, {args.workers} gunicorn workers, "
        f"{result['database']}, {result['cache']} cache, {len(MIX)} pages in turn\n"
        f"| requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |\n"
        f"|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {result['requests']:,} | {result['requests_per_s']:,} | {latency['p50']} | "
        f"{latency['p95']} | {latency['p99']} | {latency['max']} | "
        f"{sum(result['errors'].values())} |\n"
        f"worker memory after the load (MB): {result['worker_rss_mb']}"
    )
    failed = problems(result)
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
