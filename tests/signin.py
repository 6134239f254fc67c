"""Signing in as a person does: the password, then the code of the authenticator app,
computed here from the device's key as the app computes it."""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


def code_from_key(key: str, ahead: int = 0) -> str:
    """What an authenticator app shows for this base32 key now, or `ahead` periods of
    30 s later (the portal takes the next period's code too, for a slow clock: a test
    that used this period's code already gives the next one)."""
    raw = "".join(key.split())
    return f"{totp(base64.b32decode(raw + '=' * (-len(raw) % 8)), t0=-30 * ahead):06d}"


def code_for(user) -> str:
    """The current code of the user's authenticator, enrolling one if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    device.last_t = -1  # as if this code had not been used yet
    device.save(update_fields=["last_t"])
    return code_from_key(base64.b32encode(device.bin_key).decode())


def sign_in(client, user, login_url="/staff/login/"):
    """Password and code through the sign-in pages; returns the password step's answer."""
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response
    assert client.post("/staff/two-factor/", {"code": code_for(user)}).status_code == 302
    return response
