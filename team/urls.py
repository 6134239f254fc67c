from django.urls import path

from team import views

app_name = "team"

# Mounted at /staff/team/.
urlpatterns = [
    path("", views.team, name="team"),
    path("new/", views.member_new, name="member_new"),
    path("caseload/", views.caseload, name="caseload"),
    path("second-factor/", views.second_factor_reset, name="second_factor_reset"),
    path("<int:pk>/", views.member, name="member"),
    path("<int:pk>/link/", views.member_link, name="member_link"),
    path("<int:pk>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("<int:pk>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
]
