from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("figures/<slug:group>/<slug:name>/", views.figure, name="figure"),
    path("export.docx", views.export_docx, name="docx"),
    path("export.xlsx", views.export_xlsx, name="xlsx"),
]
