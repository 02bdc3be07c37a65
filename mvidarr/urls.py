from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from mvidarr.logins import throttled_login


class FaviconRedirect(RedirectView):
    """/favicon.ico, which browsers ask for on their own: the SVG icon the pages link."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("mvidarr/img/favicon.svg")  # at request time: the hashed name


urlpatterns = [
    # The admin's login form, throttled (before the admin's own routes, which include it).
    path("admin/login/", throttled_login(admin.site.login)),
    # DownloadJob became Job: the admin's old addresses (bookmarks, links in notes) still work.
    re_path(
        r"^admin/jobs/downloadjob/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/jobs/job/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconRedirect.as_view()),
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
