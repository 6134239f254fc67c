"""One-time tokens on create forms, so that the same form sent twice (a double click, a
retry after a timeout, the back button) creates its record once.

Each create form carries a hidden `submission` token, new on every blank form and kept
when the form comes back with errors. The first request that sends it claims the token
in the same transaction as the record it creates; one sent again meanwhile waits on the
claim's unique index, then finds it taken and lands where the first one did."""

import uuid
from contextlib import contextmanager

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from crisisunit.models import Submission

FIELD = "submission"


def token(request) -> str:
    """The token the form sent (kept when it is shown again), or a new one."""
    sent = request.POST.get(FIELD, "") if request.method == "POST" else ""
    try:
        return str(uuid.UUID(sent))
    except ValueError:
        return str(uuid.uuid4())


class Repeated(Exception):
    def __init__(self, landed_on):
        super().__init__(landed_on)
        self.landed_on = landed_on


class Claim:
    def __init__(self, submission):
        self.submission = submission

    def lands_on(self, url):
        """Where the first request went after saving; a repeat goes there too."""
        if self.submission is not None:
            self.submission.landed_on = url
            self.submission.save(update_fields=["landed_on"])


@contextmanager
def once(request):
    """Run the block (which creates the record) unless this form's token was already
    used: then raise Repeated with where the first request landed. Everything the
    block writes, the claim included, is one transaction: a refusal frees the token."""
    sent = request.POST.get(FIELD, "")
    try:
        key = uuid.UUID(sent)
    except ValueError:  # a form from before tokens, or none: nothing to compare
        with transaction.atomic():
            yield Claim(None)
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = Submission.objects.create(token=key, user=request.user)
        except IntegrityError:
            raise Repeated(_landed_on(key, request)) from None
        yield Claim(submission)


def already_sent(request, fallback):
    """The response for a form whose token was already used (a repeat arriving after
    the first request finished), or None: checked before the form is validated, since
    what the first request created can change what the form would say."""
    try:
        key = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
    if not Submission.objects.filter(token=key).exists():
        return None
    return repeated_response(Repeated(_landed_on(key, request)), request, fallback)


def _landed_on(key, request) -> str:
    first = Submission.objects.filter(token=key, user=request.user).first()
    return first.landed_on if first and first.landed_on else ""


def repeated_response(repeated: Repeated, request, fallback):
    messages.info(request, _("This form was already sent; it is saved once."))
    return redirect(repeated.landed_on or fallback)
