from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required
from django.views.decorators.cache import never_cache


def staff_view(*perms):
    """A staff page: anonymous users go to the login page, a signed-in user without
    every one of `perms` gets 403, and no response is kept by any cache."""

    def decorator(view):
        guarded = login_required(permission_required(perms, raise_exception=True)(view))
        return wraps(view)(never_cache(guarded))

    return decorator
