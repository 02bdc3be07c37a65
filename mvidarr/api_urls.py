"""Every route under ``/api/``: tokens, the library, downloads, jobs, the schema and its docs.

Action paths (``…/download``, ``…/cancel``) answer with and without a trailing slash; the
schema documents them as written, without one.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.views import LoginView, redirect_to_login
from django.urls import URLPattern, include, path, register_converter, reverse
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import (
    SimpleJWTScheme,
    TokenObtainPairSerializerExtension,
    TokenRefreshSerializerExtension,
)
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed, ErrorDetail, NotAuthenticated, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from accounts import api as accounts_api
from connections import api as connections_api
from jobs import api as jobs_api
from jobs import api_history as history_api
from jobs import api_import as import_api
from jobs import api_settings as settings_api
from jobs import api_wanted as wanted_api
from mvidarr import logins
from mvidarr.api_docs import documented_errors, error_responses
from mvidarr.tokens import TokenObtainPairSerializer, TokenRefreshSerializer
from videos.api import artists as artists_api
from videos.api import ignored as ignored_api
from videos.api import naming as naming_api
from videos.api import profiles as profiles_api
from videos.api import providers as providers_api
from videos.api import resolving as resolving_api
from videos.api import sources as sources_api
from videos.api import stats as stats_api
from videos.api import videos as videos_api


class IdConverter:
    """A database id: up to 18 digits, so a longer one is a 404 and never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}
_FIELDS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


# The schema documents mvidarr.tokens' subclasses as drf-spectacular documents simplejwt's.
class _JWTScheme(SimpleJWTScheme):
    target_class = "mvidarr.tokens.JWTAuthentication"


class _SessionScheme(SessionScheme):
    target_class = "accounts.authentication.SessionAuthentication"


class _ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )


class _TokenObtainSchema(TokenObtainPairSerializerExtension):
    target_class = "mvidarr.tokens.TokenObtainPairSerializer"


class _TokenRefreshSchema(TokenRefreshSerializerExtension):
    target_class = "mvidarr.tokens.TokenRefreshSerializer"


@extend_schema(
    tags=["auth"],
    summary="Get a token pair",
    description='Send {"username", "password"}; use the access token as '
    "`Authorization: Bearer <access>` and renew it with the refresh token.",
    parameters=[
        OpenApiParameter(
            "Retry-After",
            int,
            OpenApiParameter.HEADER,
            response=[429],
            description="Seconds to wait before trying again.",
        )
    ],
    responses={
        200: TokenObtainPairSerializer,
        401: OpenApiResponse(_DETAIL, "The username or password is wrong."),
        400: OpenApiResponse(_FIELDS, "A field is missing or invalid."),
        429: OpenApiResponse(
            _DETAIL, "Too many failed logins (address or account); wait for Retry-After seconds."
        ),
    },
)
class TokenObtainApi(TokenObtainPairView):
    """The login throttles (mvidarr.logins) around simplejwt's view."""

    serializer_class = TokenObtainPairSerializer

    def post(self, request, *args, **kwargs):
        address = logins.client_address(request)
        data = request.data  # a fuzzer's body may be a list or null
        username = str(data.get("username", "")) if isinstance(data, Mapping) else ""
        try:
            logins.check_login_allowed(address=address, username=username)
        except logins.LoginThrottled as exc:
            throttled = Throttled(wait=exc.wait)
            throttled.detail = ErrorDetail(exc.message, code="throttled")
            raise throttled from None
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            logins.record_login_failure(address=address, username=username)
            raise
        logins.record_login_success(username=username)
        return response


@extend_schema(
    tags=["auth"],
    summary="Renew the access token",
    responses={
        200: TokenRefreshSerializer,
        401: OpenApiResponse(
            _DETAIL, "The refresh token is invalid, expired, or older than the password."
        ),
        400: OpenApiResponse(_FIELDS, "A field is missing or invalid."),
    },
)
class TokenRefreshApi(TokenRefreshView):
    serializer_class = TokenRefreshSerializer


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI; a browser that is not logged in is sent to the login page first.

    The split view serves its start-up script from ``?script`` instead of inline, so the
    Content-Security-Policy can allow scripts from our own files only.
    """

    def handle_exception(self, exc):
        wants_html = "text/html" in self.request.headers.get("Accept", "")
        if isinstance(exc, NotAuthenticated) and wants_html:
            return redirect_to_login(
                self.request.get_full_path(), login_url=reverse("rest_framework:login")
            )
        return super().handle_exception(exc)


def action(route: str, view, name: str) -> list:
    """``route`` and ``route/`` to the same view (the schema keeps the first)."""
    return [path(route, view, name=name), path(f"{route}/", view, name=f"{name}-slash")]


def schema_without_slash_twins(endpoints: list, **kwargs) -> list:
    """drf-spectacular preprocessing hook: drop ``…/x/`` where ``…/x`` is documented."""
    seen = {(route, method) for route, _regex, method, _callback in endpoints}
    return [
        endpoint
        for endpoint in endpoints
        if not (endpoint[0].endswith("/") and (endpoint[0][:-1], endpoint[2]) in seen)
    ]


def schema_job_items(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: a bulk job's ``items`` are jobs themselves."""
    job = result.get("components", {}).get("schemas", {}).get("Job")
    if job is not None:
        job["description"] = (
            "A download or probe job with its live figures (speed and eta while it runs). "
            "The WebSocket sends the same shape."
        )
        job["properties"]["items"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Job"},
            "nullable": True,
            "readOnly": True,
            "description": "A bulk job's per-video jobs, at most 50: the active ones first, "
            "then the most recently finished (GET /api/jobs/{id}/items/ lists them all); "
            "null for other kinds, and in a bulk job's own WebSocket messages.",
        }
        job["properties"]["counts"] = {
            "type": "object",
            "nullable": True,
            "readOnly": True,
            "properties": {
                name: {"type": "integer", "minimum": 0}
                for name in ("queued", "running", "completed", "failed", "cancelled")
            },
            "required": ["queued", "running", "completed", "failed", "cancelled"],
            "description": "A bulk job's items by status; null for other kinds.",
        }
    return result


class ApiIndex(APIView):
    """``GET /api/``: where to start — the schema, its docs, and every list and action of the
    API that takes no id, by route name."""

    class OutputSerializer(serializers.Serializer):
        schema = serializers.URLField(help_text="The OpenAPI schema: every endpoint, in full.")
        docs = serializers.URLField(help_text="The schema as pages to read and try (Swagger UI).")
        version = serializers.URLField(help_text="MVidarr's and yt-dlp's versions.")
        endpoints = serializers.DictField(
            child=serializers.URLField(),
            help_text="Each endpoint without an id in its path, by its route name.",
        )

        class Meta:
            ref_name = "ApiIndex"

    @extend_schema(
        tags=["system"],
        summary="Index of the API",
        responses={200: OutputSerializer, **documented_errors(error_responses())},
    )
    def get(self, request):
        def absolute(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        endpoints = {
            pattern.name: absolute(pattern.name)
            for pattern in urlpatterns
            if isinstance(pattern, URLPattern)
            and pattern.name not in ("", None, "api-index")
            and not pattern.name.endswith("-slash")
            and "<" not in str(pattern.pattern)
        }
        data = {
            "schema": absolute("api-schema"),
            "docs": absolute("api-docs"),
            "version": absolute("api-version"),
            "endpoints": endpoints,
        }
        return Response(self.OutputSerializer(data).data)


urlpatterns = [
    path("", ApiIndex.as_view(), name="api-index"),
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/refresh/", TokenRefreshApi.as_view(), name="api-token-refresh"),
    path("auth/password/", accounts_api.PasswordChangeApi.as_view(), name="api-password"),
    path("auth/keys/", accounts_api.ApiKeyListApi.as_view(), name="api-keys"),
    path("auth/keys/<id:key_id>/", accounts_api.ApiKeyDetailApi.as_view(), name="api-key"),
    path("users/", accounts_api.UserListApi.as_view(), name="api-users"),
    path("users/<id:user_id>/", accounts_api.UserDetailApi.as_view(), name="api-user"),
    *action(
        "users/<id:user_id>/reset-password",
        accounts_api.UserPasswordResetApi.as_view(),
        "api-user-reset-password",
    ),
    # The browsable API's login form, throttled (before the include that also routes it).
    path(
        "auth/login/",
        logins.throttled_login(LoginView.as_view(template_name="rest_framework/login.html")),
    ),
    path("auth/", include("rest_framework.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # the library
    path("artists/", artists_api.ArtistListApi.as_view(), name="api-artists"),
    *action("artists/import", providers_api.ArtistImportApi.as_view(), "api-artists-import"),
    *action(
        "artists/<id:artist_id>/refresh-metadata",
        providers_api.ArtistRefreshMetadataApi.as_view(),
        "api-artist-refresh-metadata",
    ),
    *action(
        "videos/<id:video_id>/refresh-metadata",
        providers_api.VideoRefreshMetadataApi.as_view(),
        "api-video-refresh-metadata",
    ),
    *action(
        "library/refresh-metadata",
        providers_api.LibraryRefreshMetadataApi.as_view(),
        "api-library-refresh-metadata",
    ),
    path("providers/imvdb/search", providers_api.ImvdbSearchApi.as_view(), name="api-imvdb-search"),
    path(
        "providers/settings",
        providers_api.ProviderSettingsApi.as_view(),
        name="api-provider-settings",
    ),
    *action(
        "providers/<str:name>/test", providers_api.ProviderTestApi.as_view(), "api-provider-test"
    ),
    path("artists/<id:artist_id>/", artists_api.ArtistDetailApi.as_view(), name="api-artist"),
    *action(
        "artists/<id:artist_id>/merge", artists_api.ArtistMergeApi.as_view(), "api-artist-merge"
    ),
    path(
        "artists/<id:artist_id>/videos/",
        artists_api.ArtistVideosApi.as_view(),
        name="api-artist-videos",
    ),
    path("profiles/", profiles_api.ProfileListApi.as_view(), name="api-profiles"),
    path("profiles/<id:profile_id>/", profiles_api.ProfileDetailApi.as_view(), name="api-profile"),
    path("sources/", sources_api.SourceListApi.as_view(), name="api-sources"),
    path("sources/<id:source_id>/", sources_api.SourceDetailApi.as_view(), name="api-source"),
    *action(
        "sources/<id:source_id>/index", sources_api.SourceIndexApi.as_view(), "api-source-index"
    ),
    path("stats/", stats_api.StatsApi.as_view(), name="api-stats"),
    path("videos/", videos_api.VideoListApi.as_view(), name="api-videos"),
    *action("videos/import", videos_api.VideoImportApi.as_view(), "api-videos-import"),
    path("videos/<id:video_id>/", videos_api.VideoDetailApi.as_view(), name="api-video"),
    *action(
        "videos/<id:video_id>/resolve", resolving_api.VideoResolveApi.as_view(), "api-video-resolve"
    ),
    *action(
        "videos/<id:video_id>/candidates",
        resolving_api.VideoCandidatesApi.as_view(),
        "api-video-candidates",
    ),
    *action(
        "videos/<id:video_id>/source", resolving_api.VideoSourceApi.as_view(), "api-video-source"
    ),
    *action("videos/<id:video_id>/tags", videos_api.VideoTagsApi.as_view(), "api-video-tags"),
    path("ignored/", ignored_api.IgnoredListApi.as_view(), name="api-ignored"),
    path(
        "ignored/<id:entry_id>/", ignored_api.IgnoredDetailApi.as_view(), name="api-ignored-entry"
    ),
    path("history/", history_api.HistoryListApi.as_view(), name="api-history"),
    path("wanted/", wanted_api.WantedListApi.as_view(), name="api-wanted"),
    *action("wanted/download", wanted_api.WantedDownloadApi.as_view(), "api-wanted-download"),
    # naming and renaming
    path("settings/", settings_api.SettingsApi.as_view(), name="api-settings"),
    *action("settings/cookies", settings_api.CookiesApi.as_view(), "api-settings-cookies"),
    *action("settings/naming", naming_api.NamingSettingsApi.as_view(), "api-naming"),
    *action("settings/naming/preview", naming_api.NamingPreviewApi.as_view(), "api-naming-preview"),
    *action("library/rename", naming_api.LibraryRenameApi.as_view(), "api-library-rename"),
    # manual import
    *action("library/import-scan", import_api.ImportScanApi.as_view(), "api-import-scan"),
    path(
        "library/import-scan/<id:job_id>/",
        import_api.ImportScanDetailApi.as_view(),
        name="api-import-scan-detail",
    ),
    *action("library/import-apply", import_api.ImportApplyApi.as_view(), "api-import-apply"),
    path("wanted/cutoff/", wanted_api.CutoffListApi.as_view(), name="api-cutoff"),
    *action("wanted/cutoff/check", wanted_api.CutoffCheckApi.as_view(), "api-cutoff-check"),
    # downloads
    *action("videos/bulk/download", jobs_api.BulkDownloadApi.as_view(), "api-bulk-download"),
    *action(
        "videos/<id:video_id>/download", jobs_api.VideoDownloadApi.as_view(), "api-video-download"
    ),
    # jobs
    path("jobs/", jobs_api.JobListApi.as_view(), name="api-jobs"),
    *action(
        "jobs/clear-finished", jobs_api.JobsClearFinishedApi.as_view(), "api-jobs-clear-finished"
    ),
    *action("jobs/retry-failed", jobs_api.JobsRetryFailedApi.as_view(), "api-jobs-retry-failed"),
    path("jobs/<id:job_id>/", jobs_api.JobDetailApi.as_view(), name="api-job"),
    *action("jobs/<id:job_id>/items", jobs_api.JobItemsApi.as_view(), "api-job-items"),
    *action("jobs/<id:job_id>/cancel", jobs_api.JobCancelApi.as_view(), "api-job-cancel"),
    *action("jobs/<id:job_id>/retry", jobs_api.JobRetryApi.as_view(), "api-job-retry"),
    *action("jobs/<id:job_id>/hide", jobs_api.JobHideApi.as_view(), "api-job-hide"),
    # connections
    path("connections/", connections_api.ConnectionListApi.as_view(), name="api-connections"),
    path(
        "connections/<id:connection_id>/",
        connections_api.ConnectionDetailApi.as_view(),
        name="api-connection",
    ),
    *action(
        "connections/<id:connection_id>/test",
        connections_api.ConnectionTestApi.as_view(),
        "api-connection-test",
    ),
]
