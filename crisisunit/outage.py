"""When the database cannot be reached (down, refusing, or the connection lost), a
request that needs it gets one clear page — 503, translated, with `Retry-After` —
instead of a 500, and the outage is logged once when it starts and once when a
connection is made again, instead of a traceback per request (reliability finding:
a database down for 15 s gave 1,158 × 500 and 2,358 tracebacks).

What counts as an outage: Django's InterfaceError, or an OperationalError that the
database server did not send (no SQLSTATE: the connection failed or broke). An error
the server reports (a statement timeout, a deadlock) is not an outage and stays a 500
with its traceback. Public pages kept whole by crisisunit.caching are served without
the database at all, and /healthz answers on its own (crisisunit.middleware)."""

import logging
import sys
import threading

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_down = False


def is_outage(error: BaseException | None) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        return getattr(error.__cause__, "sqlstate", None) is None
    return False


def note_down(error: BaseException) -> None:
    global _down
    with _lock:
        if not _down:
            logger.warning(
                "The database cannot be reached; pages that need it answer 503: %r", error
            )
        _down = True


def note_up(**kwargs) -> None:
    """connection_created: a connection was made, so the outage (if any) is over."""
    global _down
    if _down:
        with _lock:
            if _down:
                logger.warning("The database answers again.")
            _down = False


class QuietOutages(logging.Filter):
    """On django.request: a request that failed for an outage is noted (once an
    outage), not logged with its traceback; a 503 answered on purpose (/healthz while
    the database does not answer) is not logged either, the outage being noted once
    (the drill, bench/frozen_db.py, counted 2,013 lines of "Service Unavailable:
    /healthz" in 10 s)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and is_outage(error):
            note_down(error)
            return False
        return getattr(record, "status_code", None) != 503


def server_error(request):
    """handler500: the outage page for an outage, Django's 500 page for the rest. The
    page is rendered without the request's context (nothing that needs the database)."""
    error = sys.exc_info()[1]
    if not is_outage(error):
        return defaults.server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
