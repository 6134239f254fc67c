from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PublicPagesSitemap(Sitemap):
    """Every public page in every language, each listing its translations."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "content:contacts",
            "content:documents",
            "content:questions",
            "stats:returns",
        ]

    def location(self, item):
        return reverse(item)
