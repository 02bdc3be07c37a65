"""``/api/videos/``: list, add, import, change and delete the library's videos.

Adding a video, importing a feed and changing a video's link start metadata probes, so
those views call the jobs services that do both.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services import (
    probe_submit,
    tags_submit,
    video_add_and_probe,
    video_add_by_name,
    video_edit,
    video_remove,
)
from mvidarr.api_docs import RETRY_AFTER
from mvidarr.pagination import KeysFirst, ListApi
from videos.api.serializers import (
    SourceUrlField,
    VideoFilterSerializer,
    VideoMetadataSerializer,
    VideoOutputSerializer,
    errors,
    video_filters,
)
from videos.models import Video
from videos.selectors import video_get, video_list, video_list_parts

_RETRY_AFTER = RETRY_AFTER


class VideoCreateInputSerializer(serializers.Serializer):
    url = SourceUrlField(
        max_length=2000,
        required=False,
        help_text="The video's link. Without one, give artist and title: its source is "
        "looked for (a source_resolve job).",
    )
    title = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Filled in by the probe if empty; required without a url.",
    )
    artist = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="An artist name; created when new, filled in by the probe if empty; "
        "required without a url.",
    )

    class Meta:
        ref_name = "VideoCreateInput"

    def validate(self, attrs: dict) -> dict:
        if attrs.get("url"):
            return attrs
        missing = {
            field: [f"Give the video's {field}, or its url."]
            for field in ("artist", "title")
            if not (attrs.get(field) or "").strip()
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class VideoCreateOutputSerializer(VideoOutputSerializer):
    probe_job = JobSerializer(
        allow_null=True,
        help_text="The metadata_probe job filling in what was not given; null for a video "
        "added by artist and title.",
    )
    resolve_job = JobSerializer(
        allow_null=True,
        help_text="The source_resolve job looking for the source of a video added by artist "
        "and title; null for a video added by its url.",
    )

    class Meta:
        ref_name = "VideoCreated"


class VideoUpdatedOutputSerializer(VideoOutputSerializer):
    probe_job = JobSerializer(
        allow_null=True,
        help_text="The metadata_probe job looking up a new url; null when no url was given.",
    )

    class Meta:
        ref_name = "VideoUpdated"


class VideoListApi(ListApi):
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
        filters = video_filters(request)
        videos = KeysFirst(
            video_list(**filters), rows=video_list(), parts=video_list_parts(**filters)
        )
        return self.paginated(videos, VideoOutputSerializer)

    @extend_schema(
        tags=["videos"],
        summary="Add a video",
        description="With a `url`: adds the video at once and starts a metadata_probe job "
        "that fills in the title, artist and details that were not given (409 when the url "
        "is already in the library). Without one: `artist` and `title` add a video whose "
        "status is `needs_source`, and a source_resolve job starts looking for its source "
        "(409, naming the video, when the artist already has a video of that title, "
        "ignoring case).",
        request=VideoCreateInputSerializer,
        parameters=[_RETRY_AFTER],
        responses={201: VideoCreateOutputSerializer, **errors(400, 409, 429)},
    )
    def post(self, request):
        serializer = VideoCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data.get("url"):
            video, job = video_add_by_name(
                artist_name=data["artist"], title=data["title"], user=request.user
            )
            jobs = {"probe_job": None, "resolve_job": job_representation(job)}
        else:
            video, job = video_add_and_probe(
                url=data["url"],
                user=request.user,
                title=data.get("title", ""),
                artist_name=data.get("artist") or "",
            )
            jobs = {"probe_job": job_representation(job), "resolve_job": None}
        body = {**VideoOutputSerializer(video).data, **jobs}
        return Response(body, status=status.HTTP_201_CREATED)


class VideoImportApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        url = SourceUrlField(
            max_length=2000,
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

    class InputSerializer(VideoMetadataSerializer):
        title = serializers.CharField(max_length=500, required=False, allow_blank=True)
        artist = serializers.CharField(
            max_length=255,
            required=False,
            allow_blank=True,
            allow_null=True,
            help_text="An artist name (created when new); empty or null removes the artist.",
        )
        url = SourceUrlField(
            max_length=2000,
            required=False,
            help_text="A corrected link: the video is looked up again (a new metadata_probe "
            "job). Staff, or whoever added the video.",
        )

        class Meta:
            ref_name = "VideoUpdateInput"

    class DeleteSerializer(serializers.Serializer):
        delete_file = serializers.BooleanField(
            required=False, default=False, help_text="Also delete the file from the library."
        )
        ignore = serializers.BooleanField(
            required=False,
            default=False,
            help_text="Don't download it again: an ignore-list entry stays (by its source, "
            "else its URL), so no index adds it again.",
        )
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=255,
            help_text="Why it is ignored (with ignore).",
        )

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="Get a video",
        responses={200: VideoOutputSerializer, **errors(404)},
    )
    def get(self, request, video_id: int):
        return Response(VideoOutputSerializer(video_or_404(video_id)).data)

    @extend_schema(
        tags=["videos"],
        summary="Change a video's title, artist, descriptive fields or link",
        description="Any signed-in user may change the title, the artist (a new name creates "
        "the artist) and the descriptive fields (album, year …); each field sent is recorded "
        "as set by hand (`field_sources`: `user`), so no probe changes it again. A new `url` "
        "(staff, or whoever added the video) starts a metadata_probe job, returned as "
        "`probe_job`.",
        request=InputSerializer,
        responses={200: VideoUpdatedOutputSerializer, **errors(400, 403, 404, 409)},
    )
    def patch(self, request, video_id: int):
        video = video_or_404(video_id)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        video, probe = video_edit(video=video, user=request.user, data=serializer.validated_data)
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
        video = video_or_404(video_id)
        data = options.validated_data
        video_remove(
            video=video,
            delete_file=data["delete_file"],
            user=request.user,
            ignore=data["ignore"],
            reason=data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffMayWriteTags(BasePermission):
    message = "Only staff can write tags into the library's files."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_staff)


class VideoTagsApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayWriteTags]

    class InputSerializer(serializers.Serializer):
        cover = serializers.BooleanField(
            required=False,
            default=True,
            help_text="Embed the video's artwork as the cover picture (default true); false "
            "writes the tags without one.",
        )

        class Meta:
            ref_name = "VideoTagsInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="Write tags into the video's file (staff)",
        description="202 with a tags_write job that writes the title, artist, album, date, "
        "genre, comment and cover into the MP4, M4A or MKV file by remuxing it (nothing is "
        "re-encoded; the file is replaced only once the tagged copy is whole). 409 when the "
        "video has no file, is being downloaded, or its tags are already being written.",
        request=InputSerializer,
        responses={202: JobSerializer, **errors(400, 403, 404, 409)},
    )
    def post(self, request, video_id: int):
        video = video_or_404(video_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = tags_submit(video=video, user=request.user, cover=serializer.validated_data["cover"])
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


def video_or_404(video_id: int) -> Video:
    video = video_get(video_id=video_id)
    if video is None:
        raise NotFound(f"There is no video #{video_id}.")
    return video
