from django.urls import path

from placements import views

app_name = "placements"

# Mounted at /staff/.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("placements/", views.placement_list, name="list"),
    path("placements/new/", views.placement_new, name="new"),
    path("placements/<int:pk>/", views.placement_detail, name="detail"),
    path("placements/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("placements/<int:pk>/consultations/new/", views.consultation_new, name="consultation_new"),
    path("placements/<int:pk>/applications/new/", views.application_new, name="application_new"),
    path(
        "applications/<int:pk>/<str:step>/",
        views.application_progress,
        name="application_progress",
    ),
    path("placements/<int:pk>/extensions/new/", views.extension_new, name="extension_new"),
    path("follow-ups/<int:pk>/", views.followup_record, name="followup_record"),
    path("exports/", views.export, name="export"),
]
