"""Downloading what is wanted: every wanted (or failed) video that matches, as one bulk job."""

from __future__ import annotations

from django.db import transaction

from jobs.models import Job
from jobs.services.bulk import bulk_download_submit
from jobs.services.errors import JobConflict
from jobs.services.shared import check_quality
from videos.models import Artist
from videos.wanted import wanted_to_download

# The most videos one request downloads, the longest wanted first (ask again for the rest).
WANTED_DOWNLOAD_MAX = 5000


class NothingWanted(JobConflict):
    """No wanted video matches: there is nothing to download."""


@transaction.atomic
def wanted_download_submit(
    *,
    user,
    artist: Artist | None = None,
    status: str = "",
    quality: str | None = None,
    origin: str = Job.Origin.USER,
) -> Job:
    """One bulk download of the wanted videos (of ``artist``, of ``status``) that no download
    is already fetching, at most :data:`WANTED_DOWNLOAD_MAX`, the longest wanted first.

    ``quality`` None: each video follows its artist's quality profile, else the default
    profile (as :func:`bulk_download_submit`). Raises :class:`NothingWanted` (a conflict)
    when no video matches.
    """
    check_quality(quality)
    matching = wanted_to_download(artist_id=getattr(artist, "pk", None), status=status)
    videos = list(matching.exclude(source_url="")[:WANTED_DOWNLOAD_MAX])
    if not videos:
        by = f" by {artist.name}" if artist is not None else ""
        raise NothingWanted(
            f"Nothing to download: no wanted video{by} is waiting for a download "
            "(those already queued or downloading are on their way)."
        )
    return bulk_download_submit(videos=videos, user=user, quality=quality, origin=origin)
