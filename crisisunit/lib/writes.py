"""The mark of the one write path: case records are written inside a service.

A service (`<app>/services.py`) is a function decorated with `@service`; while it runs,
`in_service()` is true. The test suite refuses any save of a case record made while a
request or a management command is handled outside a service (tests/conftest.py).
Once a service's transaction commits, `case_written` is sent (what is kept from the
case records, such as the dashboard's lists, is kept under a version it replaces)."""

import contextvars
import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Model)
_in_service = contextvars.ContextVar("in_service", default=False)
# Sent once the transaction of a service that returned has committed (sender: the
# service function); never for one that failed or whose transaction rolled back.
case_written = Signal()


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Mark `func` as a service of the one write path."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _in_service.set(True)
        try:
            result = func(*args, **kwargs)
        finally:
            _in_service.reset(token)
        transaction.on_commit(lambda: case_written.send(sender=func))
        return result

    return wrapper


def in_service() -> bool:
    return _in_service.get()


def require(by: Any, permission: str) -> None:
    """Refuse (PermissionDenied) unless `by` holds `permission`."""
    if not by.has_perm(permission):
        raise PermissionDenied


def lock(model: Any, pk: int) -> None:
    """Lock the row `pk` of `model` until the transaction ends."""
    list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _advisory_key(parts: tuple[object, ...]) -> int:
    """A PostgreSQL advisory lock's 64-bit key for `parts`."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_key(*parts: object) -> None:
    """Serialise, until the transaction ends, everyone who locks the same `parts`: for
    what has no row yet to lock (a person about to be created). PostgreSQL takes an
    advisory lock on a 64-bit hash of the parts; SQLite needs none, its transactions
    begin IMMEDIATE (settings), so writers already go one at a time."""
    if connection.vendor != "postgresql":
        return
    key = _advisory_key(parts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def lock_key_within(seconds: float, *parts: object) -> bool:
    """lock_key, waiting at most `seconds`: False when someone else still holds it then
    (the caller says so, instead of waiting until the statement timeout cuts it off
    with a traceback)."""
    if connection.vendor != "postgresql":
        return True
    key = _advisory_key(parts)
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)


def copy_to_history(model: Any, pks: list[int], *, by: Any, reason: str) -> None:
    """The first line of change history of the rows `pks` of `model`, just inserted in
    bulk, naming `by` and `reason`: copied by the database (INSERT … SELECT), as
    django-simple-history's bulk_create_with_history would write them from Python (a
    third of an import's time went there)."""
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    columns = [
        f.column for f in history._meta.concrete_fields if f.column in own
    ]  # the tracked fields (history_id is the history's own key)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    step = max(1, (connection.features.max_query_params or 5000) - 4)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), step):
            chunk = pks[start : start + step]
            # Every name comes from the models' own meta, quoted; values are parameters.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date,"  # noqa: S608
                " history_change_reason, history_type, history_user_id)"
                f" SELECT {names}, %s, %s, '+', %s FROM {quote(model._meta.db_table)}"
                f" WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})"
            )
            cursor.execute(sql, [timezone.now(), reason, by.pk, *chunk])


def checked_save(record: M, *, by: Any, **kwargs: Any) -> M:
    """Check every rule of `record` (its clean(), its fields and constraints), then save
    it with a line of change history naming `by`."""
    record._history_user = by  # type: ignore[attr-defined]  # django-simple-history reads it
    record.full_clean()
    try:
        with transaction.atomic():
            record.save(**kwargs)
    except IntegrityError as error:  # someone else's row, committed after full_clean()
        raise ValidationError(_violated(record, error), code="conflict") from error
    return record


def _violated(record: Any, error: IntegrityError) -> str:
    """The message of the constraint the database refused, found by its name
    (PostgreSQL) or its table and columns (SQLite); or a general one."""
    text = str(error)
    for constraint in record._meta.constraints:
        columns = [
            f"{record._meta.db_table}.{record._meta.get_field(f).column}"
            for f in getattr(constraint, "fields", ())
        ]
        if constraint.name in text or (columns and ", ".join(columns) in text):
            return str(constraint.get_violation_error_message())
    return _("This record was just saved by someone else; check it.")
