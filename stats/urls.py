from django.urls import path

from stats import views

app_name = "stats"

# Under the language prefix: /kk/stats/, /ru/stats/, /en/stats/.
urlpatterns = [
    path("", views.returns, name="returns"),
]

# Without a prefix: the data is the same in every language.
download_urlpatterns = [
    path("returns.csv", views.returns_csv, name="returns_csv"),
    path("returns.json", views.returns_json, name="returns_json"),
]
