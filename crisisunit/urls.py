from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from crisisunit import views

admin.site.site_header = _("Crisis unit of the specialized children's home")
admin.site.site_title = _("Crisis unit")
admin.site.index_title = _("Case records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    prefix_default_language=True,
)
