"""The read-access log: who opened which case record, and who exported personal data."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType

from crisisunit.lib.net import client_ip
from crisisunit.models import ReadAccess

EXPORT = "export"
LIST = "list"


def record_read(request, obj):
    """Note that `request.user` opened the page of case record `obj`."""
    record_read_of(request, type(obj), obj.pk)


def record_read_of(request, model, pk):
    """Note that `request.user` opened the page of the `model` record numbered `pk`."""
    _record(request, ContentType.objects.get_for_model(model), str(pk))


def already_logged(request) -> bool:
    """True once this request has a line in the read log."""
    return getattr(request, "_read_logged", False)


def record_export(request, model, asked: dict):
    """Note that `request.user` downloaded records of `model` with names and IINs: one
    entry, numbered "export", whose page holds what was asked (the period, the kind)."""
    path = f"{request.path}?{urlencode(asked)}"
    _record(request, ContentType.objects.get_for_model(model), EXPORT, path=path)


def record_list(request, model, *, query: str, results: int):
    """Note that `request.user` saw a list of `model` records (a list page, a search, an
    autocomplete): what was asked and how many records it showed."""
    _record(request, ContentType.objects.get_for_model(model), LIST, query=query, results=results)


def _record(request, content_type, object_id, path=None, **listed):
    request._read_logged = True
    ReadAccess.objects.create(
        user=request.user,
        content_type=content_type,
        object_id=object_id,
        path=(path or request.get_full_path())[:500],
        ip_address=client_ip(request),
        query=listed.get("query", "")[:500],
        results=listed.get("results"),
    )
