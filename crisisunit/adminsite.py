"""The project's admin site (crisisunit.apps.PortalAdminConfig.default_site)."""

import json

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from crisisunit.audit import record_list


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, whose autocomplete (the search boxes of a record's fields)
    is noted in the read log as a list read of the records it offered."""

    def autocomplete_view(self, request):
        response = super().autocomplete_view(request)
        model = _autocompleted_model(request)
        if response.status_code == 200 and model is not None:
            offered = len(json.loads(response.content).get("results", []))
            record_list(request, model, query=request.GET.urlencode(), results=offered)
        return response


def _autocompleted_model(request):
    from django.apps import apps

    try:
        source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        return source._meta.get_field(request.GET["field_name"]).remote_field.model
    except (KeyError, LookupError, AttributeError, FieldDoesNotExist):
        return None
