"""Sign-in throttling beyond one (username, address) pair.

django-axes locks a username from one address after LOGIN_FAILURE_LIMIT failures. This
handler adds two wider locks over the same window (LOGIN_LOCKOUT_MINUTES):
- an address with LOGIN_ADDRESS_FAILURE_LIMIT failures across any usernames (password
  spraying: a few guesses at many names from one place);
- a username with LOGIN_USERNAME_FAILURE_LIMIT failures across any addresses (a guess
  spread over many addresses).
A request whose address cannot be read is refused too, rather than sharing one bucket.
Administrators unlock by deleting the access attempts in the admin (Sign-in records)."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from crisisunit.lib.net import client_ip

PAIR, ADDRESS, USERNAME, UNKNOWN_ADDRESS = "pair", "address", "username", "unknown address"


def wider_lock(request, credentials=None) -> str | None:
    """Which wider lock holds this sign-in, or None."""
    address = client_ip(request)
    if address is None:
        return UNKNOWN_ADDRESS
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    if _failures(recent.filter(ip_address=address)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return ADDRESS
    username = get_client_username(request, credentials)
    if username and _failures(recent.filter(username=username)) >= (
        settings.LOGIN_USERNAME_FAILURE_LIMIT
    ):
        return USERNAME
    return None


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler, whose failure count reaches the limit as soon as a
    wider lock holds: axes then answers with its lockout (429) as for a locked pair."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if wider_lock(request, credentials) is not None:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
