"""The library's history: one place writes it (``history_record``), every service calls it."""

from __future__ import annotations

from collections.abc import Iterable

from jobs.deliveries import deliver_history_event, deliver_history_events, grabs_delivered
from jobs.models import HistoryEvent, Job
from mvidarr.rows import rows_insert
from videos.models import Artist

Event = HistoryEvent.Event


def history_event(
    event: str,
    *,
    video=None,
    artist=None,
    source=None,
    job: Job | None = None,
    user=None,
    origin: str | None = None,
    data: dict | None = None,
    title: str | None = None,
) -> HistoryEvent:
    """An unsaved row for ``event``; what is not given is taken from the video and the job.

    The artist, the title and the source (the one whose index found it) come from
    ``video``; who started it (``user``, ``origin``) from ``job``, else a person (``origin``
    user) when ``user`` is given, else the system.
    """
    if artist is None and video is not None:
        artist_id = video.artist_id
    else:
        artist_id = getattr(artist, "pk", None)
    if source is None and video is not None:
        source_id = video.indexed_from_id
    else:
        source_id = getattr(source, "pk", None)
    if title is None:
        title = history_title(video.title, video.source_url) if video is not None else ""
    if job is not None:
        user_id = job.user_id if user is None else user.pk
        origin = origin or job.origin
    else:
        user_id = getattr(user, "pk", None)
        origin = origin or (Job.Origin.USER if user_id else Job.Origin.SYSTEM)
    return HistoryEvent(
        event=event,
        video_id=getattr(video, "pk", None),
        title=(title or "")[:500],
        artist_id=artist_id,
        source_id=source_id,
        job_id=getattr(job, "pk", None),
        user_id=user_id,
        origin=origin,
        data=data or {},
    )


def history_title(title: str, source_url: str) -> str:
    """The title a history row keeps of a video: its title, else its source's URL."""
    return (title or source_url or "")[:500]


def download_data(job: Job) -> dict:
    """What a download's history rows say of it (:func:`download_options_data` of its
    options)."""
    return download_options_data(job.options)


def download_options_data(options: dict | None) -> dict:
    """What a download's history rows say of its ``options``: the quality asked for, or
    the profile followed (with the qualities it allows), and whether it was forced."""
    options = options or {}
    data = {"quality": options.get("quality")}
    if options.get("profile_name"):
        data.update(profile=options["profile_name"], allowed=options.get("allowed", []))
    if options.get("force"):
        data["force"] = True
    return data


def history_record(event: str, **fields) -> HistoryEvent:
    """Record one event (see :func:`history_event` for the fields), and start its
    deliveries to the connections switched on for it (:mod:`jobs.deliveries`)."""
    row = history_event(event, **fields)
    row.save()
    deliver_history_event(row, video=fields.get("video"), job=fields.get("job"))
    return row


def history_record_many(rows: Iterable[HistoryEvent], *, batch_size: int = 500) -> None:
    """Record many events at once (an index that adds a thousand videos, a bulk download's
    grabs), and start their deliveries."""
    rows = HistoryEvent.objects.bulk_create(list(rows), batch_size=batch_size)
    deliver_history_events(rows)


def history_record_grabs(rows: list[dict], *, user_id: int | None, origin: str) -> None:
    """Record a bulk download's ``grabbed`` events at once: each row names its ``video_id``,
    ``title``, ``artist_id``, ``source_id``, ``job_id`` and ``data`` (as
    :func:`history_event` would take them from the video and the job).

    Written without a model instance each (:func:`mvidarr.rows.rows_insert`: a tenth of the
    time of 10,000 instances), unless a connection is told of grabs: its deliveries start
    from the rows, so they are built then (and each starts a notification job anyway)."""
    if grabs_delivered():
        history_record_many(
            HistoryEvent(event=Event.GRABBED, user_id=user_id, origin=origin, **row) for row in rows
        )
        return
    rows_insert(
        HistoryEvent, rows, common={"event": Event.GRABBED, "user_id": user_id, "origin": origin}
    )


def history_artist_merge(*, artist: Artist, into: Artist) -> int:
    """The story of ``artist``, merged into ``into``, becomes ``into``'s (before ``artist`` is
    deleted, which would leave its rows without an artist); returns how many rows."""
    return HistoryEvent.objects.filter(artist=artist).update(artist=into)
