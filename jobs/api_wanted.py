"""``/api/wanted/``: the videos the library still wants, and downloading them (staff);
``/api/wanted/cutoff/``: the files below their profile's cutoff, and checking them for an
upgrade now (staff).

Every signed-in user reads the lists; starting downloads or checks from them is for staff
(one request may queue thousands of videos for everyone's library).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from jobs.api import quality_field
from jobs.models import Job
from jobs.selectors import (
    job_representation,
    job_representations,
    upgrade_check_outcome,
    videos_last_upgrade_check,
)
from jobs.serializers import JobSerializer
from jobs.services.upgrades import UpgradeRun, upgrade_check_submit, upgrades_check_due
from jobs.services.wanted import wanted_download_submit
from mvidarr.api_docs import MAX_ID, RETRY_AFTER, documented_errors, error_responses
from mvidarr.pagination import ListApi
from videos.api.serializers import VideoOutputSerializer
from videos.models import Artist, Video
from videos.wanted import WANTED_FILTERS, cutoff_unmet_list, file_quality_name, wanted_list

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


class StaffMayCheck(StaffMayDownload):
    message = "Only staff can start upgrade checks; ask a staff member."


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
        "(of `artist`, of `status`) and are not already queued or downloading, at most 10,000, "
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


# --- cutoff unmet and upgrades ---------------------------------------------------------------
class CutoffProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="profile_ref", allow_null=True, help_text="Null: the built-in default."
    )
    name = serializers.CharField(source="profile_name")

    class Meta:
        ref_name = "CutoffProfile"


class UpgradeCheckOutcomeSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text="The upgrade_check job.")
    status = serializers.CharField(help_text="Its status.")
    outcome = serializers.CharField(help_text="What it found, in a sentence.")

    class Meta:
        ref_name = "UpgradeCheckOutcome"


class CutoffVideoSerializer(VideoOutputSerializer):
    quality = serializers.SerializerMethodField(
        help_text="The file's quality (from its real height; `audio` for audio only); null "
        "when its height is not known."
    )
    cutoff = serializers.CharField(help_text="The cutoff of the profile the video follows.")
    profile = CutoffProfileSerializer(
        source="*", help_text="The profile it follows: its artist's, else the default."
    )
    upgrade_checked_at = serializers.DateTimeField(
        allow_null=True, help_text="When the upgrade check last looked; null: never."
    )
    last_check = serializers.SerializerMethodField(
        help_text="The newest upgrade check of the video (whoever started it): its job, status "
        "and what it found in a sentence ('No better source: …', the upgrade queued, or why it "
        "failed); null when never checked."
    )

    class Meta:
        ref_name = "CutoffVideo"

    def get_quality(self, video) -> str | None:
        return file_quality_name(video)

    @extend_schema_field(UpgradeCheckOutcomeSerializer(allow_null=True))
    def get_last_check(self, video) -> dict | None:
        job = self.context.get("last_checks", {}).get(video.pk)
        if job is None:
            return None
        return {"job": job.pk, "status": job.status, "outcome": upgrade_check_outcome(job)}


class CutoffFilterSerializer(serializers.Serializer):
    artist = _artist_field()

    class Meta:
        ref_name = "CutoffFilter"


class CutoffListApi(ListApi):
    @extend_schema(
        tags=["wanted"],
        summary="Downloaded videos below their profile's cutoff",
        description="Downloaded videos whose file's quality (its real height, or audio only) "
        "is below the cutoff of their artist's quality profile, else the default profile, "
        "when that profile allows upgrades; by artist, then title.",
        parameters=[CutoffFilterSerializer],
        responses={200: CutoffVideoSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request):
        filters = CutoffFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = cutoff_unmet_list(artist_id=filters.validated_data.get("artist"))
        return self.paginated(queryset, _cutoff_videos)


def _cutoff_videos(page: list) -> list[dict]:
    """A page of the cutoff list, each with its last upgrade check (one query for the page)."""
    checks = videos_last_upgrade_check(video.pk for video in page)
    return CutoffVideoSerializer(page, many=True, context={"last_checks": checks}).data


class UpgradeCheckStartedSerializer(serializers.Serializer):
    claimed = serializers.IntegerField(help_text="Videos taken for a check.")
    started = serializers.IntegerField(help_text="Checks started.")
    still_running = serializers.IntegerField(
        help_text="Videos skipped because their previous check still runs."
    )
    jobs = JobSerializer(many=True, help_text="The upgrade_check jobs started.")

    class Meta:
        ref_name = "UpgradeCheckStarted"


class CutoffCheckApi(APIView):
    permission_classes = [IsAuthenticated, StaffMayCheck]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submit"

    class InputSerializer(serializers.Serializer):
        video = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=1,
            max_value=MAX_ID,
            help_text="A video of the cutoff-unmet list, checked now whenever it was last "
            "checked; omitted: the videos due, as the hourly run takes them.",
        )

        class Meta:
            ref_name = "UpgradeCheckInput"

        def validate_video(self, value: int | None) -> Video | None:
            if value is None:
                return None
            video = Video.objects.filter(pk=value).first()
            if video is None:
                raise serializers.ValidationError(f"There is no video #{value}.")
            return video

    def get_serializer(self, *args, **kwargs):
        return self.InputSerializer(*args, **kwargs)

    @extend_schema(
        tags=["wanted"],
        summary="Check for upgrades now (staff)",
        description="Starts upgrade_check jobs: for `video`, that one now; otherwise the "
        "videos of the cutoff-unmet list not checked in the last 7 days, at most 100, as the "
        "hourly run does. Each check probes the video's source and, when a quality its profile "
        "allows and better than its file's is offered, queues a forced re-download of it. 409 "
        "when the video is not below its cutoff or its check is already running, or when no "
        "video is due.",
        request=InputSerializer,
        parameters=[RETRY_AFTER],
        responses={202: UpgradeCheckStartedSerializer, **errors(400, 403, 409, 429)},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        video = serializer.validated_data["video"]
        if video is not None:
            job = upgrade_check_submit(video=video, user=request.user)
            run = UpgradeRun(claimed=1, started=1, still_running=0, jobs=[job])
        else:
            run = upgrades_check_due(
                now=timezone.now(),
                limit=settings.UPGRADE_CHECK_LIMIT,
                user=request.user,
                origin=Job.Origin.USER,
            )
        jobs = Job.objects.filter(pk__in=[job.pk for job in run.jobs]).select_related(
            "video__artist"
        )
        body = {
            "claimed": run.claimed,
            "started": run.started,
            "still_running": run.still_running,
            "jobs": job_representations(jobs.order_by("id")),
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)
