import contextlib
import copy
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError, connections
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

from crisisunit import dbwatch, outage
from crisisunit.areas import in_staff_area

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer `/healthz` before anything else: 200 when the database answers, 503 when not.

    It sits first in MIDDLEWARE so that a container or load-balancer probe, which
    calls by IP address over plain HTTP, is neither refused by ALLOWED_HOSTS nor
    redirected to HTTPS. It reveals nothing but "ok" or "unavailable".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if database_answers(timeout=settings.HEALTHZ_TIMEOUT):
            return _plain("ok\n", status=200)
        outage.note_down(OperationalError("no answer to /healthz's SELECT 1"))
        return _plain("unavailable\n", status=503)


class _Probe:
    """One `SELECT 1` under way; every request that asks meanwhile waits for it."""

    def __init__(self):
        self.done = threading.Event()
        self.answered = False
        self.began = time.monotonic()
        self.db: Any = None  # the connection it asks on


_probe_lock = threading.Lock()
_running: _Probe | None = None


def database_answers(*, timeout: float, alias: str = "default") -> bool:
    """True when the database answers `SELECT 1` within `timeout` seconds.

    The query runs in a thread of its own on a connection of its own, so a frozen
    database (one that accepts connections and never answers) costs the probe
    `timeout`, not the worker. Requests that ask while a probe is under way wait for
    that one instead of starting another: a frozen database never piles up threads."""
    global _running
    if dbwatch.failing_fast():  # it did not answer a moment ago: no need to ask
        return False
    with _probe_lock:
        probe = _running
        if probe is None:
            probe = _running = _Probe()
            threading.Thread(target=_run, args=(probe, alias), daemon=True, name="healthz").start()
    # A probe still waiting after `timeout` has its answer already (found by the drill,
    # bench/frozen_db.py: each request waited the whole `timeout` again behind it).
    left = timeout - (time.monotonic() - probe.began)
    if left > 0 and probe.done.wait(left):
        return probe.answered
    if probe.db is not None:  # its socket shut: the probe ends, the next one connects anew
        dbwatch.shut(probe.db)
    dbwatch.unanswered()  # the requests of this process fail fast too, rather than each wait
    return False


_probe_connections: dict[str, Any] = {}  # alias -> the probes' own connection, kept between probes


def _probe_connection(alias):
    """The probes' connection: opened once and kept (one probe runs at a time), closed
    and opened again after a failure. Never the one a request is using."""
    db = _probe_connections.get(alias)
    if db is None:
        db = connections.create_connection(alias)
        db.settings_dict = copy.deepcopy(db.settings_dict)
        if db.vendor == "postgresql":  # libpq's own bound on the connecting
            db.settings_dict.setdefault("OPTIONS", {})["connect_timeout"] = 2
        db.inc_thread_sharing()  # each probe runs in a thread of its own
        _probe_connections[alias] = db
    return db


def _ask(probe: _Probe, alias: str) -> None:
    db = probe.db = _probe_connection(alias)
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    probe.answered = True


def _forget_probe_connection(alias: str) -> None:
    stale = _probe_connections.pop(alias, None)
    if stale is not None:
        with contextlib.suppress(Exception):
            stale.close()


def _run(probe: _Probe, alias: str):
    global _running
    try:
        try:
            _ask(probe, alias)
        except Exception:
            # The kept connection may be one a frozen spell broke (its socket shut):
            # asked once more on a new one, the database that answers again says so
            # at once, not one probe later (the drill: 503s for 10 s after a thaw).
            _forget_probe_connection(alias)
            _ask(probe, alias)
    except Exception:
        _forget_probe_connection(alias)
    finally:
        with _probe_lock:
            _running = None
        probe.done.set()


def _plain(text, *, status):
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


class SecurityHeadersMiddleware:
    """The security headers on every answer the portal gives, whoever made it: a page,
    a refusal of the middleware around the views (a 400 for a foreign host or a NUL, a
    405), an error page (403, 404, 500) or /healthz. Django's SecurityMiddleware and
    django-csp set them on what passes through them; this, the outermost, adds what is
    missing on the rest (a refusal made before them has no Content-Security-Policy;
    it gets one that allows nothing). Answers of the proxy or of gunicorn itself (a
    431 for oversized headers) never reach Django: the README's deployment section
    says what the proxy adds to them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in _every_answers_headers().items():
            response.setdefault(name, value)
        if settings.SECURE_HSTS_SECONDS and _secure(request):
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
            response.setdefault("Strict-Transport-Security", hsts)
        return response


def _every_answers_headers():
    return {
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


def _secure(request) -> bool:
    try:
        return request.is_secure()
    except Exception:
        return False


class StaffNoStoreMiddleware:
    """Every staff and admin response, whatever view or error produced it (a 403, a
    lockout page, a redirect), is marked `no-store`, so that no browser or proxy keeps
    a copy of a page about a child."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = in_staff_area(request)
        if staff and request.method not in STAFF_METHODS:
            # OPTIONS or TRACE would open a record without a line in the read log.
            response: HttpResponse = HttpResponseNotAllowed(STAFF_METHODS)
        elif "\x00" in request.path_info:
            response = HttpResponseBadRequest("A NUL character is not allowed.\n")
        else:
            _drop_nul_characters(request)
            response = self.get_response(request)
        if staff:
            add_never_cache_headers(response)
        return response


def _drop_nul_characters(request):
    """A NUL in the query string (no keyboard types one) is dropped: PostgreSQL refuses
    it in any text, so a search or a filter holding one would fail with a 500."""
    if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
        "QUERY_STRING", ""
    ):
        cleaned = request.GET.copy()
        for key, values in request.GET.lists():
            cleaned.setlist(key, [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        request.GET = cleaned


STAFF_METHODS = ["GET", "HEAD", "POST"]
# No page of the portal uses any of these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def note_sign_in(sender, request, user, **kwargs):
    """Connected to user_logged_in (CrisisunitConfig): the absolute lifetime counts
    from here."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionLifetimeMiddleware.KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """A staff session ends SESSION_ABSOLUTE_HOURS after the sign-in, however active
    (the idle limit alone would let a session that is used every hour live for ever).
    And it is renewed (saved, which moves its idle end) once every SESSION_RENEW_SECONDS
    of use rather than by every request, which would write it each time."""

    KEY = "signed_in_at"
    RENEWED = "renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                if in_staff_area(request):
                    return redirect_to_login(request.get_full_path())
            # Django's clock, as the session's own expiry.
            moment = int(timezone.now().timestamp())
            if moment - request.session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[self.RENEWED] = moment
        return self.get_response(request)


class StaffLanguageMiddleware:
    """A signed-in member of staff sees the workspace and the admin in their own
    language, whatever the browser asks for. Public pages keep the language of their
    address (/kk/, /ru/, /en/). Sits after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(getattr(request, "user", None), "language", "")
        if language and not translation.get_language_from_path(request.path_info):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
