from django.urls import path, re_path

from search import api, cleanup_views, views

app_name = "search"
urlpatterns = [
    path("register/", views.staff_search, name="search"),
    path("register/<int:pk>/", views.document_detail, name="document"),
    path("register/public/", views.public_search, name="public"),
    path("register/public/<int:pk>/", views.public_document, name="public_document"),
    path("register/cleanup/", cleanup_views.campaign_list, name="campaigns"),
    path("register/cleanup/new/", cleanup_views.campaign_create, name="campaign_create"),
    path("register/cleanup/tasks/", cleanup_views.cleanup_tasks_page, name="cleanup_tasks"),
    path("register/cleanup/<int:pk>/", cleanup_views.campaign_detail, name="campaign"),
    path(
        "register/cleanup/<int:pk>/assign/", cleanup_views.campaign_assign, name="campaign_assign"
    ),
    path(
        "register/cleanup/<int:pk>/propose/",
        cleanup_views.campaign_propose,
        name="campaign_propose",
    ),
    path(
        "register/cleanup/<int:pk>/publish/",
        cleanup_views.campaign_publish,
        name="campaign_publish",
    ),
    re_path(
        r"^register/cleanup/(?P<pk>\d+)/export\.(?P<fmt>xlsx|docx)$",
        cleanup_views.campaign_export,
        name="campaign_export",
    ),
    path(
        "register/cleanup/items/<int:pk>/propose/", cleanup_views.item_propose, name="item_propose"
    ),
    path("register/cleanup/items/<int:pk>/review/", cleanup_views.item_review, name="item_review"),
    path("api/register/search", api.register_search, name="api_search"),
]
