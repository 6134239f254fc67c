from typing import Any

from django.utils.functional import lazy


def _interpolate(text: object, values: dict[str, Any]) -> str:
    return str(text) % {k: v() if callable(v) else v for k, v in values.items()}


_interpolate_lazy = lazy(_interpolate, str)


def interpolate_lazy(text: object, **values: Any) -> Any:
    """`text % values`, done when the text is shown: a lazily translated text in the
    language of the page showing it. A value may be a callable, called then too (a
    setting read when the text is shown rather than at start-up)."""
    return _interpolate_lazy(text, values)
