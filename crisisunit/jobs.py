"""The progress of background jobs (Django's task API, the django-tasks backport, with
its database backend: `manage.py db_worker` runs them). The worker writes a job's
progress to the cache "jobs" (Redis when the portal has it, else files every process
of this machine shares); the job's page reads it. Only numbers are kept there, never a
name. A job whose progress has not moved for STALLED_SECONDS is taken as stopped (its
worker was killed or restarted): its transaction was rolled back, so nothing of it was
saved, and its page says so and offers to start it again."""

import logging
import time
from dataclasses import dataclass

from django.core.cache import caches

logger = logging.getLogger(__name__)

# Longer than the longest step between two reports (a bulk insert of 5,000 rows with
# their history on PostgreSQL takes a few seconds), short enough not to keep a person
# waiting long for a job that will never finish.
STALLED_SECONDS = 120
# A report at most this often: the check reports every 1,000 rows.
REPORT_EVERY_SECONDS = 0.5
KEPT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Progress:
    done: int  # rows
    total: int
    percent: int
    stage: str  # what the job is doing: its own short code ("check", "write")
    at: float  # time.time() of the report

    def as_json(self) -> dict:
        return {
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "stage": self.stage,
        }


def _cache():
    return caches["jobs"]


class Reporter:
    """Reports one job's progress, at most every REPORT_EVERY_SECONDS (and always the
    first and the last). A cache that is down loses the figures, never the job."""

    def __init__(self, key: str) -> None:
        self.key, self._last = key, 0.0

    def __call__(self, *, done: int, total: int, percent: int, stage: str) -> None:
        now = time.time()
        if now - self._last < REPORT_EVERY_SECONDS and 0 < done < total:
            return
        self._last = now
        progress = Progress(done, total, max(0, min(100, percent)), stage, now)
        try:
            _cache().set(self.key, progress.__dict__, KEPT_SECONDS)
        except Exception:  # the figures are a courtesy; the job goes on
            logger.warning("The progress of %s could not be kept", self.key, exc_info=True)


def progress(key: str) -> Progress | None:
    try:
        kept = _cache().get(key)
    except Exception:  # shown as "under way", without figures
        return None
    return Progress(**kept) if isinstance(kept, dict) else None


def forget(key: str) -> None:
    try:
        _cache().delete(key)
    except Exception:  # it expires by itself
        logger.warning("The progress of %s could not be forgotten", key)


def stalled(key: str, *, since: float) -> bool:
    """Whether the job started at `since` (time.time()) has stopped reporting."""
    kept = progress(key)
    last = kept.at if kept is not None else since
    return time.time() - last > STALLED_SECONDS
