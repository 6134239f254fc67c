"""A bound, kept by the client, on every statement sent to PostgreSQL.

The statement timeout is the server's: a frozen server (stopped, or a network that
drops everything) enforces nothing, and each request waited as long as it was frozen
(reliability finding 2: no request served for 19 s). Here every statement is watched
by one thread of the process. One that has run SUSPECT_AFTER seconds makes the
watcher ask whether the database answers at all (`SELECT 1` on a new connection of its
own, within QUESTION_TIMEOUT): a slow statement on a database that
answers is left to run; on one that does not, the socket of every statement still
waiting is shut, so each fails at once (an outage: crisisunit/outage.py answers 503),
and for DB_FAIL_FAST_SECONDS after that a new statement fails without being sent, so
the workers' threads stay free for the pages that need no database. Connecting is
bounded by libpq's own `connect_timeout` (DB_CONNECT_TIMEOUT), and not tried while
failing fast; the check of a kept connection, COMMIT and ROLLBACK are watched too, by
the project's PostgreSQL backend (crisisunit/db/postgresql). Not watched: statements of
server-side cursors after their first rows."""

import contextlib
import os
import socket
import threading
import time

from django.conf import settings
from django.db import OperationalError

SUSPECT_AFTER = 0.5  # seconds a statement runs before the database is asked
PROBE_EVERY = 1.0  # seconds between two questions while statements run long
# Seconds the database has to answer that question (a connection and SELECT 1; tens of
# milliseconds when it is up): with SUSPECT_AFTER, the longest a statement to a frozen
# database holds its thread, so it is kept short (bench/frozen_db.py).
QUESTION_TIMEOUT = 1.0

_lock = threading.Lock()
_running: dict[int, tuple[float, object]] = {}  # thread -> (when it began, its DatabaseWrapper)
_watcher: threading.Thread | None = None
_unanswered_at = float("-inf")  # when the database last did not answer
_answered_at = float("-inf")  # when it last did, asked because a statement ran long


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created: watch the statements of each PostgreSQL connection."""
    postgres = connection is not None and connection.vendor == "postgresql"
    if postgres and watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch)


def unanswered() -> None:
    """The database did not answer someone else's question (/healthz): fail fast now."""
    global _unanswered_at
    _unanswered_at = time.monotonic()


def failing_fast() -> bool:
    """Whether the database did not answer less than DB_FAIL_FAST_SECONDS ago."""
    return time.monotonic() - _unanswered_at < settings.DB_FAIL_FAST_SECONDS


@contextlib.contextmanager
def watched(db):
    """Watch the round trip to `db` made inside (the backend's own: crisisunit.db)."""
    if threading.current_thread().name == "healthz":  # the question itself: never cut short
        yield
        return
    key = threading.get_ident()
    with _lock:
        _running[key] = (time.monotonic(), db)
        _start_watcher()
    try:
        yield
    finally:
        with _lock:
            _running.pop(key, None)


def watch(execute, sql, params, many, context):
    if threading.current_thread().name != "healthz" and failing_fast():
        raise OperationalError("the database did not answer a moment ago; not sent")
    with watched(context["connection"]):
        return execute(sql, params, many, context)


def _start_watcher() -> None:
    global _watcher
    if _watcher is None or not _watcher.is_alive():
        _watcher = threading.Thread(target=_watch_loop, daemon=True, name="dbwatch")
        _watcher.start()


def _watch_loop() -> None:
    while True:
        time.sleep(0.1)
        with contextlib.suppress(Exception):  # the watcher never dies of one round
            _round()


def _round() -> None:
    global _unanswered_at, _answered_at
    now = time.monotonic()
    with _lock:
        suspects = [(k, db) for k, (began, db) in _running.items() if now - began > SUSPECT_AFTER]
    if not suspects or now - _answered_at < PROBE_EVERY:
        return
    if _answers(suspects[0][1], timeout=QUESTION_TIMEOUT):
        _answered_at = time.monotonic()
        return
    _unanswered_at = time.monotonic()
    with _lock:
        still = [db for key, db in suspects if key in _running]
    for db in still:
        shut(db)


def _answers(db, *, timeout: float) -> bool:
    """Whether the server `db` talks to answers `SELECT 1` on a new connection within
    `timeout` seconds (the connection gives up on its own after DB_CONNECT_TIMEOUT)."""
    answered = threading.Event()

    def ask():
        with contextlib.suppress(Exception):
            new = db.get_new_connection(db.get_connection_params())
            try:
                new.execute("SELECT 1")
                answered.set()
            finally:
                new.close()

    threading.Thread(target=ask, daemon=True, name="dbwatch-question").start()
    return answered.wait(timeout)


def shut(db) -> None:
    """Shut the socket under `db`'s connection: the thread waiting on it gets an error
    at once (the descriptor itself stays the driver's, closed by it)."""
    with contextlib.suppress(Exception):
        fd = db.connection.pgconn.socket
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
