import datetime
import os
import subprocess
import sys
from pathlib import Path

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
