"""The one representation of a job, for the REST API and the WebSocket alike."""

from __future__ import annotations

from rest_framework import serializers

from jobs import kinds
from jobs.models import Job
from jobs.titles import job_link, job_title
from videos.selectors import video_artwork_url


class JobVideoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    artist = serializers.SerializerMethodField()
    artwork = serializers.SerializerMethodField(
        help_text="The address of MVidarr's own copy of the video's artwork (as the video's "
        "`artwork`); null when it has none."
    )

    def get_artist(self, video) -> str | None:
        return video.artist.name if video.artist_id and video.artist else None

    def get_artwork(self, video) -> str | None:
        return video_artwork_url(video)


class JobSerializer(serializers.ModelSerializer):
    """A job with its live figures.

    ``context["live"]`` maps job ids to the figures :mod:`jobs.live` holds (progress, speed,
    eta, seq). A parent job (a bulk download) carries ``counts`` (its items by status) and
    its items as ``items`` when ``context["items"]`` maps its id to them (at most
    :data:`jobs.selectors.ITEMS_SHOWN`: see :func:`jobs.selectors.bulk_items_shown`); over
    the WebSocket a parent's change leaves ``items`` out (null: each item's change is a
    message of its own).
    """

    video = JobVideoSerializer(read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()
    speed = serializers.SerializerMethodField()
    eta = serializers.SerializerMethodField()
    seq = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "origin",
            "status",
            "progress",
            "message",
            "error",
            "attempts",
            "options",
            "video",
            "parent",
            "speed",
            "eta",
            "seq",
            "created_at",
            "started_at",
            "finished_at",
            "hidden",
            "counts",
            "items",
            "title",
            "link",
        ]
        read_only_fields = fields

    def _live(self, job: Job) -> dict:
        return self.context.get("live", {}).get(job.pk, {})

    def get_progress(self, job: Job) -> float:
        live = self._live(job)
        if job.status == Job.Status.PROCESSING and "progress" in live:
            return round(max(float(live["progress"]), job.progress), 1)
        return round(job.progress, 1)

    def get_speed(self, job: Job) -> float | None:
        if job.status != Job.Status.PROCESSING:
            return None
        return self._live(job).get("speed")

    def get_eta(self, job: Job) -> float | None:
        if job.status != Job.Status.PROCESSING:
            return None
        return self._live(job).get("eta")

    def get_seq(self, job: Job) -> int:
        return int(self._live(job).get("seq", 0))

    def get_title(self, job: Job) -> str:
        """What a person calls the job (``jobs.titles``): the pages show it."""
        return job_title(job)

    def get_link(self, job: Job) -> str | None:
        """The page of what the job works on, when there is one."""
        return job_link(job)

    def get_counts(self, job: Job) -> dict[str, int] | None:
        """A bulk job's items by status (queued, running, completed, failed, cancelled);
        null for other kinds."""
        if not kinds.get(job.kind).has_children:
            return None
        return job.item_counts

    def get_items(self, job: Job) -> list[dict] | None:
        if not kinds.get(job.kind).has_children:
            return None
        children = self.context.get("items", {}).get(job.pk)
        if children is None:
            return None
        return JobSerializer(children, many=True, context=self.context).data
