"""The public pages that show figures are cached until a figure changes: the key holds
stats.figures.version(), which moves with a stored figure or any placement's change."""

from crisisunit.caching import public_page_cache
from stats import figures

cached_public_page = public_page_cache(figures.version)
