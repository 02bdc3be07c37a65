"""Downloading what is wanted: every wanted (or failed) video that matches, as one bulk job."""

from __future__ import annotations

import logging

from django.db import transaction

from jobs.models import Job
from jobs.services.bulk import BULK_MAX, bulk_download_submit
from jobs.services.errors import JobConflict, JobError
from jobs.services.resolve import SourceResolveRunning, resolve_submit
from jobs.services.shared import check_quality
from videos.models import Artist, Video
from videos.wanted import wanted_to_download

logger = logging.getLogger(__name__)

# The most videos one request downloads, the longest wanted first (ask again for the rest):
# as many as one bulk download takes.
WANTED_DOWNLOAD_MAX = BULK_MAX


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
    Those without a source are looked for first (a ``source_resolve`` job each, which
    downloads the video in its artist's profile once its source is found).

    ``quality`` None: each video follows its artist's quality profile, else the default
    profile (as :func:`bulk_download_submit`). Raises :class:`NothingWanted` (a conflict)
    when nothing matches that can be downloaded or looked for.
    """
    check_quality(quality)
    matching = wanted_to_download(artist_id=getattr(artist, "pk", None), status=status)
    videos = list(matching[:WANTED_DOWNLOAD_MAX])
    sourceless = [video for video in videos if not video.source_url]
    looking = _look_for_sources(sourceless, user=user, origin=origin)
    if len(sourceless) == len(videos) and not looking:
        by = f" by {artist.name}" if artist is not None else ""
        raise NothingWanted(
            f"Nothing to download: no wanted video{by} is waiting for a download "
            "(those already queued or downloading are on their way, and those without a "
            "source are being looked for)."
        )
    # The bulk job counts the videos without a source among those it skips.
    parent = bulk_download_submit(videos=videos, user=user, quality=quality, origin=origin)
    if looking:
        parent.message = f"{parent.message}; looking for the source of {looking}"[:255]
        Job.objects.filter(pk=parent.pk).update(message=parent.message)
    return parent


def _look_for_sources(videos: list[Video], *, user, origin: str) -> int:
    """Start looking for the source of each of ``videos`` (each is downloaded in its
    artist's profile once found); return how many searches were started."""
    started = 0
    for video in videos:
        try:
            with transaction.atomic():
                resolve_submit(video=video, user=user, origin=origin)
        except SourceResolveRunning:
            continue  # already being looked for
        except JobError as exc:  # no title to look for
            logger.info("wanted download: no search for video %s: %s", video.pk, exc)
            continue
        started += 1
    return started
