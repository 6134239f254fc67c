from django import template

register = template.Library()


@register.simple_tag
def matches_for(flow, part):
    return flow.matches.get(part, [])


@register.filter
def undecided(flow, part):
    return flow.undecided(part)


@register.filter
def same_iin(flow, part):
    return flow.same_iin(part)


@register.filter
def get(mapping, key):
    return mapping.get(key)
