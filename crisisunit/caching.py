"""Site-wide: the low-vision display mode, and whole-page caching of public pages per
language and display mode.

A cached page's key holds a version that the app owning the page derives from its
data (stats.figures.version for the figures), so a change refreshes every cached page
at once and nothing has to be purged.

The cache is an optimisation, never a dependency: when it fails or does not answer in
time (Redis down or frozen; its timeouts are short, see settings), the page is rendered
as if it were not cached, and the outage is logged once, not on every request."""

import hashlib
import logging
from functools import wraps

from django.core.cache import cache
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import get_language

TIMEOUT = 60 * 60
LOW_VISION_COOKIE = "low_vision"

logger = logging.getLogger(__name__)
_cache_failing = False


def _note_cache(error=None):
    """Log the first failure of an outage, and the recovery; stay quiet in between."""
    global _cache_failing  # noqa: PLW0603 (one flag per process, by design)
    if error is not None and not _cache_failing:
        logger.warning("The cache is unavailable; pages are served uncached: %r", error)
    elif error is None and _cache_failing:
        logger.warning("The cache answers again.")
    _cache_failing = error is not None


def cache_get(key):
    """The cached value, or None when there is none or the cache fails."""
    try:
        value = cache.get(key)
    except Exception as error:  # noqa: BLE001 (any backend's error or timeout)
        _note_cache(error)
        return None
    _note_cache()
    return value


def cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception as error:  # noqa: BLE001
        _note_cache(error)


def low_vision(request) -> bool:
    return request.COOKIES.get(LOW_VISION_COOKIE) == "on"


def public_page_cache(version):
    """A decorator for public pages whose content changes when `version()` does."""

    def cached_public_page(view):
        """Serve a GET from the cache when nothing it shows has changed. The query
        string is left out of the key (public pages take none), so it cannot fill the
        cache."""

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            parts = [
                version(),
                get_language(),
                request.get_host(),
                request.path,
                "low-vision" if low_vision(request) else "standard",
            ]
            key = "public-page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
            response = cache_get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    set_response_etag(response)
                    cache_set(key, response, TIMEOUT)
            patch_vary_headers(response, ["Cookie"])
            return _conditional_and_compressed(request, response)

        return wrapper

    return cached_public_page


def _conditional_and_compressed(request, response):
    """A browser that already holds this version gets 304 Not Modified; HTML goes out
    compressed to a browser that accepts gzip. (Public pages carry no secret, so
    compressing them gives nothing away.)"""
    if response.status_code != 200:
        return response
    if etag := response.get("ETag"):
        not_modified = get_conditional_response(request, etag=etag, response=response)
        if not_modified is not response:
            return not_modified
    if response.get("Content-Type", "").startswith("text/html"):
        response = GZipMiddleware(lambda _request: response).process_response(request, response)
    return response
