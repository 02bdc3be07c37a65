"""Reading what the library still wants: videos not downloaded yet ("wanted"), and downloaded
videos whose file is below their quality profile's cutoff ("cutoff unmet").

Selectors only, each one query whatever the number of videos (the pages and the API page
them); imports nothing from ``jobs``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from videos.models import Video

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
