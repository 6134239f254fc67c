from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from crisisunit.caching import low_vision

SHORT_NAMES = {"kk": "ҚАЗ", "ru": "РУС", "en": "ENG"}


def _in_language(path: str, current: str, code: str) -> str:
    translated = translate_url(path, code)
    if translated == path and code != current:
        # A path that does not resolve (a 404): the same path under the other prefix.
        prefix = f"/{current}/"
        return f"/{code}/{path[len(prefix) :]}" if path.startswith(prefix) else f"/{code}/"
    return translated


def public(request):
    """What the header and the page head need: the language switch and hreflang
    alternates for this very page, and the low-vision switch (the home's contacts come
    from content.context_processors).
    It reads neither the user nor the session, so public pages can be cached."""
    current = get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        url = _in_language(request.path, current, code)
        languages.append(
            {
                "code": code,
                "name": name,
                "short": SHORT_NAMES.get(code, code.upper()),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    is_low_vision = low_vision(request)
    toggle = (
        reverse("low_vision")
        + "?"
        + urlencode({"on": "0" if is_low_vision else "1", "next": request.path})
    )
    return {
        "languages": languages,
        "x_default_url": request.build_absolute_uri("/"),
        "canonical_url": request.build_absolute_uri(request.path),
        "low_vision": is_low_vision,
        "low_vision_url": toggle,
    }
