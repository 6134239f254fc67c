from django import template

register = template.Library()


@register.simple_tag
def error_items(*forms):
    """Every error of the given forms, in page order, as (field id or "", label, message):
    the error summary lists each and links it to its field."""
    items = []
    for form in forms:
        if not form or not form.errors:
            continue
        items += [("", "", error) for error in form.non_field_errors()]
        for field in form:
            items += [(field.id_for_label, field.label, error) for error in field.errors]
    return items
