from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from crisisunit import twofactor, views
from crisisunit.forms import AdminLoginForm
from crisisunit.sitemaps import PublicPagesSitemap
from stats import views as stats_views
from stats.urls import download_urlpatterns

admin.site.site_header = _("Crisis unit of the specialized children's home")
admin.site.site_title = _("Crisis unit")
admin.site.index_title = _("Case records")
admin.site.login_form = AdminLoginForm

# A database that cannot be reached is a 503 page, not a 500 (crisisunit/outage.py).
handler500 = "crisisunit.outage.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"public": PublicPagesSitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("accessibility/low-vision/", views.low_vision, name="low_vision"),
    path("stats/", include((download_urlpatterns, "downloads"))),
    path("staff/login/", views.StaffLoginView.as_view(), name="login"),
    path("staff/language/", views.choose_language, name="choose_language"),
    path("staff/two-factor/", twofactor.verify, name="verify_second_factor"),
    path("staff/two-factor/setup/", twofactor.setup, name="setup_second_factor"),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/indicators/", stats_views.indicators, name="indicators"),
    path("staff/reports/", stats_views.period_report, name="period_report"),
    path("staff/team/", include("team.urls")),
    path("staff/", include("placements.urls")),
]
urlpatterns += i18n_patterns(
    path("", stats_views.home, name="home"),
    path("stats/", include("stats.urls")),
    path("", include("content.urls")),
    prefix_default_language=True,
)
