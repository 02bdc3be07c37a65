"""``/api/wanted/``: the videos the library still wants, and downloading them (staff).

Every signed-in user reads the list; starting downloads from it is for staff (one request
may queue thousands of videos for everyone's library).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.api import quality_field
from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services.wanted import wanted_download_submit
from mvidarr.api_docs import MAX_ID, RETRY_AFTER, documented_errors, error_responses
from mvidarr.pagination import ListApi
from videos.api.serializers import VideoOutputSerializer
from videos.models import Artist
from videos.wanted import WANTED_FILTERS, wanted_list

_ERRORS = error_responses(
    _403="Only staff may start downloads from the wanted list.",
    _409="Nothing matches: no wanted video is waiting for a download.",
)


def errors(*codes: int):
    return documented_errors(_ERRORS, *codes)


class StaffMayDownload(BasePermission):
    message = "Only staff can download the wanted videos; ask a staff member."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


def _status_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=WANTED_FILTERS,
        required=False,
        allow_blank=True,
        help_text=f"One of {', '.join(WANTED_FILTERS)}; omitted: every video not downloaded.",
        error_messages={
            "invalid_choice": f"Unknown status “{{input}}”; choose one of "
            f"{', '.join(WANTED_FILTERS)}."
        },
        **kwargs,
    )


def _artist_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An artist id.", **kwargs
    )


class WantedFilterSerializer(serializers.Serializer):
    artist = _artist_field()
    status = _status_field()

    class Meta:
        ref_name = "WantedFilter"


class WantedListApi(ListApi):
    @extend_schema(
        tags=["wanted"],
        summary="The videos not downloaded yet",
        description="Videos that are not downloaded and not ignored (wanted, waiting for a "
        "source, queued, downloading or failed), the longest wanted first.",
        parameters=[WantedFilterSerializer],
        responses={200: VideoOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = WantedFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = wanted_list(artist_id=data.get("artist"), status=data.get("status", ""))
        return self.paginated(queryset, VideoOutputSerializer)


class WantedDownloadApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayDownload]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        artist = _artist_field(allow_null=True, default=None)
        status = _status_field(default="")
        quality = quality_field()

        class Meta:
            ref_name = "WantedDownloadInput"

        def validate_artist(self, value: int | None) -> Artist | None:
            if value is None:
                return None
            artist = Artist.objects.filter(pk=value).first()
            if artist is None:
                raise serializers.ValidationError(f"There is no artist #{value}.")
            return artist

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["wanted"],
        summary="Download the wanted videos (staff)",
        description="One bulk_video_download job for the wanted and failed videos that match "
        "(of `artist`, of `status`) and are not already queued or downloading, at most 5,000, "
        "the longest wanted first. Without `quality` each follows its artist's quality "
        "profile, else the default profile. 409 when nothing matches.",
        request=InputSerializer,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 409, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = wanted_download_submit(
            user=request.user,
            artist=data["artist"],
            status=data["status"],
            quality=data["quality"],
        )
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)
