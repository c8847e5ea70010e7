from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from workflow.urls import dossier_urlpatterns

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="workflow:inbox"), name="home"),
    # Pages name their icon; this answers whatever asks the old way (downloads, the admin).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"))),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tasks/", include("workflow.urls")),
    path("dossiers/", include(dossier_urlpatterns)),
    path("dossiers/", include("review.urls")),
    path("reports/", include("reports.urls")),
    path("", include("search.urls")),
    path("admin/", admin.site.urls),
]
