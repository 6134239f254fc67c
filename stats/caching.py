"""Whole-page caching for the public pages, per language and display mode.

The key holds stats.figures.version(), so a stored figure or any change to a placement
refreshes every cached page at once; nothing has to be purged."""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from stats import figures

TIMEOUT = 60 * 60
LOW_VISION_COOKIE = "low_vision"


def low_vision(request) -> bool:
    return request.COOKIES.get(LOW_VISION_COOKIE) == "on"


def cached_public_page(view):
    """Serve a GET from the cache when nothing it shows has changed. The query string is
    left out of the key (public pages take none), so it cannot fill the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        parts = [
            figures.version(),
            get_language(),
            request.get_host(),
            request.path,
            "low-vision" if low_vision(request) else "standard",
        ]
        key = "public-page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response, TIMEOUT)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
