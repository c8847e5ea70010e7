from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("queue/", views.queue, name="queue"),
    path("archive/", views.archive, name="archive"),
    path("<int:task_pk>/", views.task, name="task"),
    path("submit/<int:dossier_pk>/", views.submit, name="submit"),
    path("clock/<int:dossier_pk>/", views.clock_action, name="clock"),
    path("filing/<int:dossier_pk>/", views.record_filing, name="filing"),
    path("notifications/", views.notifications, name="notifications"),
]
