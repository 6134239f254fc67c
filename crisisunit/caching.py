"""Site-wide: the low-vision display mode, and whole-page caching of public pages per
language and display mode.

A cached page's key holds the version of the public data (settings.PUBLIC_PAGE_VERSION,
stats.figures.current_version), so a change refreshes every cached page at once and
nothing has to be purged.

The cache is an optimisation, never a dependency: when it fails or does not answer in
time (Redis down or frozen; its timeouts are short, see settings), the page is rendered
as if it were not cached, and the outage is logged once, not on every request."""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string
from django.utils.text import compress_string

from crisisunit.areas import maybe_public_page

TIMEOUT = 60 * 60
LOW_VISION_COOKIE = "low_vision"

logger = logging.getLogger(__name__)
_cache_failing = False


def _note_cache(error=None):
    """Log the first failure of an outage, and the recovery; stay quiet in between."""
    global _cache_failing
    if error is not None and not _cache_failing:
        logger.warning("The cache is unavailable; pages are served uncached: %r", error)
    elif error is None and _cache_failing:
        logger.warning("The cache answers again.")
    _cache_failing = error is not None


def cache_get(key):
    """The cached value, or None when there is none or the cache fails."""
    try:
        value = cache.get(key)
    except Exception as error:
        _note_cache(error)
        return None
    _note_cache()
    return value


def cache_set(key, value, timeout) -> bool:
    """Set `key`; False when the cache failed (nothing is raised)."""
    try:
        cache.set(key, value, timeout)
    except Exception as error:
        _note_cache(error)
        return False
    return True


def cache_add(key, value, timeout):
    """Set `key` only where it is not set yet."""
    try:
        cache.add(key, value, timeout)
    except Exception as error:
        _note_cache(error)


def low_vision(request) -> bool:
    return request.COOKIES.get(LOW_VISION_COOKIE) == "on"


def public_page(view):
    """Mark a public page's answers as the same for every visitor, so that
    PublicPageCacheMiddleware may keep them (with their ETag) until the public data
    changes. Public pages take no query string and show no one's data."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_response_etag(response)
            response["Last-Modified"] = http_date()  # when this version was first made
            patch_vary_headers(response, ["Cookie"])
            response.public_page = True
        return response

    return wrapper


class PublicPageCacheMiddleware:
    """Serve a public page from the cache before the rest of the stack runs.

    It sits after the security middleware (HTTPS redirect, host check, the headers every
    response carries) and before everything else: a page kept here is the whole answer
    the inner middleware gave (its Content-Security-Policy included), so a hit needs no
    session, no language negotiation, no view, and, with a shared cache, no database.
    The key holds the version of the public data (settings.PUBLIC_PAGE_VERSION, moved
    after every commit that changes what the pages show), the path (which holds the
    language) and the display mode. Only requests for the site's own host (SITE_URL)
    are kept, and the query string is left out (public pages take none), so no
    spelling of the host or the query can fill the cache.

    Each process also keeps the pages it served last (LOCAL_PAGES of them): with the
    version in the key, a page kept here is as fresh as the shared cache's; with the
    version remembered for a second (stats.figures.current_version), most hits read
    nothing outside the process."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.version = import_string(settings.PUBLIC_PAGE_VERSION)
        self.host = urlsplit(settings.SITE_URL).netloc

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not maybe_public_page(request)
            or request.get_host() != self.host
        ):
            # Another host than the site's own (a port, an alias) is served uncached:
            # keyed on the request's host, each spelling would be a new entry.
            return self.get_response(request)
        parts = [
            self.version(),
            self.host,
            request.path,
            "low-vision" if low_vision(request) else "standard",
        ]
        key = "public-page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
        kept = _local.get(key)
        if kept is None:
            kept = cache_get(key)
            if kept is None:
                response = self.get_response(request)
                if not getattr(response, "public_page", False) or response.cookies:
                    return response
                kept = _Kept(response)
                cache_set(key, kept, TIMEOUT)
            _local.put(key, kept)
        return kept.answer(request)


LOCAL_PAGES = 128


class _LocalPages:
    """The pages this process served last, by key; the least recently used one goes
    first. (A lock: the development server answers in threads.)"""

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            kept = self.pages.get(key)
            if kept is not None:
                self.pages.move_to_end(key)
            return kept

    def put(self, key, kept):
        with self.lock:
            self.pages[key] = kept
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


_local = _LocalPages(LOCAL_PAGES)


class Memo:
    """One value this process remembers for `seconds` (a value read from the shared
    cache on every request otherwise)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.value, self.until = None, 0.0
        _memos.append(self)

    def get(self):
        return self.value if time.monotonic() < self.until else None

    def put(self, value):
        self.value, self.until = value, time.monotonic() + self.seconds

    def clear(self):
        self.value, self.until = None, 0.0


_memos: list[Any] = []


def forget_local_pages():
    """Empty this process's own copies and memos (tests and the benchmark's cold pages,
    which empty the shared cache too)."""
    _local.clear()
    for memo in _memos:
        memo.clear()


class _Kept:
    """A public answer as kept: its status, headers and body, and the body compressed
    once for the browsers that accept gzip. (Public pages carry no secret, so
    compressing them gives nothing away.) Plain values, so that unpacking one from the
    shared cache is cheap; each answer is a new response built from them."""

    def __init__(self, response):
        self.status = response.status_code
        self.headers = list(response.items())
        self.content = response.content
        self.compressed = None
        if response.get("Content-Type", "").startswith("text/html"):
            self.compressed = compress_string(self.content)

    def answer(self, request):
        """The answer to this request: 304 to a browser that holds this version, the
        compressed body to one that accepts it."""
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        etag, modified = response.get("ETag"), response.get("Last-Modified")
        if etag or modified:
            not_modified = get_conditional_response(
                request,
                etag=etag,
                last_modified=parse_http_date_safe(modified) if modified else None,
                response=response,
            )
            if not_modified is not response:
                return not_modified
        patch_vary_headers(response, ["Accept-Encoding"])
        accepts = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if self.compressed is not None and "gzip" in accepts.lower():
            response.content = self.compressed
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(self.compressed))
            if etag and not etag.startswith("W/"):
                response["ETag"] = "W/" + etag  # the body differs byte for byte
        return response
