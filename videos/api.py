"""REST API of the library: artists and videos (``/api/artists/``, ``/api/videos/``).

Views validate, call services and selectors, and serialise. Adding a video also starts its
metadata probe through the jobs app; the download endpoints live in ``jobs.api``.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services import (
    JobConflict,
    JobPermissionError,
    VideoAlreadyAdded,
    VideoBusy,
    probe_submit,
    video_add_and_probe,
    video_remove,
    video_url_change,
)
from videos.api_common import MAX_ID, RETRY_AFTER, Conflict, error_responses
from videos.models import Artist, Video, validate_source_url
from videos.selectors import (
    artist_find_by_name,
    artist_get,
    artist_list,
    video_get,
    video_list,
)
from videos.services import (
    artist_create,
    artist_delete,
    artist_update,
    video_update,
)

_ERRORS = error_responses()
_RETRY_AFTER = RETRY_AFTER


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: _ERRORS[code] for code in (401, *codes)}


def paginated(view: APIView, queryset: QuerySet, output: type[serializers.Serializer]):
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


# --- representations ------------------------------------------------------------------------
class ArtistOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sort_name = serializers.CharField()
    folder_name = serializers.CharField()
    monitored = serializers.BooleanField()
    video_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Artist"


class VideoOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    artist = serializers.CharField(source="artist.name", allow_null=True, default=None)
    artist_id = serializers.IntegerField(allow_null=True)
    source_url = serializers.URLField()
    extractor = serializers.CharField()
    source_id = serializers.CharField()
    status = serializers.ChoiceField(choices=Video.Status.choices)
    file_path = serializers.CharField(
        help_text="Relative to the library folder; empty until downloaded."
    )
    file_size = serializers.IntegerField(allow_null=True)
    duration = serializers.FloatField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    format = serializers.CharField()
    thumbnail_url = serializers.CharField()
    upload_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Video"


class VideoFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Video.Status.choices, required=False, allow_blank=True)
    artist = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An artist id."
    )
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the title or artist."
    )

    class Meta:
        ref_name = "VideoFilter"


# --- artists ----------------------------------------------------------------------------------
class StaffMayChangeArtists(BasePermission):
    """Reading artists is for everyone signed in; adding, renaming and deleting is for staff.

    An artist's name is the folder of every file of its videos, whoever added them: a rename
    moves other users' files on their next download.
    """

    message = "Only staff can add, rename or delete artists."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_staff)


class ArtistInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    sort_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Made from the name if empty."
    )
    monitored = serializers.BooleanField(required=False, default=True)

    class Meta:
        ref_name = "ArtistInput"

    def validate_name(self, value: str) -> str:
        taken = artist_find_by_name(value, exclude_id=self.context.get("artist_id"))
        if taken is not None:
            raise serializers.ValidationError(
                f"An artist named “{taken.name}” is already in the library (#{taken.pk})."
            )
        return value


class ArtistListApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeArtists]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    class FilterSerializer(serializers.Serializer):
        search = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return ArtistInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="List artists",
        parameters=[FilterSerializer],
        responses={200: ArtistOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = artist_list(search=filters.validated_data.get("search", ""))
        return paginated(self, queryset, ArtistOutputSerializer)

    @extend_schema(
        tags=["artists"],
        summary="Add an artist (staff)",
        request=ArtistInputSerializer,
        responses={201: ArtistOutputSerializer, **errors(400, 403)},
    )
    def post(self, request):
        serializer = ArtistInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            artist = artist_create(**serializer.validated_data)
        except IntegrityError:  # added by someone else since the check
            raise serializers.ValidationError(
                {"name": ["An artist with this name is already in the library."]}
            ) from None
        return Response(
            ArtistOutputSerializer(artist_get(artist_id=artist.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ArtistDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayChangeArtists]

    def get_serializer(self, *args, **kwargs):
        return ArtistInputSerializer(*args, partial=True, **kwargs)

    @extend_schema(
        tags=["artists"],
        summary="Get an artist",
        responses={200: ArtistOutputSerializer, **errors(404)},
    )
    def get(self, request, artist_id: int):
        return Response(ArtistOutputSerializer(_artist_or_404(artist_id)).data)

    @extend_schema(
        tags=["artists"],
        summary="Change an artist (staff)",
        request=ArtistInputSerializer(partial=True),
        responses={200: ArtistOutputSerializer, **errors(400, 403, 404)},
    )
    def patch(self, request, artist_id: int):
        artist = _artist_or_404(artist_id)
        serializer = ArtistInputSerializer(
            data=request.data, partial=True, context={"artist_id": artist.pk}
        )
        serializer.is_valid(raise_exception=True)
        try:
            artist_update(artist=artist, data=serializer.validated_data)
        except IntegrityError:
            raise serializers.ValidationError(
                {"name": ["An artist with this name is already in the library."]}
            ) from None
        return Response(ArtistOutputSerializer(artist_get(artist_id=artist.pk)).data)

    @extend_schema(
        tags=["artists"],
        summary="Delete an artist (staff)",
        description="Its videos stay in the library, without an artist.",
        responses={204: None, **errors(403, 404)},
    )
    def delete(self, request, artist_id: int):
        artist_delete(artist=_artist_or_404(artist_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArtistVideosApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["artists"],
        summary="List an artist's videos",
        parameters=[VideoFilterSerializer(partial=True)],
        responses={200: VideoOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request, artist_id: int):
        artist = _artist_or_404(artist_id)
        filters = _video_filters(request)
        filters["artist_id"] = artist.pk
        return paginated(self, video_list(**filters), VideoOutputSerializer)


def _artist_or_404(artist_id: int) -> Artist:
    artist = artist_get(artist_id=artist_id)
    if artist is None:
        raise NotFound(f"There is no artist #{artist_id}.")
    return artist


def _video_filters(request) -> dict:
    filters = VideoFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    return {
        "status": data.get("status", ""),
        "artist_id": data.get("artist"),
        "search": data.get("search", ""),
    }


# --- videos -----------------------------------------------------------------------------------
class VideoCreateInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, validators=[validate_source_url])
    title = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Filled in by the probe if empty.",
    )
    artist = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="An artist name; created when new, filled in by the probe if empty.",
    )

    class Meta:
        ref_name = "VideoCreateInput"


class VideoCreateOutputSerializer(VideoOutputSerializer):
    probe_job = JobSerializer(help_text="The metadata_probe job filling in what was not given.")

    class Meta:
        ref_name = "VideoCreated"


class VideoUpdatedOutputSerializer(VideoOutputSerializer):
    probe_job = JobSerializer(
        allow_null=True,
        help_text="The metadata_probe job looking up a new url; null when no url was given.",
    )

    class Meta:
        ref_name = "VideoUpdated"


class VideoListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    throttle_scope = "submit"

    def get_throttles(self):
        # Only adding a video is a submit; reading the list is not limited.
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def get_serializer(self, *args, **kwargs):
        return VideoCreateInputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="List the library's videos",
        parameters=[VideoFilterSerializer],
        responses={200: VideoOutputSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        return paginated(self, video_list(**_video_filters(request)), VideoOutputSerializer)

    @extend_schema(
        tags=["videos"],
        summary="Add a video",
        description="Adds the video at once and starts a metadata_probe job that fills in "
        "the title, artist and details that were not given.",
        request=VideoCreateInputSerializer,
        parameters=[_RETRY_AFTER],
        responses={201: VideoCreateOutputSerializer, **errors(400, 409, 429)},
    )
    def post(self, request):
        serializer = VideoCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            video, job = video_add_and_probe(
                url=data["url"],
                user=request.user,
                title=data.get("title", ""),
                artist_name=data.get("artist") or "",
            )
        except VideoAlreadyAdded as exc:
            raise Conflict(str(exc)) from None
        body = {**VideoOutputSerializer(video).data, "probe_job": job_representation(job)}
        return Response(body, status=status.HTTP_201_CREATED)


class VideoImportApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        url = serializers.URLField(
            max_length=2000,
            validators=[validate_source_url],
            help_text="A playlist, channel or feed (every entry is added) or a single video.",
        )

        class Meta:
            ref_name = "VideoImportInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="Import a playlist or feed",
        description="Starts a metadata_probe job that adds one video per entry, skipping "
        "those already in the library; a single-video URL adds one.",
        request=InputSerializer,
        parameters=[_RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = probe_submit(user=request.user, url=serializer.validated_data["url"])
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


class StaffMayDelete(BasePermission):
    message = "Only staff can delete videos from the library."

    def has_permission(self, request, view) -> bool:
        return request.method != "DELETE" or bool(request.user and request.user.is_staff)


class VideoDetailApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayDelete]

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=500, required=False, allow_blank=True)
        artist = serializers.CharField(
            max_length=255,
            required=False,
            allow_blank=True,
            allow_null=True,
            help_text="An artist name (created when new); empty or null removes the artist.",
        )
        url = serializers.URLField(
            max_length=2000,
            required=False,
            validators=[validate_source_url],
            help_text="A corrected link: the video is looked up again (a new metadata_probe "
            "job). Staff, or whoever added the video.",
        )

        class Meta:
            ref_name = "VideoUpdateInput"

    class DeleteSerializer(serializers.Serializer):
        delete_file = serializers.BooleanField(
            required=False, default=False, help_text="Also delete the file from the library."
        )

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="Get a video",
        responses={200: VideoOutputSerializer, **errors(404)},
    )
    def get(self, request, video_id: int):
        return Response(VideoOutputSerializer(_video_or_404(video_id)).data)

    @extend_schema(
        tags=["videos"],
        summary="Change a video's title, artist or link",
        description="A new `url` starts a metadata_probe job, returned as `probe_job`.",
        request=InputSerializer,
        responses={200: VideoUpdatedOutputSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request, video_id: int):
        video = _video_or_404(video_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        url = data.pop("url", None)
        probe = None
        if url is not None:  # the same link again: looked up again all the same
            try:
                probe = video_url_change(video=video, url=url, user=request.user)
            except JobPermissionError as exc:
                raise PermissionDenied(str(exc)) from None
            except JobConflict as exc:
                raise Conflict(str(exc)) from None
            video.refresh_from_db()
        video_update(video=video, data=data)
        probe_job = job_representation(probe) if probe is not None else None
        return Response({**VideoOutputSerializer(video).data, "probe_job": probe_job})

    @extend_schema(
        tags=["videos"],
        summary="Delete a video (staff)",
        parameters=[DeleteSerializer],
        responses={204: None, **errors(400, 403, 404, 409)},
    )
    def delete(self, request, video_id: int):
        options = self.DeleteSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        video = _video_or_404(video_id)
        try:
            video_remove(video=video, delete_file=options.validated_data["delete_file"])
        except VideoBusy as exc:
            raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _video_or_404(video_id: int) -> Video:
    video = video_get(video_id=video_id)
    if video is None:
        raise NotFound(f"There is no video #{video_id}.")
    return video
