"""Staff sessions read from the shared cache and written through to the database
(Django's cached_db), when the cache is Redis: a request then reads its session without
a database query. The cache stays an optimisation: Django's own backend already falls
back to the database when a read or a write of the cache fails; this one does the same
for the steps it does not guard (keeping a session read from the database, checking a
new key is free, deleting), so that signing in and out keep working while Redis is
down."""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 (the database answers instead)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:  # noqa: BLE001
            logger.warning("The session cache is unavailable; the database answers.")
        return data

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:  # noqa: BLE001 (the database answers instead)
            logger.warning("The session cache is unavailable; the database answers.")
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super(cached_db.SessionStore, self).delete(session_key)
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except Exception:  # noqa: BLE001
            logger.warning(
                "The session cache is unavailable; the session was deleted from the database."
            )
