"""REST API of downloads and jobs: ``/api/videos/<id>/download``, ``/api/videos/bulk/download``
and ``/api/jobs/``.

Views validate, call :mod:`jobs.services` (whose refusals the one exception handler,
:mod:`mvidarr.api_errors`, answers), and answer with the one job representation
(:func:`jobs.selectors.job_representations`) that the WebSocket sends too. None of them waits
on a download: the services only write rows and enqueue messages.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs import kinds
from jobs.models import Job
from jobs.selectors import (
    bulk_items,
    job_get,
    job_list,
    job_representation,
    job_representations,
)
from jobs.serializers import JobSerializer
from jobs.services import (
    BULK_MAX,
    bulk_download_filtered,
    bulk_download_submit,
    download_submit,
    job_cancel,
    job_hide,
    job_retry,
    jobs_clear_finished,
    jobs_retry_failed,
)
from mvidarr.api_docs import MAX_ID, RETRY_AFTER, documented_errors, error_responses
from mvidarr.pagination import COUNT_LIMIT, BoundedCountPagination, ListApi
from videos import listing
from videos.models import Video
from videos.selectors import artist_get, video_get, video_ids_existing
from videos.ytdlp import QUALITIES

_ERRORS = error_responses(
    _404="No such id (another user's job is not found either).",
    _409="The job or video is not in a state that allows this.",
)
_RETRY_AFTER = RETRY_AFTER


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return documented_errors(_ERRORS, *codes)


def quality_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=QUALITIES,
        required=False,
        allow_null=True,
        default=None,
        help_text="Omitted or null: the quality profile of the video's artist, else the default "
        "profile. A quality overrides the profile for this download.",
        error_messages={
            "invalid_choice": f"Unknown quality “{{input}}”; choose one of {', '.join(QUALITIES)}."
        },
    )


# --- downloads ----------------------------------------------------------------------------
class VideoDownloadApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        quality = quality_field()
        force_redownload = serializers.BooleanField(
            default=False, help_text="Download again even if the video is already downloaded."
        )

        class Meta:
            ref_name = "DownloadInput"

    def get_serializer(self, *args, **kwargs):  # the browsable API's form
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["downloads"],
        summary="Download a video",
        description="202 with a new job; 200 with the same job when you already have one "
        "active for this video; 409 when another user's job is active for it, or when it "
        "is already downloaded and force_redownload is false.",
        request=InputSerializer,
        parameters=[_RETRY_AFTER],
        responses={
            202: OpenApiResponse(JobSerializer, "A new download job."),
            200: OpenApiResponse(JobSerializer, "Your job already active for this video."),
            **errors(400, 404, 409, 429),
        },
    )
    def post(self, request, video_id: int):
        video = video_get(video_id=video_id)
        if video is None:
            raise NotFound(f"There is no video #{video_id}.")
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job, created = download_submit(
            video=video,
            user=request.user,
            quality=serializer.validated_data["quality"],
            force=serializer.validated_data["force_redownload"],
        )
        return Response(
            job_representation(job),
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class BulkFilterSerializer(serializers.Serializer):
    """The library's filter (as ``GET /api/videos/``): the videos it selects, all of them."""

    status = serializers.ChoiceField(choices=Video.Status.choices, required=False)
    artist = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    search = serializers.CharField(required=False, max_length=200, help_text="Title or artist.")
    quality = serializers.ChoiceField(
        choices=listing.QUALITY_VALUES,
        required=False,
        help_text="The file's quality, or `below_cutoff` (as `GET /api/videos/?quality=`); "
        "not the quality to download, which is the request's own `quality`.",
    )
    video_type = serializers.ChoiceField(choices=Video.VideoType.choices, required=False)
    source = serializers.ChoiceField(
        choices=listing.SITE_VALUES, required=False, help_text="The site the video came from."
    )

    class Meta:
        ref_name = "BulkDownloadFilter"

    def validate_artist(self, value: int) -> int:
        if artist_get(artist_id=value) is None:
            raise serializers.ValidationError(f"There is no artist #{value}.")
        return value

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError(
                "Give at least one of status, artist, search, quality, video_type and source "
                "(an empty filter would download the whole library)."
            )
        return attrs


class BulkDownloadApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        video_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
            allow_empty=False,
            max_length=BULK_MAX,
            required=False,
            error_messages={
                "max_length": f"A bulk download takes at most {BULK_MAX:,} videos; download "
                "the rest in a second bulk."
            },
        )
        filter = BulkFilterSerializer(required=False)
        quality = quality_field()
        force_redownload = serializers.BooleanField(default=False)

        class Meta:
            ref_name = "BulkDownloadInput"

        def validate(self, attrs: dict) -> dict:
            given = [name for name in ("video_ids", "filter") if name in attrs]
            if len(given) != 1:
                raise serializers.ValidationError(
                    "Give exactly one of video_ids (the videos) and filter (the videos it "
                    f"selects); {'both were' if given else 'neither was'} given."
                )
            return attrs

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["downloads"],
        summary="Download many videos",
        description="One bulk_video_download job whose items are the per-video jobs, for "
        f"the videos of exactly one of `video_ids` and `filter` (`status`, `artist`, "
        f"`search`, `quality`, `video_type`, `source`, as the library's list), at most "
        f"{BULK_MAX:,}: more is a 400 that says so. Videos already downloaded (unless "
        "force_redownload) or being downloaded are skipped.",
        request=InputSerializer,
        parameters=[_RETRY_AFTER],
        responses={202: JobSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "filter" in data:
            chosen = data["filter"]
            job = bulk_download_filtered(
                user=request.user,
                status=chosen.get("status", ""),
                artist_id=chosen.get("artist"),
                search=chosen.get("search", ""),
                file_quality=chosen.get("quality", ""),
                video_type=chosen.get("video_type", ""),
                site=chosen.get("source", ""),
                quality=data["quality"],
                force=data["force_redownload"],
            )
            return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)
        ids = list(dict.fromkeys(data["video_ids"]))
        found = video_ids_existing(ids)
        missing = [str(video_id) for video_id in ids if video_id not in found]
        if missing:
            raise serializers.ValidationError({"video_ids": [_missing_ids_sentence(missing)]})
        job = bulk_download_submit(
            video_ids=ids,
            user=request.user,
            quality=serializer.validated_data["quality"],
            force=serializer.validated_data["force_redownload"],
        )
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


# --- jobs ---------------------------------------------------------------------------------
class JobListApi(ListApi):
    # Job rows run to a million: the count is bounded (see the description).
    pagination_class = BoundedCountPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=Job.Status.choices, required=False, allow_blank=True
        )
        kind = serializers.ChoiceField(choices=Job.Kind.choices, required=False, allow_blank=True)
        hidden = serializers.BooleanField(
            required=False, default=False, help_text="1 lists the hidden jobs instead."
        )

    @extend_schema(
        tags=["jobs"],
        summary="List your jobs (staff: everyone's)",
        description="Newest first; a bulk job's per-video jobs are its items, not list "
        f"entries. Hidden jobs are listed only with hidden=1. `count` counts up to "
        f"{COUNT_LIMIT:,} jobs: a longer list says {COUNT_LIMIT:,} and its pages stop there "
        "(narrow it by status or kind).",
        parameters=[FilterSerializer],
        responses={200: JobSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = job_list(
            user=request.user,
            status=data.get("status") or None,
            kind=data.get("kind") or None,
            hidden=data["hidden"],
            top_level=True,
        )
        return self.paginated(queryset, job_representations)


class JobDetailApi(APIView):
    @extend_schema(
        tags=["jobs"],
        summary="Get a job",
        responses={200: JobSerializer, **errors(404)},
    )
    def get(self, request, job_id: int):
        return Response(job_representation(_job_or_404(request.user, job_id)))


def _job_or_404(user, job_id: int) -> Job:
    job = job_get(user=user, job_id=job_id)
    if job is None:
        raise NotFound(f"There is no job #{job_id}.")
    return job


class JobItemsApi(ListApi):
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=Job.Status.choices, required=False, allow_blank=True
        )

    @extend_schema(
        tags=["jobs"],
        summary="List a bulk job's items",
        description="Every per-video job of a bulk job, in the order they were added (a bulk "
        "job's own `items` holds at most 50). 403 for another user's job; 404 for no such "
        "job, or a job that has no items.",
        parameters=[FilterSerializer],
        responses={200: JobSerializer(many=True), **errors(400, 403, 404)},
    )
    def get(self, request, job_id: int):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        job = job_get(user=request.user, job_id=job_id)
        if job is None:
            if Job.objects.filter(pk=job_id).exists():
                raise PermissionDenied("This is another user's job; you can list only yours.")
            raise NotFound(f"There is no job #{job_id}.")
        if not kinds.get(job.kind).has_children:
            raise NotFound(f"Job #{job_id} is not a bulk job; it has no items.")
        items = bulk_items(job, status=filters.validated_data.get("status") or None)
        return self.paginated(items, job_representations)


class JobCancelApi(APIView):
    @extend_schema(
        tags=["jobs"],
        summary="Cancel a job",
        description="A queued job is cancelled at once; a running one stops at its next "
        "progress report (its status stays processing until then); a bulk job cancels "
        "its unfinished items. 409 when the job has already finished.",
        request=None,
        responses={200: JobSerializer, **errors(404, 409)},
    )
    def post(self, request, job_id: int):
        job = job_cancel(job=_job_or_404(request.user, job_id), user=request.user)
        return Response(job_representation(job))


class JobRetryApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    @extend_schema(
        tags=["jobs"],
        summary="Retry a failed or cancelled job",
        description="A bulk job retries its failed and cancelled items. 409 for a job "
        "that is queued, processing or completed.",
        request=None,
        parameters=[_RETRY_AFTER],
        responses={202: JobSerializer, **errors(404, 409, 429)},
    )
    def post(self, request, job_id: int):
        job = job_retry(job=_job_or_404(request.user, job_id), user=request.user)
        return Response(job_representation(job), status=status.HTTP_202_ACCEPTED)


class JobHideApi(APIView):
    @extend_schema(
        tags=["jobs"],
        summary="Hide a finished job",
        description="It leaves the list (see hidden=1) and stays in the database; a bulk "
        "job hides its items too. 409 for a job that has not finished.",
        request=None,
        responses={200: JobSerializer, **errors(404, 409)},
    )
    def post(self, request, job_id: int):
        job = job_hide(job=_job_or_404(request.user, job_id), user=request.user)
        return Response(job_representation(job))


# --- all of a person's jobs at once ---------------------------------------------------------
class _KindInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Job.Kind.choices,
        required=False,
        allow_blank=True,
        help_text="Only the jobs of this kind; omitted: every kind.",
    )


class JobsClearFinishedApi(APIView):
    class InputSerializer(_KindInput):
        class Meta:
            ref_name = "JobsClearFinishedInput"

    class OutputSerializer(serializers.Serializer):
        hidden = serializers.IntegerField(help_text="How many finished jobs were hidden.")

        class Meta:
            ref_name = "JobsClearFinished"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["jobs"],
        summary="Clear your finished jobs (staff: everyone's)",
        description="Hides every finished job (completed, failed, cancelled), as hiding one "
        "does: they leave the list (see hidden=1) and stay in the database. Running and "
        "queued jobs stay.",
        request=InputSerializer,
        responses={200: OutputSerializer, **errors(400)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hidden = jobs_clear_finished(
            user=request.user, kind=serializer.validated_data.get("kind") or None
        )
        return Response(self.OutputSerializer({"hidden": hidden}).data)


class JobsRetryFailedApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(_KindInput):
        class Meta:
            ref_name = "JobsRetryFailedInput"

    class OutputSerializer(serializers.Serializer):
        retried = serializers.IntegerField(help_text="How many failed jobs were queued again.")
        skipped = serializers.IntegerField(
            help_text="How many could not be: their video is being downloaded by another "
            "job, or they changed meanwhile."
        )

        class Meta:
            ref_name = "JobsRetryFailed"

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["jobs"],
        summary="Retry your failed jobs (staff: everyone's)",
        description="Each failed job runs again as retrying it does (a bulk job: its failed "
        "and cancelled items); cancelled jobs are left alone.",
        request=InputSerializer,
        parameters=[_RETRY_AFTER],
        responses={202: OutputSerializer, **errors(400, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = jobs_retry_failed(
            user=request.user, kind=serializer.validated_data.get("kind") or None
        )
        data = {"retried": outcome.retried, "skipped": outcome.skipped}
        return Response(self.OutputSerializer(data).data, status=status.HTTP_202_ACCEPTED)


# The ids a refusal names; more are counted, not listed (10,000 ids would make a 200 kB answer).
MISSING_IDS_LISTED = 20


def _missing_ids_sentence(missing: list[str]) -> str:
    listed = ", ".join(missing[:MISSING_IDS_LISTED])
    more = len(missing) - MISSING_IDS_LISTED
    if more > 0:
        return f"There are no videos with these ids: {listed} and {more} more."
    return f"There are no videos with these ids: {listed}."
