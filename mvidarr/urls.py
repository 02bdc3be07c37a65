from functools import cache

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from mvidarr.logins import throttled_login

FAVICON = "mvidarr/img/favicon.svg"


@cache
def _favicon_bytes() -> bytes:
    with open(finders.find(FAVICON), "rb") as icon:
        return icon.read()


@require_safe
def favicon(request) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own: the SVG icon the pages link, as is
    (200, not a redirect), to anyone."""
    response = HttpResponse(_favicon_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    # The admin's login form, throttled (before the admin's own routes, which include it).
    path("admin/login/", throttled_login(admin.site.login)),
    # DownloadJob became Job: the admin's old addresses (bookmarks, links in notes) still work.
    re_path(
        r"^admin/jobs/downloadjob/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/jobs/job/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    # /healthz, /readyz, /metrics, /ops/ and /api/version/ (before the api/ include).
    path("", include("mvidarr.ops.urls")),
    path("api/", include("mvidarr.api_urls")),
    path("accounts/login/", throttled_login(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The library pages ("/" is the video grid, named "home") and the job pages.
    path("", include("videos.urls")),
    path("", include("jobs.urls")),
    path("", include("connections.urls")),
    path("", include("accounts.urls")),
]
