"""The change history as staff read it: the reasons the portal itself records are kept
in the database as fixed English codes and shown in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# A fixed reason written by the portal (a migration, a setting applied after migrate):
# what the reader sees instead. Reasons typed by people, or written already translated
# (an import's file name), are shown as they are.
REASONS = {
    "first content": _("the site's first texts, as they were on the old pages"),
    "HOME_* settings": _("the home's contacts from the server's settings"),
}


@register.filter
def change_reason(reason: str | None) -> str:
    if not reason:
        return "—"
    return str(REASONS.get(reason, reason))
