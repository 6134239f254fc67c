"""The public pages that show figures are kept whole by crisisunit's
PublicPageCacheMiddleware until a figure changes: its key holds
stats.figures.current_version()."""

from crisisunit.caching import public_page

cached_public_page = public_page
