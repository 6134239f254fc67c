import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from placements.models import Placement
from tests.signin import code_from_key

pytestmark = pytest.mark.django_db

PASSWORD = "a-demo-password-for-tests"


def test_the_demo_refuses_to_run_with_debug_off_and_no_password():
    with pytest.raises(CommandError, match="--password"):
        call_command("demo")
    assert not Placement.objects.exists()


def test_the_demo_prints_the_logins(capsys):
    call_command("demo", password=PASSWORD)

    out = capsys.readouterr().out
    for username in ("admin", "socialworker", "doctor"):
        assert f"{username} / {PASSWORD}" in out


def test_a_newcomer_signs_in_with_what_the_demo_prints(capsys):
    """`make run` must let a newcomer in: the password, then a code from the printed
    authenticator key, or one of the printed single-use codes."""
    call_command("demo", password=PASSWORD)
    out = capsys.readouterr().out
    found = re.search(
        r"socialworker / \S+\n\s+authenticator key: ([A-Z2-7 ]+)\n\s+single-use codes: (\w+)", out
    )
    key, single_use = found.group(1), found.group(2)
    for code in (code_from_key(key), single_use):
        TOTPDevice.objects.filter(user__username="socialworker").update(last_t=-1)
        browser = Client()
        browser.post("/staff/login/", {"username": "socialworker", "password": PASSWORD})
        assert browser.post("/staff/two-factor/", {"code": code}).status_code == 302
        assert browser.get("/staff/").status_code == 200


# Issue 37: the demo's people read like a real register; its output is quiet.


def test_the_demo_says_each_step_then_the_logins_then_where_to_go(capsys, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)

    call_command("demo", password=PASSWORD)

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Demo users:")
    assert any(line.startswith("Three years of history in bulk:") for line in lines)
    assert any(line.startswith("Cases registered as staff would:") for line in lines)
    sent = len(list(tmp_path.iterdir()))  # (none here: notices leave on commit)
    assert f"Emails the demo sent: {sent}, in {tmp_path}/." in lines
    assert not [line for line in lines if "MIME-Version" in line or "Subject:" in line]
    assert lines[-2].strip().startswith("single-use codes:")
    assert (
        lines[-1] == f"Open {settings.SITE_URL}/ (the staff workspace: {settings.SITE_URL}/staff/)."
    )
