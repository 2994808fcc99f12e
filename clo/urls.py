from django.contrib import admin
from django.urls import include, path

from clo.accounts import views_signin as accounts_views
from clo.core import views as core_views

urlpatterns = [
    path("", include("clo.dashboards.urls")),
    path("", include("programs.urls")),
    path("", include("evaluations.urls")),
    path("", include("competencies.urls")),
    path("", include("clo.talent.urls")),
    path("", include("clo.careers.urls")),
    path("api/", include("clo.api.urls")),
    path("", include("clo.core.imports.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", accounts_views.login, name="login"),
    path("accounts/logout/", accounts_views.logout, name="logout"),
    path("accounts/", include("clo.accounts.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# No URL serves MEDIA_ROOT, in any mode: every stored file is private (workbooks, reports, zips of learning plans,
# import uploads, attachments) and is downloaded through a view that checks who asks (clo.core.downloads).
