"""The metadata providers' endpoints: add an artist from IMVDb, refresh metadata (a video,
an artist, the library), search IMVDb, and the providers' settings with a test.

Writes are for staff; the search is for everyone signed in (it is cached and rate-limited
like every provider call). The jobs run in a worker; only the search and the test ask a
provider during the request, since a person waits for their answer.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services.providers import artist_import_submit, metadata_refresh_submit
from mvidarr.api_docs import RETRY_AFTER, error_responses
from preferences.selectors import setting_states
from videos.api.serializers import errors
from videos.api.videos import video_or_404
from videos.models import Artist
from videos.providers.base import PermanentError, TransientError
from videos.providers.configure import provider_settings_set
from videos.providers.registry import NAMES, provider_get
from videos.providers.search import imvdb_search
from videos.providers.settings import SETTINGS as PROVIDER_SETTINGS

_PROVIDER_ERRORS = error_responses(
    _502="The provider refused or answered something unusable (a sentence says what).",
    _503="The provider cannot be reached now, or is limiting requests; try again later.",
)


class StaffOnly(BasePermission):
    message = "Only staff can do this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


class StaffMayChange(BasePermission):
    message = "Only staff can change the providers' settings."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


def _accepted(job) -> Response:
    return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def _provider_response(exc: Exception) -> Response:
    code = 503 if isinstance(exc, TransientError) else 502
    return Response({"detail": exc.message}, status=code)


class ArtistImportApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        provider = serializers.ChoiceField(choices=["imvdb"])
        id = serializers.CharField(max_length=20, help_text="The artist's IMVDb id.")

        class Meta:
            ref_name = "ArtistImportInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="Add an artist and its whole videography from IMVDb (staff)",
        description="202 with an artist_import job: the artist and every video of its IMVDb "
        "videography (all pages) are added, each once, with its metadata; a video with a "
        "YouTube source on IMVDb is `wanted` with IMVDb's primary source as its link, one "
        "without is `needs_source`. Videos already in the library are not added again. 409 "
        "while the same artist is being added.",
        request=InputSerializer,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 409, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = artist_import_submit(
            provider=data["provider"], provider_id=data["id"], user=request.user
        )
        return _accepted(job)


_REFRESH = (
    "202 with a metadata_refresh job: the providers (IMVDb when its key is set, then "
    "MusicBrainz) fill the fields a person has not set; history records what changed. 409 "
    "while a refresh of the same videos is queued or running."
)


class VideoRefreshMetadataApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["videos"],
        summary="Refresh a video's metadata from the providers (staff)",
        description=_REFRESH,
        request=None,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 404, 409, 429)},
    )
    def post(self, request, video_id: int):
        return _accepted(metadata_refresh_submit(user=request.user, video=video_or_404(video_id)))


class ArtistRefreshMetadataApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["artists"],
        summary="Refresh the metadata of an artist's videos (staff)",
        description=_REFRESH,
        request=None,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 404, 409, 429)},
    )
    def post(self, request, artist_id: int):
        artist = Artist.objects.filter(pk=artist_id).first()
        if artist is None:
            return Response({"detail": f"There is no artist #{artist_id}."}, status=404)
        return _accepted(metadata_refresh_submit(user=request.user, artist=artist))


class LibraryRefreshMetadataApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["videos"],
        summary="Refresh the metadata of the whole library (staff)",
        description=_REFRESH + " Page by page; it carries on where it stopped after a restart.",
        request=None,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 409, 429)},
    )
    def post(self, request):
        return _accepted(metadata_refresh_submit(user=request.user))


class ProviderSearchQuery(serializers.Serializer):
    q = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=["artists", "videos"], default="artists")
    page = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class ProviderHitSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(help_text="The artist's name, or the video's title.")
    artist = serializers.CharField(help_text="A video's artist; empty for an artist.")
    year = serializers.IntegerField(allow_null=True)
    image_url = serializers.CharField()


class ProviderSearchSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    total_results = serializers.IntegerField()
    results = ProviderHitSerializer(many=True)


def _hit(item) -> dict:
    return {
        "id": item.id,
        "name": getattr(item, "name", "") or getattr(item, "title", ""),
        "artist": getattr(item, "artist", ""),
        "year": getattr(item, "year", None),
        "image_url": item.image_url,
    }


class ImvdbSearchApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["providers"],
        summary="Search IMVDb for artists or videos",
        parameters=[ProviderSearchQuery, RETRY_AFTER],
        responses={
            200: ProviderSearchSerializer,
            **errors(400, 429),
            502: _PROVIDER_ERRORS[502],
            503: _PROVIDER_ERRORS[503],
        },
    )
    def get(self, request):
        query = ProviderSearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            page = imvdb_search(query=data["q"], type=data["type"], page=data["page"])
        except (TransientError, PermanentError) as exc:
            return _provider_response(exc)
        return Response(
            {
                "page": page.page,
                "total_pages": page.total_pages,
                "total_results": page.total_results,
                "results": [_hit(item) for item in page.items],
            }
        )


class ProviderSettingSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(
        allow_null=True, help_text="null for a key: keys are write-only (see `is_set`)."
    )
    secret = serializers.BooleanField()
    is_set = serializers.BooleanField(help_text="Whether a value other than empty is in effect.")
    source = serializers.CharField(help_text='"settings", "default" or "environment (VAR)".')


def provider_setting_rows() -> list[dict]:
    keys = {spec.key for spec in PROVIDER_SETTINGS}
    return [
        {
            "key": state.spec.key,
            "label": state.spec.label,
            "value": None if state.spec.secret else state.value,
            "secret": state.spec.secret,
            "is_set": state.value not in ("", None),
            "source": state.source,
        }
        for state in setting_states()
        if state.spec.key in keys
    ]


class ProviderSettingsApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChange]

    @extend_schema(
        tags=["providers"],
        summary="The providers' settings (staff)",
        description="Addresses, rates, the cache's lifetime; a key is never shown, only "
        "whether one is set.",
        responses={200: ProviderSettingSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        if not request.user.is_staff:
            return Response({"detail": "Only staff can read the providers' settings."}, 403)
        return Response(provider_setting_rows())

    @extend_schema(
        tags=["providers"],
        summary="Change the providers' settings (staff)",
        description='A JSON object of key → value ({"providers.imvdb.api_key": "…"}); all '
        "or nothing. Answers the settings as GET does (keys still not shown).",
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={200: ProviderSettingSerializer(many=True), **errors(400, 403)},
    )
    def patch(self, request):
        provider_settings_set(values=request.data, user=request.user)
        return Response(provider_setting_rows())


class ProviderTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    detail = serializers.CharField(help_text="The outcome in a sentence.")


class ProviderTestApi(APIView):
    permission_classes = [IsAuthenticated, StaffOnly]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["providers"],
        summary="Try a provider with its settings (staff)",
        description="One small request to the provider; 200 with whether it worked and the "
        "outcome in a sentence (a wrong key, an unreachable address).",
        request=None,
        parameters=[RETRY_AFTER],
        responses={200: ProviderTestSerializer, **errors(403, 404, 429)},
    )
    def post(self, request, name: str):
        if name not in NAMES:
            return Response({"detail": f"There is no provider {name!r}."}, status=404)
        try:
            detail = provider_get(name).check()
        except (TransientError, PermanentError) as exc:
            return Response({"ok": False, "detail": exc.message})
        return Response({"ok": True, "detail": detail})
