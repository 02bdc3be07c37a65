"""A job's state machine. Each change is one conditional UPDATE on the row's status that
says whether it happened (two callers racing: one wins, the other changes nothing), then,
in the same transaction, the video's status follows (:mod:`jobs.transitions.video`), and
once that commits the job is pushed to the pages and its bulk job's summary recomputed.

::

    queued ──claim──▶ processing ──finish──▶ completed | failed | cancelled
      │  ▲                │                              │
      │  └────requeue─────┘  (a retry, a stopped worker)  │
      │  └────────────────requeue_finished───────────────┘  (a person's retry)
      └──cancel_queued──▶ cancelled

A running job is not cancelled from outside: :func:`job_request_cancel` flags it and its
worker ends it cancelled at its next progress report.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs import kinds, live
from jobs.history import Event, download_data, history_record
from jobs.models import Job
from jobs.progress import Publisher, publish_after_commit
from jobs.transitions.bulk import bulk_count_move, bulk_refresh, bulk_reopen
from jobs.transitions.video import videos_status_refresh
from mvidarr.redis_outage import skipped_while_down
from videos.models import Video, VideoFile
from videos.selectors import file_quality

Status = Job.Status


def job_claim(*, job_id: int, worker_id: str, publisher: Publisher | None = None) -> Job | None:
    """Take a queued job for this worker (an attempt starts: attempts + 1, progress 0);
    None when someone else has it or it is gone. Returns the job with its video loaded."""
    now = timezone.now()
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.PROCESSING,
            started_at=now,
            heartbeat_at=now,
            worker=worker_id[:128],
            attempts=F("attempts") + 1,
            progress=0.0,
            message="Starting",
        )
        if claimed != 1:
            return None
        _follow(Job(pk=job_id), publisher=publisher, moved=(Status.QUEUED, Status.PROCESSING))
        return Job.objects.select_related("video__artist", "user").get(pk=job_id)


def job_finish(
    *,
    job: Job,
    status: str,
    message: str,
    error: str = "",
    progress: float | None = None,
    condition: Q | None = None,
    publisher: Publisher | None = None,
) -> bool:
    """End a running job as ``status`` (completed, failed or cancelled); False when it was
    not running (or did not match ``condition``, e.g. a stale heartbeat).

    A download that completes or fails is history (``downloaded``, ``failed`` with the
    reason), written in the same transaction."""
    if status not in Job.FINISHED_STATUSES:
        raise ValueError(f"{status!r} is not a final state")
    now = timezone.now()
    fields = {
        "status": status,
        "finished_at": now,
        "heartbeat_at": now,
        "message": message[:255],
        "error": error,
    }
    if progress is not None:
        fields["progress"] = progress
    running = Job.objects.filter(condition or Q(), pk=job.pk, status=Status.PROCESSING)
    with transaction.atomic():
        if not running.update(**fields):
            return False
        _follow(job, publisher=publisher, moved=(Status.PROCESSING, status))
        if status != Status.CANCELLED and kinds.get(job.kind).counts_as_download:
            _record_download_end(job)
    return True


def _record_download_end(job: Job) -> None:
    video = Video.objects.filter(pk=job.video_id).first() if job.video_id else None
    data = download_data(job)
    if job.status == Status.FAILED:
        history_record(Event.FAILED, video=video, job=job, data={"reason": job.error, **data})
        return
    stored = (
        VideoFile.objects.filter(video_id=job.video_id)
        .values("height", "width", "container", "format", "video_codec", "audio_codec")
        .first()
    ) or {}
    facts = {key: stored[key] for key in ("height", "container", "format") if key in stored}
    upgrade = (job.options or {}).get("upgrade")
    if upgrade and stored:
        # An upgrade's new file is stored: what it was and what it is now.
        new = file_quality(
            stored["height"], stored["width"], stored["video_codec"], stored["audio_codec"]
        )
        old = upgrade.get("from")
        facts.update(old_quality=old or "unknown", new_quality=new or "unknown")
        history_record(Event.UPGRADED, video=video, job=job, data={**data, **facts})
        return
    history_record(Event.DOWNLOADED, video=video, job=job, data={**data, **facts})


def job_requeue(
    *,
    job: Job,
    message: str,
    error: str | None = None,
    refund_attempt: bool = False,
    condition: Q | None = None,
    publisher: Publisher | None = None,
) -> bool:
    """Put a running job back in the queue (a transient fault, a worker stopping or gone);
    its attempts stay counted unless ``refund_attempt``. ``error`` None keeps the last one.
    False when it was not running (or did not match ``condition``). The caller sends its
    message."""
    fields: dict = {
        "status": Status.QUEUED,
        "message": message[:255],
        "worker": "",
        "heartbeat_at": None,
        "cancel_requested": False,
    }
    if error is not None:
        fields["error"] = error
    if refund_attempt:
        fields["attempts"] = F("attempts") - 1
    running = Job.objects.filter(condition or Q(), pk=job.pk, status=Status.PROCESSING)
    with transaction.atomic():
        if not running.update(**fields):
            return False
        _follow(job, publisher=publisher, moved=(Status.PROCESSING, Status.QUEUED))
    return True


def job_requeue_finished(
    *, job: Job, reopen_parent: bool = True, publisher: Publisher | None = None
) -> bool:
    """Queue a failed or cancelled job afresh (a person's retry: attempts from 0); its
    finished bulk job runs again unless ``reopen_parent`` is False. False when it was not
    failed or cancelled. The caller sends its message.

    Raises ``IntegrityError`` (and changes nothing) when the video has another active
    download.
    """
    fields = {
        "status": Status.QUEUED,
        "attempts": 0,
        "progress": 0.0,
        "error": "",
        "message": "Waiting for a worker",
        "cancel_requested": False,
        "started_at": None,
        "finished_at": None,
        "heartbeat_at": None,
        "worker": "",
    }
    with transaction.atomic():
        # One status at a time, so that the item's bulk job counts it out of the right one.
        was = next(
            (
                old
                for old in (Status.FAILED, Status.CANCELLED)
                if Job.objects.filter(pk=job.pk, status=old).update(**fields)
            ),
            None,
        )
        if was is None:
            return False
        job_id, parent_id = job.pk, job.parent_id
        transaction.on_commit(lambda: live.clear_live(job_id, parent_id=parent_id))
        _follow(job, publisher=publisher, moved=(was, Status.QUEUED))
        if reopen_parent and parent_id is not None:
            bulk_reopen(parent_id=parent_id)
    return True


def job_cancel_queued(
    *, job: Job, message: str = "Cancelled", publisher: Publisher | None = None
) -> bool:
    """Cancel a job that waits for a worker; False when it was not queued."""
    queued = Job.objects.filter(pk=job.pk, status=Status.QUEUED)
    with transaction.atomic():
        if not queued.update(status=Status.CANCELLED, finished_at=timezone.now(), message=message):
            return False
        _follow(job, publisher=publisher, moved=(Status.QUEUED, Status.CANCELLED))
    return True


def job_cancel_queued_items(
    *, parent: Job, message: str = "Cancelled", publisher: Publisher | None = None
) -> int:
    """Cancel every queued item of bulk job ``parent`` at once (one UPDATE of the items,
    one of its counters, the videos' statuses in chunks); return how many. An item claimed
    meanwhile is not among them. The items are not pushed one by one (thousands of pushes):
    the bulk job is, once this commits, and the pages read its items afresh."""
    now = timezone.now()
    queued = Job.objects.filter(parent_id=parent.pk, status=Status.QUEUED)
    with transaction.atomic():
        video_ids = list(queued.exclude(video=None).values_list("video_id", flat=True))
        cancelled = queued.update(status=Status.CANCELLED, finished_at=now, message=message)
        if not cancelled:
            return 0
        Job.objects.filter(pk=parent.pk).update(
            items_queued=F("items_queued") - cancelled,
            items_cancelled=F("items_cancelled") + cancelled,
        )
        videos_status_refresh(video_ids=video_ids)
        parent_id = parent.pk
        transaction.on_commit(lambda: bulk_refresh(parent_id=parent_id, publisher=publisher))
    return cancelled


def job_request_cancel(*, job: Job, publisher: Publisher | None = None) -> bool:
    """Cancel a queued job at once, or ask a running one to stop (through Redis, once this
    commits); False when it has finished (``job`` then shows how)."""
    with transaction.atomic():
        if job_cancel_queued(job=job, publisher=publisher):
            return True
        running = Job.objects.filter(pk=job.pk, status=Status.PROCESSING)
        if not running.update(cancel_requested=True, message="Cancelling…"):
            job.refresh_from_db()
            return False
        job_id = job.pk
        transaction.on_commit(lambda: live.request_cancel(job_id))
        job.refresh_from_db()
        publish_after_commit(job, publisher=publisher)
    return True


def _follow(job: Job, *, publisher: Publisher | None, moved: tuple[str, str]) -> None:
    """What follows a change of status ``moved`` (old, new): the video's status and the
    bulk job's counters (now, in the transaction), the push, and once an item has finished
    its bulk job's summary and its live figure's end (once it commits)."""
    job.refresh_from_db()
    if job.video_id is not None:
        videos_status_refresh(video_ids=[job.video_id])
    publish_after_commit(job, publisher=publisher)
    if job.parent_id is None:
        return
    old, new = moved
    bulk_count_move(parent_id=job.parent_id, old=old, new=new)
    if new in Job.FINISHED_STATUSES:
        job_id, parent_id = job.pk, job.parent_id
        transaction.on_commit(lambda: _item_finished(job_id, parent_id, publisher))


def _item_finished(job_id: int, parent_id: int, publisher: Publisher | None) -> None:
    # A finished item's live figure leaves its bulk job's hash: the summary adds up the
    # running items' figures only.
    with skipped_while_down("live figures"):
        live.forget_child(job_id, parent_id=parent_id)
    bulk_refresh(parent_id=parent_id, publisher=publisher)
