"""``/api/sources/``: the channels, playlists and feeds that are indexed; indexing one now.

Indexing is a job, so "index now" calls the jobs service that starts one (a face may use
both apps) and answers with the one job representation.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services.sources import source_index_submit
from mvidarr.api_docs import MAX_ID
from mvidarr.pagination import ListApi
from videos.api.serializers import SourceUrlField, errors
from videos.models import Source
from videos.sources import (
    MAX_INTERVAL_MINUTES,
    source_create,
    source_delete,
    source_feed_url,
    source_get,
    source_list,
    source_update,
)

MAX_SECONDS = 2**31 - 1


class StaffMayChangeSources(BasePermission):
    """Reading sources is for everyone signed in; adding, changing and deleting is for staff:
    a source adds videos to everyone's library, and may download them."""

    message = "Only staff can add, change, delete or index sources."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class SourceArtistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()

    class Meta:
        ref_name = "SourceArtist"


class SourceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField(help_text="What the listing calls itself; filled by an index.")
    artist = SourceArtistSerializer(
        allow_null=True, help_text="Videos found get this artist; null: from their metadata."
    )
    monitored = serializers.BooleanField()
    auto_download = serializers.BooleanField()
    index_interval_minutes = serializers.IntegerField()
    title_include = serializers.CharField()
    title_exclude = serializers.CharField()
    min_duration = serializers.IntegerField(allow_null=True, help_text="Seconds.")
    max_duration = serializers.IntegerField(allow_null=True, help_text="Seconds.")
    published_after = serializers.DateField(allow_null=True)
    channel_id = serializers.CharField(help_text="A YouTube channel's id, learnt by a full index.")
    feed_url = serializers.SerializerMethodField(
        help_text="The RSS feed a fast index reads; null when the source has none."
    )
    last_indexed_at = serializers.DateTimeField(allow_null=True)
    last_full_index_at = serializers.DateTimeField(allow_null=True)
    next_index_at = serializers.DateTimeField(
        allow_null=True, help_text="When the scheduler indexes it next; null: not scheduled."
    )
    last_error = serializers.CharField()
    failures = serializers.IntegerField(help_text="Indexes that failed in a row.")
    last_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="The last index's counts (found, added…)."
    )
    video_count = serializers.IntegerField(help_text="Videos this source added.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Source"

    def get_feed_url(self, source: Source) -> str | None:
        return source_feed_url(source)


# The service checks what needs the database (a taken URL, the artist, min ≤ max) and the
# patterns; the fields here check types and ranges.
class SourceInputSerializer(serializers.Serializer):
    url = SourceUrlField(
        max_length=2000,
        help_text="A channel, playlist or feed that yt-dlp can list.",
    )
    artist = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text="An artist id."
    )
    monitored = serializers.BooleanField(
        required=False, default=True, help_text="Indexed on a schedule."
    )
    auto_download = serializers.BooleanField(
        required=False, default=False, help_text="Download what an index finds."
    )
    index_interval_minutes = serializers.IntegerField(
        required=False,
        default=Source.DEFAULT_INTERVAL_MINUTES,
        min_value=Source.MIN_INTERVAL_MINUTES,
        max_value=MAX_INTERVAL_MINUTES,
    )
    title_include = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="A regular expression a title must match (ignoring case).",
    )
    title_exclude = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="A regular expression a title must not match (ignoring case).",
    )
    min_duration = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SECONDS, help_text="Seconds."
    )
    max_duration = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SECONDS, help_text="Seconds."
    )
    published_after = serializers.DateField(
        required=False, allow_null=True, help_text="Only videos published after this date."
    )

    class Meta:
        ref_name = "SourceInput"


class SourceListApi(ListApi):
    permission_classes = [IsAuthenticated, StaffMayChangeSources]

    class FilterSerializer(serializers.Serializer):
        artist = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_ID, help_text="An artist id."
        )
        monitored = serializers.BooleanField(required=False, allow_null=True, default=None)
        search = serializers.CharField(
            required=False, allow_blank=True, max_length=200, help_text="Part of the URL or title."
        )

        class Meta:
            ref_name = "SourceFilter"

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return SourceInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["sources"],
        summary="List sources",
        parameters=[FilterSerializer],
        responses={200: SourceOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = source_list(
            artist_id=data.get("artist"),
            monitored=data.get("monitored"),
            search=data.get("search", ""),
        )
        return self.paginated(queryset, SourceOutputSerializer)

    @extend_schema(
        tags=["sources"],
        summary="Add a source (staff)",
        description="A monitored source is indexed by the scheduler's next tick.",
        request=SourceInputSerializer,
        responses={201: SourceOutputSerializer, **errors(400, 403, 409)},
    )
    def post(self, request):
        serializer = SourceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = source_create(data=serializer.validated_data)
        return Response(
            SourceOutputSerializer(source_get(source_id=source.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class SourceDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeSources]

    def get_serializer(self, *args, **kwargs):
        return SourceInputSerializer(*args, partial=True, **kwargs)

    @extend_schema(
        tags=["sources"],
        summary="Get a source",
        responses={200: SourceOutputSerializer, **errors(404)},
    )
    def get(self, request, source_id: int):
        return Response(SourceOutputSerializer(source_or_404(source_id)).data)

    @extend_schema(
        tags=["sources"],
        summary="Change a source (staff)",
        description="Turning monitoring on makes the source due now; off, unscheduled. "
        "A new interval counts from the last index.",
        request=SourceInputSerializer(partial=True),
        responses={200: SourceOutputSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request, source_id: int):
        source = source_or_404(source_id)
        serializer = SourceInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        source_update(source=source, data=serializer.validated_data)
        return Response(SourceOutputSerializer(source_get(source_id=source.pk)).data)

    @extend_schema(
        tags=["sources"],
        summary="Delete a source (staff)",
        description="The videos it added stay in the library.",
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request, source_id: int):
        source_delete(source=source_or_404(source_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SourceIndexApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeSources]

    class InputSerializer(serializers.Serializer):
        full = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="true: list every entry; false: only the newest, through the source's "
            "feed when it has one; null or omitted: the index decides.",
        )

        class Meta:
            ref_name = "SourceIndexInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["sources"],
        summary="Index a source now (staff)",
        description="202 with the new source_index job; 409 when the source's index is "
        "already queued or running.",
        request=InputSerializer,
        responses={202: JobSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, source_id: int):
        source = source_or_404(source_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = source_index_submit(
            source=source,
            user=request.user,
            origin="user",
            full=serializer.validated_data.get("full"),
        )
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def source_or_404(source_id: int) -> Source:
    source = source_get(source_id=source_id)
    if source is None:
        raise NotFound(f"There is no source #{source_id}.")
    return source
