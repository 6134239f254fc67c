from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def lang_attr(text):
    """` lang="kk"` on an element whose text stands in for a missing translation, so
    that screen readers read it in Kazakh."""
    if getattr(text, "fallback", False):
        return format_html(' lang="{}"', text.lang)
    return ""
