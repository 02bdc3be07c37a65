"""A video's source, for a video added by artist and title: look for it
(``POST /api/videos/<id>/resolve``), read what was found (``GET …/candidates``) and choose
one (``POST …/source``).

Looking and choosing are for staff and for whoever added the video (as correcting its link
is); reading the candidates, for everyone signed in, as the library is.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.selectors import job_representation
from jobs.serializers import JobSerializer
from jobs.services import JobPermissionError, resolve_submit, source_choose
from jobs.services.videos import video_url_change_allowed
from mvidarr.api_docs import RETRY_AFTER
from videos.api.serializers import SourceUrlField, errors
from videos.api.videos import video_or_404


class CandidateSerializer(serializers.Serializer):
    url = serializers.CharField()
    title = serializers.CharField()
    channel = serializers.CharField(help_text="The channel or uploader, when the site says.")
    duration = serializers.FloatField(allow_null=True, help_text="Seconds, when the site says.")
    score = serializers.FloatField(help_text="0 to 1; the best is taken at or above the threshold.")
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="What counted, as sentences."
    )

    class Meta:
        ref_name = "SourceCandidate"


def _check_allowed(user, video) -> None:
    if not video_url_change_allowed(user=user, video=video):
        raise JobPermissionError(
            "Only staff, or whoever added this video, can look for or choose its source."
        )


class VideoResolveApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["videos"],
        summary="Look for a video's source",
        description="202 with a new source_resolve job: the finders' candidates are scored; "
        "at or above MVIDARR_RESOLVE_THRESHOLD the best is taken and downloaded in the "
        "artist's profile, below it the video stays `needs_source` with its candidates. "
        "Staff, or whoever added the video. 409 while a search for it is queued or running "
        "(naming the `job`), or when it is ignored, being downloaded or downloaded.",
        request=None,
        parameters=[RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 403, 404, 409, 429)},
    )
    def post(self, request, video_id: int):
        video = video_or_404(video_id)
        _check_allowed(request.user, video)
        job = resolve_submit(video=video, user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


class VideoCandidatesApi(APIView):
    @extend_schema(
        tags=["videos"],
        summary="The candidate sources found for a video",
        description="What the last search found, best first (at most 20), without searching "
        "again; an empty list before any search.",
        responses={200: CandidateSerializer(many=True), **errors(404)},
    )
    def get(self, request, video_id: int):
        video = video_or_404(video_id)
        return Response(CandidateSerializer(video.source_candidates, many=True).data)


class VideoSourceApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        url = SourceUrlField(
            max_length=2000,
            help_text="A candidate's url, or any link to the video.",
        )

        class Meta:
            ref_name = "VideoSourceInput"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["videos"],
        summary="Choose a video's source",
        description="Takes the url as the video's source and downloads it in the artist's "
        "profile: 202 with the download job. Staff, or whoever added the video. 409 when "
        "another video has this link, or the video is ignored, being downloaded or "
        "downloaded.",
        request=InputSerializer,
        parameters=[RETRY_AFTER],
        responses={
            202: OpenApiResponse(JobSerializer, "The download of the chosen source."),
            **errors(400, 403, 404, 409, 429),
        },
    )
    def post(self, request, video_id: int):
        video = video_or_404(video_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = source_choose(video=video, url=serializer.validated_data["url"], user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)
