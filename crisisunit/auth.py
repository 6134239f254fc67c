from functools import wraps

from django.contrib.auth.decorators import login_required, permission_required
from django.views.decorators.cache import never_cache

from crisisunit.audit import already_logged, record_read_of


def staff_view(*perms, reads=None, key="pk"):
    """A staff page: anonymous users go to the login page, a signed-in user without
    every one of `perms` gets 403, and no response is kept by any cache.

    `reads`: the model of the case record the page shows, whose number is the URL's
    `key`: each answer that shows it (200, whatever the method: a form shown again
    with its errors shows the record too) is one line in the read log, unless the view
    logged a list itself. tests/crisisunit/test_read_log.py walks every staff URL and
    fails for a page that shows case data and logs nothing."""

    def decorator(view):
        logged = _logs_read(view, reads, key) if reads is not None else view
        guarded = login_required(permission_required(perms, raise_exception=True)(logged))
        return wraps(view)(never_cache(guarded))

    return decorator


def _logs_read(view, model, key):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not already_logged(request):
            record_read_of(request, model, kwargs[key])
        return response

    return wrapper
