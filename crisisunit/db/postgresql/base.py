"""Django's PostgreSQL backend, with crisisunit.dbwatch's bound on the round trips it
makes outside the statements that watch sees: the check of a kept connection before a
request uses it (CONN_HEALTH_CHECKS), COMMIT and ROLLBACK. While the database is known
not to answer, a new connection is not even tried (each try would wait its
connect_timeout). The drill that found these: bench/frozen_db.py."""

from django.db import OperationalError
from django.db.backends.postgresql import base

from crisisunit import dbwatch


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if dbwatch.failing_fast():
            raise OperationalError("the database did not answer a moment ago; not connecting")
        return super().get_new_connection(conn_params)

    def is_usable(self):
        if dbwatch.failing_fast():
            return False  # closed, and the next use connects (or fails at once)
        with dbwatch.watched(self):
            return super().is_usable()

    def _commit(self):
        with dbwatch.watched(self):
            return super()._commit()  # type: ignore[misc]  # BaseDatabaseWrapper's, unstubbed

    def _rollback(self):
        with dbwatch.watched(self):
            return super()._rollback()  # type: ignore[misc]
