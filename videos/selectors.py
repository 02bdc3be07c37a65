"""Reading the library: artists and videos, listed, filtered and looked up."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Lower

from videos.models import Artist, Video, VideoFile


def artist_list(*, search: str = "") -> QuerySet[Artist]:
    """Artists in sort order, each with ``video_count``; ``search`` matches the name."""
    # Meta.ordering does not apply to a GROUP BY query: order explicitly.
    queryset = Artist.objects.annotate(video_count=Count("videos")).order_by(
        Lower("sort_name"), Lower("name"), "id"
    )
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(sort_name__icontains=search))
    return queryset


def artist_get(*, artist_id: int) -> Artist | None:
    """The artist with ``video_count``, or None."""
    return artist_list().filter(pk=artist_id).first()


def artist_find_by_name(name: str, *, exclude_id: int | None = None) -> Artist | None:
    """The artist whose name equals ``name`` ignoring case and repeated spaces, or None."""
    name = " ".join(name.split())
    # Lower on both sides, as the unique constraint does (SQLite folds ASCII only).
    queryset = Artist.objects.annotate(lname=Lower("name")).filter(lname=Lower(Value(name)))
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.first()


def video_list(
    *, status: str = "", artist_id: int | None = None, search: str = ""
) -> QuerySet[Video]:
    """Videos, newest first; ``search`` matches the title or the artist's name."""
    queryset = Video.objects.select_related("artist", "file")
    if status:
        queryset = queryset.filter(status=status)
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(artist__name__icontains=search))
    return queryset


def video_get(*, video_id: int) -> Video | None:
    return Video.objects.select_related("artist", "file").filter(pk=video_id).first()


def video_has_file(video: Video) -> bool:
    """Whether the video has a file in the library (read from the database, not a cache)."""
    return VideoFile.objects.filter(video_id=video.pk).exists()


def video_find_by_url(url: str) -> Video | None:
    """A video already added from exactly this URL, or None."""
    return Video.objects.filter(source_url=url).order_by("id").first()


def videos_by_ids(ids: Iterable[int]) -> dict[int, Video]:
    """``{id: video}`` for those of ``ids`` that exist."""
    return {video.pk: video for video in Video.objects.filter(pk__in=list(ids))}
