"""Only this API's routes, so its schema tests do not depend on other apps' views."""

from django.urls import include, path

urlpatterns = [path("api/", include("mvidarr.api_urls"))]

# Every path of this API, as the schema writes it (action paths without a trailing slash).
API_PATHS = {
    "/api/auth/token/",
    "/api/auth/token/refresh/",
    "/api/artists/",
    "/api/artists/{artist_id}/",
    "/api/artists/{artist_id}/videos/",
    "/api/artists/{artist_id}/merge",
    "/api/profiles/",
    "/api/profiles/{profile_id}/",
    "/api/sources/",
    "/api/sources/{source_id}/",
    "/api/sources/{source_id}/index",
    "/api/videos/",
    "/api/videos/import",
    "/api/videos/{video_id}/",
    "/api/videos/{video_id}/download",
    "/api/videos/{video_id}/resolve",
    "/api/videos/{video_id}/candidates",
    "/api/videos/{video_id}/source",
    "/api/videos/bulk/download",
    "/api/jobs/",
    "/api/jobs/{job_id}/",
    "/api/jobs/{job_id}/cancel",
    "/api/jobs/{job_id}/retry",
    "/api/jobs/{job_id}/hide",
    "/api/ignored/",
    "/api/ignored/{entry_id}/",
    "/api/history/",
    "/api/wanted/",
    "/api/wanted/download",
    "/api/settings/naming",
    "/api/settings/naming/preview",
    "/api/library/rename",
    "/api/library/import-scan",
    "/api/library/import-scan/{job_id}/",
    "/api/library/import-apply",
    "/api/wanted/cutoff/",
    "/api/wanted/cutoff/check",
    "/api/connections/",
    "/api/connections/{connection_id}/",
    "/api/connections/{connection_id}/test",
}
