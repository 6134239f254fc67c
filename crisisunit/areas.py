"""Which area of the site a request is for, decided the way the URL resolver decides
it: on `request.path_info`, the path below the script prefix. `request.path` holds the
prefix too (`SCRIPT_NAME`, which gunicorn takes from a trusted proxy's header and a
deployment under a sub-path sets), so a guard that read it could be walked around by
a request for `/x/staff/…` with the prefix `/x`: the resolver would still open the
staff page, the guard would not see one. Every guard (second factor, no-store, the
public cache, allowed methods, the session's absolute end) asks here."""

STAFF_PREFIXES = ("/staff/", "/admin/")
# Never served from the public page cache.
NOT_PUBLIC_PREFIXES = (*STAFF_PREFIXES, "/static/", "/i18n/", "/accessibility/")


def in_staff_area(request) -> bool:
    """The workspace or the admin: case data, a login and the second factor."""
    return request.path_info.startswith(STAFF_PREFIXES)


def maybe_public_page(request) -> bool:
    """A path the public page cache may keep (a public page or download)."""
    return not request.path_info.startswith(NOT_PUBLIC_PREFIXES)
