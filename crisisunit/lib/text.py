from django.utils.functional import lazy


def _interpolate(text, values):
    return str(text) % values


_interpolate_lazy = lazy(_interpolate, str)


def interpolate_lazy(text, **values):
    """`text % values`, done when the text is shown: a lazily translated text that
    names a setting (REENTRY_MONTHS, say) in the language of the page showing it."""
    return _interpolate_lazy(text, values)
