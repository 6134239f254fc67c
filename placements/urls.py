from django.urls import path

from placements import casework, dashboard, documents, exports, import_views, printouts, views

app_name = "placements"

# Mounted at /staff/.
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("placements/", views.placement_list, name="list"),
    path("placements/new/", views.placement_new, name="new"),
    path("placements/reassign/", casework.placement_reassign, name="reassign"),
    path("placements/<int:pk>/", views.placement_detail, name="detail"),
    path("placements/<int:pk>/<slug:document>.pdf", printouts.printout, name="printout"),
    path("placements/<int:pk>/documents/", documents.documents, name="documents"),
    path("documents/<int:pk>/", documents.download, name="document_download"),
    path("documents/<int:pk>/remove/", documents.remove, name="document_remove"),
    path(
        "placements/<int:pk>/parents/<int:parent_pk>/",
        casework.parent_contacts,
        name="parent_contacts",
    ),
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
    path("tasks/<int:pk>/done/", casework.task_done, name="task_done"),
    path("visits/<int:pk>/edit/", casework.visit_edit, name="visit_edit"),
    path("placements/<int:pk>/contacts/new/", casework.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", casework.contact_edit, name="contact_edit"),
    path("placements/<int:pk>/visitors/new/", casework.visitor_new, name="visitor_new"),
    path("placements/<int:pk>/agreed-visits/", casework.agreed_visits, name="agreed_visits"),
    path("week/", casework.week, name="week"),
    path("consultations/<int:pk>/edit/", casework.consultation_edit, name="consultation_edit"),
    path("notices/read/", casework.notices_read, name="notices_read"),
    path("exports/", exports.export, name="export"),
    path("import/", import_views.upload, name="import"),
    path("import/template.xlsx", import_views.template, name="import_template"),
    path("import/<int:pk>/", import_views.detail, name="import_detail"),
    path("import/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", import_views.discard, name="import_discard"),
]
