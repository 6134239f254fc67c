import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="off")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_starts_without_a_secret_key():
    assert _manage("check", DEBUG="on").returncode == 0


def test_the_deployment_checklist_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="off",
        SECRET_KEY="x7#kq2!vZ9p$Lm4@rT8w^Yb6&Nc3*Hf5(Jd1)Gs0_Ue-Oa+Ri=Wl;Xo:Py?Qt",
        ALLOWED_HOSTS="crisis.example.kz",
        SECURE_SSL_REDIRECT="on",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_match_the_models():
    result = _manage("makemigrations", "--check", "--dry-run", DEBUG="on")

    assert result.returncode == 0, result.stdout


def test_kazakh_dates_are_day_month_year():
    with translation.override("kk"):
        shown = formats.date_format(datetime.date(2026, 3, 5), "SHORT_DATE_FORMAT")
        typed = formats.get_format("DATE_INPUT_FORMATS")[0]

    assert shown == "05.03.2026"
    assert typed == "%d.%m.%Y"


def test_kazakh_is_the_first_and_default_language(settings):
    assert settings.LANGUAGE_CODE == "kk"
    assert [code for code, _name in settings.LANGUAGES] == ["kk", "ru", "en"]


def _settings_with(**env):
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='crisisunit.settings';"
        "from django.conf import settings;"
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "on", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    import json

    return json.loads(done.stdout)


def test_postgresql_waits_are_bounded_and_kept_connections_checked():
    database = _settings_with(
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
        CONN_MAX_AGE="60",
        DB_STATEMENT_TIMEOUT="20",
    )

    assert database["OPTIONS"]["connect_timeout"] == 2  # libpq keeps it, client side
    assert database["OPTIONS"]["options"] == "-c statement_timeout=20s -c jit=off"
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_the_load_test_runs_what_the_dockerfile_runs():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import load
    finally:
        sys.path.pop(0)

    deployment = load.dockerfile_env()

    assert deployment["CONN_MAX_AGE"] == "60"
    assert int(deployment["WEB_CONCURRENCY"]) >= 2
    assert "--workers" not in (ROOT / "Dockerfile").read_text()  # gunicorn reads the ENV


def test_the_image_holds_every_app_of_the_project():
    """The image copies the project folder by folder: a new app left out of it would
    start nowhere but on a developer's machine (the team app once was)."""
    copied = set(re.findall(r"^COPY (\S+) \./", (ROOT / "Dockerfile").read_text(), re.M))
    local_apps = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }

    assert local_apps - copied == set()
