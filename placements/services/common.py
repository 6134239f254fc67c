"""What the services share: refreshing the caller's objects, and the fields a
correction may change."""

from collections.abc import Iterable

from django.db.models import Model


def refresh(*records: Model) -> None:
    """The caller's objects show what the service saved."""
    for record in records:
        record.refresh_from_db()


def only(changes: Iterable[str], allowed: set[str]) -> None:
    if unknown := set(changes) - allowed:
        raise TypeError(f"not changed by a correction: {', '.join(sorted(unknown))}")
