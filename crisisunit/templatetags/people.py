from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from crisisunit.lib.dates import months_between_dates
from crisisunit.lib.phone import format_kz_phone

register = template.Library()


@register.filter
def phone(stored):
    """+77011234567 as people read it: +7 701 123 4567."""
    return format_kz_phone(stored) if stored else ""


@register.filter
def age(date_of_birth, today=None):
    """A young child's age as staff say it: "8 months", "2 years 3 months"."""
    if not date_of_birth:
        return ""
    months = months_between_dates(date_of_birth, today or timezone.localdate())
    years, months = divmod(max(months, 0), 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)s year", "%(n)s years", years) % {"n": years})
    if months or not years:
        parts.append(ngettext("%(n)s month", "%(n)s months", months) % {"n": months})
    return " ".join(parts)
