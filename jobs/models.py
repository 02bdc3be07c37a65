"""Job records: the database row is the truth for a job's state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jobs import kinds


class Job(models.Model):
    Kind = kinds.Kind  # the built-in kinds by name; the column accepts every registered one

    class Origin(models.TextChoices):
        USER = "user", "User"
        SCHEDULE = "schedule", "Schedule"
        SYSTEM = "system", "System"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATUSES = (Status.QUEUED, Status.PROCESSING)
    FINISHED_STATUSES = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=32, choices=kinds.choices)
    # Who started it: a person (``user`` says who), the scheduler, or MVidarr by itself.
    # Jobs without a user are seen and acted on by staff only.
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.USER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    # {"quality": "720p", "force": false} for downloads; {"url": ..., "import": true} for probes.
    options = models.JSONField(default=dict, blank=True)
    video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    # Indexed only where it is set (Meta.indexes): "parent IS NULL", every top-level list's
    # filter, must not look like a selective index lookup to the planner.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    message_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    worker = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    # A bulk job's items by status (zero for other jobs): moved in the same transaction as
    # the item's own change (jobs.transitions), so the bulk job's state costs the same for
    # 10 items or 10,000.
    items_queued = models.PositiveIntegerField(default=0)
    items_running = models.PositiveIntegerField(default=0)
    items_completed = models.PositiveIntegerField(default=0)
    items_failed = models.PositiveIntegerField(default=0)
    items_cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["video"],
                condition=models.Q(
                    kind__in=kinds.names(holds_video_slot=True),
                    status__in=["queued", "processing"],
                ),
                name="one_active_download_per_video",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="job_progress_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["status", "heartbeat_at"]),
            # The newest job of a kind (the pages' "Refresh metadata" panel): read from the
            # kind's own jobs, not backwards through every job there is.
            models.Index(fields=["kind", "id"], name="job_kind_newest"),
            # The lists, newest first (the API, the dashboard, the feed's snapshot), all of
            # them or by status: read in index order, never sorted.
            models.Index(fields=["created_at", "id"], name="job_newest"),
            models.Index(fields=["status", "created_at", "id"], name="job_status_newest"),
            # What finished when: the ops figures' windows and housekeeping's prune.
            models.Index(fields=["finished_at", "status", "kind"], name="job_finished"),
            # The jobs-by-state gauge (counted from the index alone, in its order), and what
            # finished when by state and kind (the ops page's windows).
            models.Index(fields=["status", "kind", "finished_at"], name="job_state"),
            # A bulk job's items: the active ones, the most recently finished ones (and the
            # cascade when it is pruned). Only where a parent is set: "parent IS NULL", every
            # top-level list's filter, must not look like a selective lookup to the planner.
            models.Index(
                fields=["parent", "status", "id"],
                condition=models.Q(parent__isnull=False),
                name="job_parent_status",
            ),
            models.Index(
                fields=["parent", "-finished_at"],
                condition=models.Q(parent__isnull=False),
                name="job_parent_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def item_counts(self) -> dict[str, int]:
        """A bulk job's items by status: queued, running, completed, failed, cancelled."""
        return {name: getattr(self, f"items_{name}") for name in ITEM_COUNTS}


# The statuses an item is counted under (``Job.items_<name>``) and the key each is in
# ``counts``: a running item is ``processing``.
ITEM_COUNTS = {
    "queued": Job.Status.QUEUED,
    "running": Job.Status.PROCESSING,
    "completed": Job.Status.COMPLETED,
    "failed": Job.Status.FAILED,
    "cancelled": Job.Status.CANCELLED,
}
COUNT_FIELD = {status: f"items_{name}" for name, status in ITEM_COUNTS.items()}


class HistoryEvent(models.Model):
    """What happened to the library, and who or what made it happen: one row per event.

    Written by :func:`jobs.history.history_record` only; kept as long as finished jobs.
    """

    class Event(models.TextChoices):
        ADDED = "added", "Added"
        INDEXED = "indexed", "Indexed"
        GRABBED = "grabbed", "Grabbed"
        # A source was found for a video without one: by the resolver, or chosen by a person.
        RESOLVED = "resolved", "Source found"
        DOWNLOADED = "downloaded", "Downloaded"
        UPGRADED = "upgraded", "Upgraded"
        FAILED = "failed", "Failed"
        DELETED = "deleted", "Deleted"
        IGNORED = "ignored", "Ignored"
        RENAMED = "renamed", "Renamed"
        IMPORTED = "imported", "Imported"
        # A provider (IMVDb, MusicBrainz) filled or changed fields: data {field: {from, to}}.
        METADATA_CHANGED = "metadata_changed", "Metadata changed"

    event = models.CharField(max_length=32, choices=Event.choices)
    created_at = models.DateTimeField(default=timezone.now)
    video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the video was called then: the row outlives the video.
    title = models.CharField(max_length=500, blank=True)
    artist = models.ForeignKey(
        "videos.Artist", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        "videos.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="history"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(max_length=16, choices=Job.Origin.choices, default=Job.Origin.USER)
    # The event's particulars: {"reason": …} for failed, the counts for indexed, the quality…
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["event", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.title}".strip()


class ImportRow(models.Model):
    """One file an import scan found (``job``: the scan), what it was matched to, and what
    is wrong with it; ``applied`` once an import job made it a video's file."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="import_rows")
    index = models.PositiveIntegerField()
    path = models.CharField(max_length=4096)  # as found, absolute
    artist = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=500, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    matched_video = models.ForeignKey(
        "videos.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What matched: "nfo", "name_id", "tags" or "name".
    source = models.CharField(max_length=16, blank=True)
    confidence = models.FloatField(default=0.0)
    problems = models.JSONField(default=list, blank=True)
    applied = models.BooleanField(default=False)
    # What the import did with it: "Imported as #12", or why it was skipped.
    outcome = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="import_row_unique_index"),
        ]

    def __str__(self) -> str:
        return f"{self.path} (scan #{self.job_id})"
