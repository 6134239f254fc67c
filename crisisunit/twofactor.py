"""The second factor: every member of staff signs in with a password, then with the
code of an authenticator app (TOTP, django-otp) or a single-use backup code, in the
workspace and the admin alike.

Until a member of staff has enrolled, the enrolment page is the only one they reach;
until they have given a code in this session, the code page is. Wrong codes are
throttled by django-otp (1, 2, 4, 8… seconds, per device). An administrator resets a
lost device, giving the reason, which is kept."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisisunit.auth import staff_view
from crisisunit.forms import CodeForm, ResetSecondFactorForm
from crisisunit.models import BackupCodes, SecondFactorReset

PROTECTED = ("/staff/", "/admin/")


def _open_paths():
    """What a signed-in member of staff reaches before giving a code."""
    return {
        reverse("verify_second_factor"),
        reverse("setup_second_factor"),
        reverse("logout"),
        reverse("login"),
        reverse("choose_language"),
        reverse("admin:login"),
        reverse("admin:logout"),
    }


class SecondFactorMiddleware:
    """Sits after django-otp's OTPMiddleware: a signed-in user who has not given a
    code in this session is sent to enrol (no device yet) or to give one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(PROTECTED)
            and user.is_authenticated
            and not user.is_verified()
            and request.path not in _open_paths()
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
    wait (1, 2, 4, 8… seconds): the code is then not even tried."""
    allowed, why = device.verify_is_allowed() if device else (True, None)
    if allowed or not (why and why.get("locked_until")):
        return False
    until = formats.time_format(timezone.localtime(why["locked_until"]), "H:i:s")
    form.add_error("code", _("Too many wrong codes. Try again after %(time)s.") % {"time": until})
    return True


@login_required
def setup(request):
    """Enrol: a QR code and the key as text for the authenticator app, then its first
    code; then the backup codes, shown this once."""
    if user_has_device(request.user):
        return redirect(f"{reverse('verify_second_factor')}?next={_next(request)}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _throttled(form, device):
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                backup, _new = BackupCodes.objects.get_or_create(
                    user=request.user, defaults={"name": "backup", "confirmed": True}
                )
                codes = backup.replace_codes()
            otp_login(request, device)
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


def setup_key(device) -> str:
    """The device's key as an authenticator app takes it typed in: base32, in fours."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
def verify(request):
    """The code after the password: the authenticator's, or a backup code."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('setup_second_factor')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    devices = list(devices_for_user(request.user))
    totp = next((d for d in devices if isinstance(d, TOTPDevice)), None)
    if request.method == "POST" and form.is_valid() and not _throttled(form, totp):
        code = form.cleaned_data["code"]
        # Six digits are the app's; anything else can only be a backup code.
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else BackupCodes
        device = next((d for d in devices if isinstance(d, kind)), None)
        if device is not None and device.verify_token(code):
            otp_login(request, device)
            if kind is BackupCodes:
                totp and totp.throttle_reset()  # the person is known: earlier slips forgiven
                left = device.codes.count()
                messages.warning(
                    request, _("A backup code was used; %(left)s are left.") % {"left": left}
                )
            return redirect(_next(request))
        if kind is BackupCodes and totp:
            totp.throttle_increment()  # a wrong backup code slows the next try too
        form.add_error("code", _("That code is not right."))
    return render(
        request, "staff/second_factor_verify.html", {"form": form, "next": _next(request)}
    )


@staff_view("crisisunit.reset_second_factor")
def reset(request):
    """An administrator takes away a member of staff's authenticator and backup codes
    (a lost phone), with the reason; they enrol again at their next sign-in."""
    form = ResetSecondFactorForm(request.POST or None, initial={"user": request.GET.get("user")})
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["user"]
        with transaction.atomic():
            for device in devices_for_user(member, confirmed=None):
                device.delete()  # a credential, not a case record
            SecondFactorReset.objects.create(
                user=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        messages.success(
            request,
            _("%(user)s enrols a new second factor at the next sign-in.") % {"user": member},
        )
        return redirect("reset_second_factor")
    resets = SecondFactorReset.objects.select_related("user", "by")[:20]
    return render(request, "staff/second_factor_reset.html", {"form": form, "resets": resets})
