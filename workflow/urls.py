from django.urls import path

from .views import desk, dossiers, meetings, prereview, step

app_name = "workflow"
urlpatterns = [
    path("", desk.inbox, name="inbox"),
    path("queue/", desk.queue, name="queue"),
    path("archive/", desk.archive, name="archive"),
    path("<int:task_pk>/", step.task, name="task"),
    path("<int:task_pk>/claim/", desk.claim, name="task_claim"),
    path("<int:task_pk>/release/", desk.release, name="task_release"),
    path("<int:task_pk>/handover/", desk.hand_over, name="task_handover"),
    path("submit/<int:dossier_pk>/", desk.submit, name="submit"),
    path("clock/<int:dossier_pk>/", dossiers.clock_action, name="clock"),
    path("filing/<int:dossier_pk>/", dossiers.record_filing, name="filing"),
    path("filing-reply/<int:dossier_pk>/", dossiers.filing_reply, name="filing_reply"),
    path("objection/<int:dossier_pk>/", dossiers.objection, name="objection"),
    path("late-opinion/<int:dossier_pk>/", dossiers.late_opinion, name="late_opinion"),
    path("reevaluate/<int:document_pk>/", dossiers.reevaluate, name="reevaluate"),
    path("notifications/", desk.notifications, name="notifications"),
    path("status/<int:dossier_pk>/", dossiers.dossier_status, name="dossier_status"),
    *meetings.urlpatterns,
    *prereview.urlpatterns,
]

# Mounted at /dossiers/ beside review.urls: the dossier list and page show the process.
dossier_urlpatterns = (
    [
        path("", dossiers.dossier_list, name="list"),
        path("<int:pk>/", dossiers.dossier_detail, name="detail"),
    ],
    "dossiers",
)
