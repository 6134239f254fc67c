from django.contrib.contenttypes.models import ContentType

from crisisunit.lib.net import client_ip


def record_read(request, obj):
    """Note that `request.user` opened the page of case record `obj`."""
    from crisisunit.models import ReadAccess

    ReadAccess.objects.create(
        user=request.user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )
