from django.utils.functional import SimpleLazyObject

from content.models import Home


def home(request):
    """The home's name and contacts for the footer of every public page; read only
    when a page shows them (staff pages do not)."""
    return {"home": SimpleLazyObject(Home.load)}
