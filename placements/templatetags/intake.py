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


@register.filter
def differ(matches):
    """Whether a record on file has other contacts than those typed."""
    return any(match["differs"] for match in matches)


@register.filter
def keeps_typed(flow, part):
    return flow.keeps_typed(part)


@register.simple_tag
def stays_of(child):
    """The stays of a child on file offered at intake, the latest first: "in care
    before" with their dates and outcomes."""
    from placements.models import Placement

    return list(Placement.objects.filter(child=child).order_by("-admitted_on", "-pk"))
