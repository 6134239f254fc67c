"""The second factor: every member of staff signs in with a password, then with the
code of an authenticator app (TOTP, django-otp) or a single-use backup code, in the
workspace and the admin alike.

Until a member of staff has enrolled, the enrolment page is the only one they reach;
until they have given a code in this session, the code page is. Wrong codes are
throttled by django-otp (1, 2, 4, 8… seconds, per device), forgiven after a quiet
while. An administrator resets a lost device, giving the reason, which is kept, and
the member of staff is signed out everywhere (team/services.py, from the team's page).

The session key changes at each step up: at the password (Django's login) and at the
code (here), so a key seen before the sign-in is worth nothing after it."""

import base64
import datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit.areas import in_staff_area
from crisisunit.forms import CodeForm
from crisisunit.models import BackupCodes
from crisisunit.sessions import end_sessions

# What a signed-in member of staff reaches before giving a code, by URL name.
OPEN_VIEWS = frozenset(
    {
        "verify_second_factor",
        "setup_second_factor",
        "logout",
        "login",
        "choose_language",
        "admin:login",
        "admin:logout",
        "team:welcome",  # a new member's link: sets the password, then enrols
    }
)


def _open_before_code(request) -> bool:
    """True for the few pages above, as the URL resolver sees the request (its
    path_info: a script prefix or an odd spelling of the path changes nothing)."""
    try:
        return resolve(request.path_info).view_name in OPEN_VIEWS
    except Resolver404:
        return False


class SecondFactorMiddleware:
    """Sits after django-otp's OTPMiddleware: a signed-in user who has not given a
    code in this session is sent to enrol (no device yet) or to give one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            in_staff_area(request)
            and user.is_authenticated
            and not user.is_verified()
            and not _open_before_code(request)
        ):
            step = "verify_second_factor" if user_has_device(user) else "setup_second_factor"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("placements:dashboard")


def _throttled(form, device) -> bool:
    """True, with the message on the form, while wrong codes in a row make this device
    wait (1, 2, 4, 8… seconds): the code is then not even tried. The count is forgiven
    after SECOND_FACTOR_FORGIVE_MINUTES without a wrong code, so a run of wrong codes
    (someone else's, with the password) cannot lock the owner out for good."""
    if device is None:
        return False
    last = device.throttling_failure_timestamp
    forgive = datetime.timedelta(minutes=settings.SECOND_FACTOR_FORGIVE_MINUTES)
    if device.throttling_failure_count and last and timezone.now() - last > forgive:
        device.throttle_reset()
    allowed, why = device.verify_is_allowed()
    if allowed or not (why and why.get("locked_until")):
        return False
    until = formats.time_format(timezone.localtime(why["locked_until"]), "H:i:s")
    form.add_error("code", _("Too many wrong codes. Try again after %(time)s.") % {"time": until})
    return True


ENROLMENT_DEVICE = "second_factor_enrolment_device"


def _enrolment_device(request) -> TOTPDevice:
    """This session's own new authenticator key: another session of the same user (an
    attacker's with the password, say) is shown another, which confirming this one
    throws away. Kept while this session enrols, so reloading the page keeps the key
    the phone has already taken."""
    kept = request.session.get(ENROLMENT_DEVICE)
    device = TOTPDevice.objects.filter(pk=kept, user=request.user, confirmed=False).first()
    if device is None:
        stale = timezone.now() - datetime.timedelta(days=1)
        TOTPDevice.objects.filter(
            user=request.user, confirmed=False, created_at__lt=stale
        ).delete()  # keys of enrolments left unfinished
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
        request.session[ENROLMENT_DEVICE] = device.pk
    return device


@login_required
def setup(request):
    """Enrol: a QR code and the key as text for the authenticator app, then its first
    code; then the backup codes, shown this once. Confirming ends every other session
    of the user and throws away every other key offered to them."""
    if user_has_device(request.user):
        return redirect(f"{reverse('verify_second_factor')}?next={_next(request)}")
    device = _enrolment_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(form, device):
        if device.verify_token(form.cleaned_data["code"]):
            codes = _confirm(request, device)
            if codes is None:  # another session enrolled first
                return redirect(f"{reverse('verify_second_factor')}?next={_next(request)}")
            return render(
                request, "staff/second_factor_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", _("That code is not right. Check the time on the phone."))
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(
            scale=4, light="#fff", title=_("QR code for the authenticator app")
        ),
        "key": setup_key(device),
        "next": _next(request),
    }
    return render(request, "staff/second_factor_setup.html", context)


def _confirm(request, device) -> list[str] | None:
    """The device becomes the user's authenticator, and the backup codes are made;
    None when another session of the user confirmed one first (the caller sends this
    one to the code page, or, with no device after all, to a new key)."""
    user = request.user
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one at a time
        offered = TOTPDevice.objects.filter(pk=device.pk, user=user, confirmed=False)
        if user_has_device(user) or not offered.update(confirmed=True):
            return None  # another session enrolled, or this key was given up as stale
        device.confirmed = True
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        backup, _new = BackupCodes.objects.get_or_create(
            user=user, defaults={"name": "backup", "confirmed": True}
        )
        codes = backup.replace_codes()
    request.session.pop(ENROLMENT_DEVICE, None)
    otp_login(request, device)
    end_sessions(user, keep=request)  # and this one goes on under a new key
    return codes


def setup_key(device) -> str:
    """The device's key as an authenticator app takes it typed in: base32, in fours."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def verify(request):
    """The code after the password: the authenticator's, or a backup code. Each kind
    is throttled on its own, so wrong app codes never block the backup codes."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('setup_second_factor')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        devices = list(devices_for_user(request.user))
        # Six digits are the app's; anything else can only be a backup code.
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else BackupCodes
        device = next((d for d in devices if isinstance(d, kind)), None)
        if not _throttled(form, device):
            if device is not None and device.verify_token(code):
                otp_login(request, device)
                request.session.cycle_key()  # the fully signed-in session gets a new key
                if kind is BackupCodes:
                    _backup_code_used(request, devices, device)
                return redirect(_next(request))
            form.add_error("code", _("That code is not right."))
    return render(
        request, "staff/second_factor_verify.html", {"form": form, "next": _next(request)}
    )


def _backup_code_used(request, devices, backup):
    totp = next((d for d in devices if isinstance(d, TOTPDevice)), None)
    if totp is not None:
        totp.throttle_reset()  # the person is known: earlier slips forgiven
    left = backup.codes.count()
    messages.warning(request, _("A backup code was used; %(left)s are left.") % {"left": left})
