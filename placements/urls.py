from django.urls import path

from placements.views import (
    applications,
    dashboard,
    documents,
    exports,
    familywork,
    followups,
    imports,
    printouts,
    records,
    stays,
    tasks,
)

app_name = "placements"

# Mounted at /staff/.
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("placements/", stays.placement_list, name="list"),
    path("placements/new/", stays.placement_new, name="new"),
    path("placements/reassign/", stays.placement_reassign, name="reassign"),
    path("placements/<int:pk>/", stays.placement_detail, name="detail"),
    path("placements/<int:pk>/<slug:document>.pdf", printouts.printout, name="printout"),
    path("placements/<int:pk>/documents/", documents.documents, name="documents"),
    path("documents/<int:pk>/", documents.download, name="document_download"),
    path("documents/<int:pk>/remove/", documents.remove, name="document_remove"),
    path(
        "placements/<int:pk>/parents/<int:parent_pk>/",
        records.parent_contacts,
        name="parent_contacts",
    ),
    path("placements/<int:pk>/visits/new/", records.visit_new, name="visit_new"),
    path(
        "placements/<int:pk>/consultations/new/", records.consultation_new, name="consultation_new"
    ),
    path(
        "placements/<int:pk>/applications/new/",
        applications.application_new,
        name="application_new",
    ),
    path("applications/<int:pk>/send/", applications.application_send, name="application_send"),
    path(
        "applications/<int:pk>/<str:step>/",
        applications.application_progress,
        name="application_progress",
    ),
    path("placements/<int:pk>/extensions/new/", stays.extension_new, name="extension_new"),
    path("follow-ups/<int:pk>/", followups.followup_record, name="followup_record"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task_done"),
    path("notices/", tasks.notice_list, name="notices"),
    path("visits/<int:pk>/edit/", records.visit_edit, name="visit_edit"),
    path("placements/<int:pk>/contacts/new/", records.contact_new, name="contact_new"),
    path("contacts/<int:pk>/edit/", records.contact_edit, name="contact_edit"),
    path("placements/<int:pk>/visitors/new/", records.visitor_new, name="visitor_new"),
    path("placements/<int:pk>/agreed-visits/", records.agreed_visits, name="agreed_visits"),
    path("week/", records.week, name="week"),
    # The work with the family: the plan, inspection acts, referrals.
    path("placements/<int:pk>/family-work/", familywork.family_work, name="family_work"),
    path("placements/<int:pk>/plan/start/", familywork.plan_start, name="plan_start"),
    path("placements/<int:pk>/plan/goals/new/", familywork.goal_new, name="goal_new"),
    path("placements/<int:pk>/plan/actions/new/", familywork.action_new, name="action_new"),
    path("placements/<int:pk>/plan/reviews/new/", familywork.review_new, name="review_new"),
    path("plan-actions/<int:pk>/", familywork.action_edit, name="action_edit"),
    path(
        "placements/<int:pk>/inspections/new/",
        familywork.inspection_new,
        name="inspection_new",
    ),
    path("inspections/<int:pk>/", familywork.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>.pdf", familywork.inspection_pdf, name="inspection_pdf"),
    path("placements/<int:pk>/referrals/new/", familywork.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", familywork.referral_answer, name="referral_answer"),
    path(
        "placements/<int:pk>/parents/<int:parent_pk>/consents/new/",
        familywork.consent_new,
        name="consent_new",
    ),
    path("consents/<int:pk>/withdraw/", familywork.consent_withdraw, name="consent_withdraw"),
    path("consultations/<int:pk>/edit/", records.consultation_edit, name="consultation_edit"),
    path("notices/read/", tasks.notices_read, name="notices_read"),
    path("exports/", exports.export, name="export"),
    path("import/", imports.upload, name="import"),
    path("import/template.xlsx", imports.template, name="import_template"),
    path("import/<int:pk>/", imports.detail, name="import_detail"),
    path("import/<int:pk>/progress/", imports.progress, name="import_progress"),
    path("import/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", imports.discard, name="import_discard"),
]
