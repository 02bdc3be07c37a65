"""What a connection is told: the payload of an event, shaped like Lidarr's webhook payloads
(``eventType``, ``instanceName``, ``applicationUrl``, then the artist, video, file and job).

Built when the event happens (a deleted video is gone by the time the delivery runs) and
kept in the delivery job's options; the README documents each shape.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from connections import events
from preferences.selectors import setting_get
from videos.models import Artist, Video, VideoFile


def envelope(event: str, *, fallback: bool = False) -> dict[str, Any]:
    """The fields every payload has. With ``fallback`` (the database or Redis may be down)
    the settings' defaults stand in for what cannot be read."""
    try:
        name = setting_get("connections.instance_name")
        url = setting_get("connections.application_url")
    except Exception:
        if not fallback:
            raise
        name, url = "MVidarr", ""
    return {"eventType": event, "instanceName": name, "applicationUrl": url}


def artist_data(artist: Artist | None) -> dict[str, Any] | None:
    if artist is None:
        return None
    return {
        "id": artist.pk,
        "name": artist.name,
        "providerIds": getattr(artist, "provider_ids", None) or {},
    }


def video_data(video: Video | None) -> dict[str, Any] | None:
    if video is None:
        return None
    return {
        "id": video.pk,
        "title": video.title,
        "sourceUrl": video.source_url,
        "status": video.status,
        "year": getattr(video, "year", None),
        "album": getattr(video, "album", ""),
        "providerIds": getattr(video, "provider_ids", None) or {},
    }


def file_data(video_file: VideoFile | None, *, path: str | None = None) -> dict[str, Any] | None:
    """The file: ``relativePath`` inside the library, ``folder`` its folder there."""
    if video_file is None and path is None:
        return None
    relative = path if path is not None else video_file.path
    data: dict[str, Any] = {
        "relativePath": relative,
        "folder": str(PurePosixPath(relative).parent),
    }
    if video_file is not None:
        data.update(
            id=video_file.pk,
            size=video_file.size,
            width=video_file.width,
            height=video_file.height,
            container=video_file.container,
            format=video_file.format,
        )
    return data


def job_data(job: Any) -> dict[str, Any] | None:
    """The job behind the event (any object with the job's fields)."""
    if job is None:
        return None
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "origin": job.origin,
        "error": job.error,
    }


def event_payload(
    event: str,
    *,
    video: Video | None = None,
    video_file: VideoFile | None = None,
    job: Any = None,
    **extra: Any,
) -> dict[str, Any]:
    """The payload of ``event`` about ``video`` (its artist and file unless given)."""
    artist = video.artist if video is not None and video.artist_id else None
    if video_file is None and video is not None:
        video_file = VideoFile.objects.filter(video_id=video.pk).first()
    payload = envelope(event)
    payload.update(
        artist=artist_data(artist),
        video=video_data(video),
        file=file_data(video_file),
        job=job_data(job),
    )
    payload.update(extra)
    return payload


def test_payload() -> dict[str, Any]:
    payload = envelope(events.TEST)
    payload.update(
        message="This is a test from MVidarr: the connection works.",
        artist={"id": 0, "name": "Test Artist", "providerIds": {}},
        video={"id": 0, "title": "Test Video", "sourceUrl": "", "status": "downloaded"},
        file=None,
        job=None,
    )
    return payload


def health_payload(event: str, *, problems: list[str], fallback: bool = False) -> dict[str, Any]:
    payload = envelope(event, fallback=fallback)
    if event == events.HEALTH:
        payload.update(level="error", message=" ".join(problems) or "MVidarr is not ready.")
    else:
        payload.update(level="ok", message="MVidarr is ready again.")
    payload.update(problems=problems)
    return payload


def _download_verb(payload: dict[str, Any]) -> str:
    if payload.get("isUpgrade"):
        return "Upgraded"
    return "Imported" if payload.get("isImport") else "Downloaded"


def summary(payload: dict[str, Any]) -> tuple[str, str]:
    """A short title and text of the event, for chat, e-mail and push (Apprise)."""
    event = payload.get("eventType", "")
    name = payload.get("instanceName") or "MVidarr"
    video = payload.get("video") or {}
    artist = payload.get("artist") or {}
    what = " - ".join(part for part in (artist.get("name"), video.get("title")) if part)
    what = what or video.get("sourceUrl") or "a video"
    file = payload.get("file") or {}
    job = payload.get("job") or {}
    texts = {
        events.TEST: payload.get("message", "Test"),
        events.GRAB: f"Grabbed {what}: the download is queued.",
        events.DOWNLOAD: (
            f"{_download_verb(payload)} {what}"
            + (f" ({file['height']}p)." if file.get("height") else ".")
        ),
        events.RENAME: f"Renamed {what}: {payload.get('previousPath', '')} → "
        f"{file.get('relativePath', '')}.",
        events.VIDEO_DELETE: f"Deleted {what}"
        + (" and its file." if payload.get("deletedFiles") else " (its file was kept)."),
        events.DOWNLOAD_FAILURE: f"Download of {what} failed: "
        f"{payload.get('message') or job.get('error') or 'no reason given'}",
        events.HEALTH: f"Health check failing: {payload.get('message', '')}",
        events.HEALTH_RESTORED: payload.get("message", "MVidarr is ready again."),
    }
    title = f"{name}: {events.LABELS.get(event, event)}"
    return title, texts.get(event, event)
