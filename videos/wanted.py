"""Reading what the library still wants: videos not downloaded yet ("wanted"), and downloaded
videos whose file is below their quality profile's cutoff ("cutoff unmet").

Selectors only, a fixed number of queries whatever the number of videos (the pages and the API page
them); imports nothing from ``jobs``.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from videos import cutoff, quality
from videos.models import Video
from videos.selectors import profile_default

# The statuses a person filters the wanted list by. ``needs_source`` (a video known by its
# artist and title, whose link is still to be found) is listed once the library has it.
WANTED_FILTERS = tuple(
    status for status in ("wanted", "needs_source", "failed") if status in Video.Status.values
)
# Not downloaded and not ignored: waiting, on its way, or failed.
NOT_WANTED = (Video.Status.DOWNLOADED, Video.Status.IGNORED)
# Of those, what a download may start for now (queued and downloading are on their way).
ON_ITS_WAY = (Video.Status.QUEUED, Video.Status.DOWNLOADING)


def wanted_list(*, artist_id: int | None = None, status: str = "") -> QuerySet[Video]:
    """Videos not downloaded and not ignored, oldest first (the longest wanted at the top);
    ``status`` one of :data:`WANTED_FILTERS` narrows it."""
    # A video with a file is downloaded, also while a forced re-download of it runs.
    queryset = (
        Video.objects.exclude(status__in=NOT_WANTED)
        .filter(file__isnull=True)
        .select_related("artist", "file")
        .order_by("created_at", "id")
    )
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def wanted_to_download(*, artist_id: int | None = None, status: str = "") -> QuerySet[Video]:
    """The wanted videos a download may start for: those of :func:`wanted_list` that are not
    already queued or downloading."""
    return wanted_list(artist_id=artist_id, status=status).exclude(status__in=ON_ITS_WAY)


# --- cutoff unmet -----------------------------------------------------------------------------
QUALITY_OF_RANK = {quality.rank(name): name for name in quality.PROFILE_QUALITIES}


def with_file_quality(queryset: QuerySet[Video]) -> QuerySet[Video]:
    """:func:`videos.cutoff.with_file_quality` with the default profile."""
    return cutoff.with_file_quality(queryset, default=profile_default())


def cutoff_unmet_list(*, artist_id: int | None = None) -> QuerySet[Video]:
    """Downloaded videos whose file is below their quality profile's cutoff (the artist's
    profile, else the default) when that profile allows upgrades; by artist, then title.
    One being downloaded again (an upgrade under way) stays listed until its new file is in.

    Two queries (the default profile, then the list): the file's quality and the profile
    are annotations (:func:`with_file_quality`), whatever the size of the library.
    """
    queryset = cutoff.below_cutoff(
        Video.objects.select_related("artist", "file"), default=profile_default()
    )
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    # Videos without an artist last, on every database (PostgreSQL sorts NULL last, SQLite first).
    return queryset.order_by(
        F("artist__sort_name").asc(nulls_last=True),
        F("artist__name").asc(nulls_last=True),
        "title",
        "id",
    )


def file_quality_name(video: Video) -> str | None:
    """The quality of a video of :func:`cutoff_unmet_list` ("360p", "audio"); None when its
    height is not known."""
    return QUALITY_OF_RANK.get(video.file_rank)
