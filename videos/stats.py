"""The library in figures: how many videos, artists and files, their size and duration, by
quality and by status — what the statistics page and ``GET /api/stats/`` show.

Three aggregate queries whatever the size of the library (the videos by status, the files
by quality with their size and duration, the artists); nothing is loaded row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from videos import quality
from videos.cutoff import UNKNOWN_RANK, file_rank
from videos.models import Artist, Video, VideoFile

# The name a file of unknown height is counted under.
UNKNOWN_QUALITY = "unknown"


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    videos: int


@dataclass(frozen=True)
class QualityCount:
    quality: str  # "1080p" … "audio", or "unknown"
    files: int
    size: int  # bytes (files whose size is not known count as 0)
    duration: float  # seconds


@dataclass(frozen=True)
class LibraryStats:
    videos: int
    artists: int
    files: int
    size: int
    duration: float
    by_status: list[StatusCount]
    by_quality: list[QualityCount]


def library_stats(*, artist_id: int | None = None) -> LibraryStats:
    """The library's figures, or one artist's (``artist_id``; ``artists`` is then 1)."""
    videos = Video.objects.all()
    files = VideoFile.objects.all()
    if artist_id is not None:
        videos = videos.filter(artist_id=artist_id)
        files = files.filter(video__artist_id=artist_id)
    statuses = dict(videos.order_by().values_list("status").annotate(n=Count("id")))
    by_status = [
        StatusCount(status=value, label=str(label), videos=statuses.get(value, 0))
        for value, label in Video.Status.choices
    ]
    rows = (
        files.order_by()
        .annotate(rank=file_rank(""))
        .values("rank")
        .annotate(n=Count("id"), size=Sum("size"), duration=Sum("video__duration"))
    )
    found = {row["rank"]: row for row in rows}
    by_quality = []
    for name in (*quality.PROFILE_QUALITIES, UNKNOWN_QUALITY):
        row = found.get(UNKNOWN_RANK if name == UNKNOWN_QUALITY else quality.rank(name))
        if row is None:
            continue
        by_quality.append(
            QualityCount(
                quality=name,
                files=row["n"],
                size=int(row["size"] or 0),
                duration=float(row["duration"] or 0.0),
            )
        )
    if artist_id is None:
        artists = Artist.objects.count()
    else:
        artists = int(Artist.objects.filter(pk=artist_id).exists())
    return LibraryStats(
        videos=sum(statuses.values()),
        artists=artists,
        files=sum(item.files for item in by_quality),
        size=sum(item.size for item in by_quality),
        duration=sum(item.duration for item in by_quality),
        by_status=by_status,
        by_quality=by_quality,
    )
