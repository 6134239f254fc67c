"""What is kept of the case records in the shared cache: the dashboard's lists and the
indicators (settings.CASE_VIEWS_IN_CACHE, on with Redis). Each is kept under the
version of the case records, which every write through a service replaces once it
commits (crisisunit.lib.writes.case_written, connected in PlacementsConfig), so that a
change shows on the next view; and for a bounded time, so that what changes outside
the services (a staff member's name or permissions) shows too."""

import hashlib
import secrets

from django.conf import settings

from crisisunit.caching import cache_add, cache_get, cache_set

VERSION_KEY = "case-data-version"


def kept(name, parts, seconds, make):
    """make(), kept under `name`, `parts` and the case records' version for at most
    `seconds`; made afresh when nothing is kept or the cache fails."""
    version = case_version() if settings.CASE_VIEWS_IN_CACHE else None
    if version is None:
        return make()
    digest = hashlib.sha256("|".join(map(str, [version, *parts])).encode()).hexdigest()
    key = f"{name}:{digest}"
    value = cache_get(key)
    if value is None:
        value = make()
        cache_set(key, value, seconds)
    return value


def case_version():
    """The version of the case records in the shared cache (a new one is set where
    there is none), or None when the cache fails."""
    version = cache_get(VERSION_KEY)
    if version is None:
        cache_add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache_get(VERSION_KEY)
    return version


def bump_case_version(**kwargs):
    """Replace the version: connected to every committed write of a service, and to a
    change of a staff member (whose name the dashboard shows)."""
    cache_set(VERSION_KEY, secrets.token_hex(8), None)
