"""How staff sessions end, and why a session that has ended never comes back.

Sessions live in the database alone (Django's `db` backend): a signed-out, expired or
rotated session is a row that is gone or past its expiry, and no copy elsewhere can
answer for it. (Until 2026-12 they were read from Redis first; a sign-out while Redis
was frozen deleted the row but not the cached copy, which opened the workspace again
when Redis came back. Reading the row costs one primary-key query a request: the
benchmark measured the dashboard at 7.3 / 8.6 ms p50 / p95 with database sessions
against 7.1 / 8.8 ms with cached ones.)

Every session of a user ends at once when the user's `session_generation` moves: it is
part of the hash Django keeps in each session and checks against the user on every
request (`User._get_session_auth_hash`)."""

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db.models import F


def end_sessions(user, *, keep=None) -> None:
    """End every session `user` has, except that of the request `keep` (the one that
    asked, which carries on under a new session key)."""
    get_user_model().objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1
    )
    user.refresh_from_db(fields=["session_generation"])
    if keep is not None:
        update_session_auth_hash(keep, user)  # a new key, with the new hash
