"""Telling the connections what happened: an event becomes delivery jobs.

:func:`deliver_history_event` is called by :func:`jobs.history.history_record` for each
event it writes, in the same transaction: a grab, a download (an upgrade, an import), a
failed download, a rename, a deletion becomes its ``eventType``
(:mod:`connections.events`), and each enabled connection switched on for it gets a
``notify`` job carrying the payload (built now: a deleted video is gone when the job runs).
A media server instead gets its folder added to a pending refresh
(:class:`connections.models.PendingRefresh`, one row per connection and folder) whose
``media_refresh`` job is sent with a delay of the refresh window: changes to that folder
within the window join the row and make no other job. The row lives in the
database, so the window holds across processes.

Jobs are sent once the transaction commits. This module sends them itself rather than
through :mod:`jobs.services.queueing`, since ``jobs.history`` (which every service imports)
must not import the services package. A message that cannot be sent (Redis down) leaves the
job queued without a message id; housekeeping sends it when Redis is back.
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from typing import Any

import dramatiq
from django.conf import settings
from django.db import IntegrityError, transaction

from connections import events
from connections.kinds import MEDIA_SERVERS
from connections.models import Connection, PendingRefresh
from connections.payloads import event_payload, health_payload, test_payload
from connections.selectors import connections_for
from jobs import kinds, live
from jobs.models import HistoryEvent, Job
from mvidarr.redis_outage import REDIS_DOWN
from preferences.selectors import setting_get
from videos.models import Video, VideoFile

logger = logging.getLogger(__name__)

Event = HistoryEvent.Event
UpdateType = PendingRefresh.UpdateType


def send_on_commit(job: Job, *, delay_ms: int | None = None) -> None:
    """Enqueue ``job``'s message once the transaction commits (after ``delay_ms``)."""
    route = kinds.get(job.kind).route_for(in_parent=False)
    message = dramatiq.Message(
        queue_name=route.queue, actor_name=route.actor, args=(job.pk,), kwargs={}, options={}
    )

    def enqueue() -> None:
        try:
            dramatiq.get_broker().enqueue(message, delay=delay_ms)
        except REDIS_DOWN as exc:
            logger.warning("job %s is queued but could not be sent (%s)", job.pk, exc)
            return
        Job.objects.filter(pk=job.pk).update(message_id=message.message_id)

    transaction.on_commit(enqueue)


def notify_submit(
    *,
    connection: Connection,
    event: str,
    payload: dict[str, Any],
    user=None,
) -> Job:
    """A ``notify`` job delivering ``payload`` to ``connection``; sent after the commit.

    The job names no video: the payload says which, and a deleted video's job would go
    with it."""
    shown = event == events.TEST  # a test is followed by the person who asked for it
    job = Job.objects.create(
        kind=kinds.NOTIFY,
        user=user,
        origin=Job.Origin.USER if user is not None else Job.Origin.SYSTEM,
        options={"connection": connection.pk, "event": event, "payload": payload},
        message="Waiting for a worker",
        hidden=not shown,
    )
    send_on_commit(job)
    return job


@transaction.atomic
def connection_test_submit(*, connection: Connection, user) -> Job:
    """Send a ``Test`` event to ``connection`` (a job; enabled or not, whatever its events).
    Raises redis' ConnectionError when Redis is down (the API answers 503)."""
    live.require_redis()
    return notify_submit(
        connection=connection, event=events.TEST, payload=test_payload(), user=user
    )


# --- the library's events -------------------------------------------------------------
def _event_type(row: HistoryEvent, job: Job | None) -> str | None:
    if row.event == Event.GRABBED:
        return events.GRAB
    if row.event in (Event.DOWNLOADED, Event.UPGRADED, Event.IMPORTED):
        return events.DOWNLOAD  # an imported file is new to the library, as Lidarr tells it
    if row.event == Event.FAILED and job is not None and kinds.get(job.kind).counts_as_download:
        return events.DOWNLOAD_FAILURE
    if row.event == Event.DELETED:
        return events.VIDEO_DELETE
    if row.event == Event.RENAMED:
        return events.RENAME
    return None


def grabs_delivered() -> bool:
    """Whether a connection switched on is told of grabs (``grabbed`` history rows)."""
    return bool(connections_for(events.GRAB))


def deliver_history_events(rows: list[HistoryEvent]) -> None:
    """:func:`deliver_history_event` for rows written at once (a bulk download's grabs)."""
    if not rows or not Connection.objects.filter(enabled=True).exists():
        return
    for row in rows:
        deliver_history_event(row, video=None, job=None)


def deliver_history_event(row: HistoryEvent, *, video: Video | None, job: Job | None) -> None:
    """Start the deliveries of the event ``row`` records (none for most events). A fault
    here is logged and never undoes the event."""
    if job is None and row.job_id and row.event == Event.FAILED:
        job = Job.objects.filter(pk=row.job_id).first()  # which kind of job failed
    event = _event_type(row, job)
    if event is None:
        return
    try:
        with transaction.atomic():
            targets = connections_for(event)
            if not targets:
                return
            if job is None and row.job_id:
                job = Job.objects.filter(pk=row.job_id).first()
            if video is None and row.video_id:
                video = Video.objects.filter(pk=row.video_id).select_related("artist").first()
            video_file = VideoFile.objects.filter(video_id=video.pk).first() if video else None
            payload = None
            for connection in targets:
                if connection.kind in MEDIA_SERVERS:
                    for folder, update_type in _changed_folders(event, row, video_file):
                        refresh_pending(
                            connection=connection, folder=folder, update_type=update_type
                        )
                    continue
                if payload is None:
                    payload = _payload(event, row, video=video, video_file=video_file, job=job)
                notify_submit(connection=connection, event=event, payload=payload)
    except Exception:
        logger.exception("history event %s: its deliveries could not be started", row.pk)


def _payload(event: str, row: HistoryEvent, **about: Any) -> dict[str, Any]:
    data = row.data or {}
    extra: dict[str, Any] = {}
    if event == events.DOWNLOAD:
        extra["isUpgrade"] = row.event == Event.UPGRADED
        extra["isImport"] = row.event == Event.IMPORTED
        if extra["isImport"]:
            extra.update(importMode=data.get("mode"), sourcePath=data.get("path"))
        if extra["isUpgrade"]:
            extra.update(oldQuality=data.get("old_quality"), newQuality=data.get("new_quality"))
    elif event == events.DOWNLOAD_FAILURE:
        extra["message"] = data.get("reason", "")
    elif event == events.RENAME:
        extra["previousPath"] = data.get("old", "")
    elif event == events.VIDEO_DELETE:
        extra["deletedFiles"] = bool(data.get("delete_file"))
    if event in (events.GRAB, events.DOWNLOAD, events.DOWNLOAD_FAILURE):
        extra["quality"] = data.get("quality")
    return event_payload(event, **about, **extra)


def _folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _library_folder(path: object) -> str | None:
    """The folder, relative to the library, of the absolute ``path`` when it lies inside
    the library (a file imported in place was there); else None."""
    if not isinstance(path, str) or not path:
        return None
    root = Path(settings.LIBRARY_ROOT).resolve()
    parent = Path(path).parent
    if not parent.is_relative_to(root):
        return None
    return parent.relative_to(root).as_posix()


def _changed_folders(
    event: str, row: HistoryEvent, video_file: VideoFile | None
) -> list[tuple[str, str]]:
    """The library folders ``event`` changed, each with what happened there."""
    data = row.data or {}
    if event == events.RENAME and data.get("old") and data.get("new"):
        old, new = _folder(data["old"]), _folder(data["new"])
        if old == new:
            return [(new, UpdateType.MODIFIED)]
        return [(old, UpdateType.DELETED), (new, UpdateType.CREATED)]
    if video_file is None:
        return []
    if event == events.DOWNLOAD:
        # An upgrade replaced a file the media server knew.
        kind = UpdateType.MODIFIED if row.event == Event.UPGRADED else UpdateType.CREATED
        changed = [(_folder(video_file.path), kind)]
        left = _library_folder(data.get("path")) if row.event == Event.IMPORTED else None
        if left is not None and left != changed[0][0]:
            changed.insert(0, (left, UpdateType.DELETED))  # imported in place: it moved
        return changed
    if event == events.VIDEO_DELETE and data.get("delete_file"):
        return [(_folder(video_file.path), UpdateType.DELETED)]
    return []


def refresh_window_ms() -> int:
    return int(setting_get("connections.refresh_window_seconds")) * 1000


def refresh_pending(*, connection: Connection, folder: str, update_type: str) -> Job | None:
    """Note that ``folder`` changed for ``connection``'s media server. The first change in
    a window starts a ``media_refresh`` job sent after the window; the others join its row.
    Returns the job started, or None when one was waiting already."""
    with transaction.atomic():
        pending = (
            PendingRefresh.objects.select_for_update()
            .filter(connection=connection, folder=folder)
            .first()
        )
        if pending is None:
            try:
                with transaction.atomic():
                    pending = PendingRefresh.objects.create(
                        connection=connection, folder=folder, update_type=update_type
                    )
            except IntegrityError:  # another process made it meanwhile: join it
                pending = PendingRefresh.objects.select_for_update().get(
                    connection=connection, folder=folder
                )
            else:
                job = Job.objects.create(
                    kind=kinds.MEDIA_REFRESH,
                    origin=Job.Origin.SYSTEM,
                    options={"connection": connection.pk, "pending": pending.pk, "folder": folder},
                    message="Waiting for the refresh window to close",
                    hidden=True,
                )
                send_on_commit(job, delay_ms=refresh_window_ms())
                return job
        if pending.update_type != update_type and pending.update_type != UpdateType.MODIFIED:
            pending.update_type = UpdateType.MODIFIED
            pending.save(update_fields=["update_type"])
        return None


# --- health -----------------------------------------------------------------------------
@transaction.atomic
def deliver_health(*, event: str, problems: list[str]) -> list[Job]:
    """Tell the connections switched on for ``Health`` / ``HealthRestored``. Raises redis'
    ConnectionError when Redis is down: a job queued then would wait for the outage to end,
    so the caller (:mod:`mvidarr.ops.healthwatch`) sends the event itself."""
    live.require_redis()
    payload = health_payload(event, problems=problems)
    return [
        notify_submit(connection=connection, event=event, payload=payload)
        for connection in connections_for(event)
        if connection.kind not in MEDIA_SERVERS
    ]
