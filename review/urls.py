from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("new/", views.dossier_create, name="dossier_create"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path(
        "<int:pk>/materials/<int:material_pk>/remove/",
        views.material_remove,
        name="material_remove",
    ),
    path("<int:pk>/versions/", views.version_add, name="version_add"),
    path("<int:pk>/versions/<int:number>/retry/", views.version_retry, name="version_retry"),
    path(
        "<int:pk>/versions/<int:number>/download/", views.version_download, name="version_download"
    ),
    path(
        "<int:pk>/letters/<int:letter_pk>/download/", views.letter_download, name="letter_download"
    ),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/compare.docx", views.compare_docx, name="compare_docx"),
    path(
        "<int:pk>/materials/<int:material_pk>/download/",
        views.material_download,
        name="material_download",
    ),
]
