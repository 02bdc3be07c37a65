"""Reading what the library still wants: videos not downloaded yet ("wanted"), and downloaded
videos whose file is below their quality profile's cutoff ("cutoff unmet").

Selectors only, a fixed number of queries whatever the number of videos (the pages and the API page
them); imports nothing from ``jobs``.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from videos import quality
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
# A file of unknown height (a video stream that did not say) ranks below every quality.
UNKNOWN_RANK = 0
QUALITY_OF_RANK = {quality.rank(name): name for name in quality.PROFILE_QUALITIES}


def _file_rank(prefix: str = "file__") -> Case:
    """The rank (:func:`videos.quality.rank`) of the video's file, as SQL: audio only when it
    has an audio stream and nothing of a video stream (as ``selectors.file_quality`` says),
    else the band its height falls in; :data:`UNKNOWN_RANK` for a height not known.
    ``prefix`` is the path to the file's fields ("" on a ``VideoFile`` query)."""

    def q(**lookup) -> Q:
        return Q(**{f"{prefix}{name}": value for name, value in lookup.items()})

    audio_only = (
        q(video_codec="")
        & (q(height__isnull=True) | q(height=0))
        & (q(width__isnull=True) | q(width=0))
        & ~q(audio_codec="")
    )
    bands = [
        When(q(height__gt=quality.band(name)[0]), then=Value(quality.rank(name)))
        for name in quality.VIDEO_QUALITIES  # best first: the first band the height is above
    ]
    return Case(
        When(audio_only, then=Value(quality.rank(quality.AUDIO))),
        *bands,
        default=Value(UNKNOWN_RANK),
        output_field=IntegerField(),
    )


def file_rank(prefix: str = "file__") -> Case:
    """:func:`_file_rank` for other modules (the library's statistics count files by it)."""
    return _file_rank(prefix)


def _rank_of(field: str) -> Case:
    """The rank of the quality named in ``field`` ("" or unknown: 0, no cutoff)."""
    return Case(
        *(
            When(**{field: name}, then=Value(quality.rank(name)))
            for name in quality.PROFILE_QUALITIES
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _profile_field(name: str, default: object, output_field) -> Case:
    """A field of the video's quality profile: its artist's, else the default profile's."""
    return Case(
        When(artist__quality_profile__isnull=False, then=F(f"artist__quality_profile__{name}")),
        default=Value(default, output_field=output_field),
        output_field=output_field,
    )


def with_file_quality(queryset: QuerySet[Video]) -> QuerySet[Video]:
    """``queryset`` with what the cutoff check reads, in the same query: ``file_rank``,
    ``cutoff`` and ``cutoff_rank``, ``upgrade_allowed``, ``profile_name`` and ``profile_ref``
    (the profile followed: the artist's, else the default)."""
    default = profile_default()
    return queryset.annotate(
        file_rank=_file_rank(),
        cutoff=_profile_field("cutoff", default.cutoff, CharField()),
        upgrade_allowed=_profile_field("upgrade_allowed", default.upgrade_allowed, BooleanField()),
        profile_name=_profile_field("name", default.name, CharField()),
        profile_ref=_profile_field("id", default.pk, IntegerField()),
    ).annotate(cutoff_rank=_rank_of("cutoff"))


# A video with its file, downloaded or being downloaded again (an upgrade running).
HAS_ITS_FILE = (Video.Status.DOWNLOADED, Video.Status.DOWNLOADING)


def cutoff_unmet_list(*, artist_id: int | None = None) -> QuerySet[Video]:
    """Downloaded videos whose file is below their quality profile's cutoff (the artist's
    profile, else the default) when that profile allows upgrades; by artist, then title.
    One being downloaded again (an upgrade under way) stays listed until its new file is in.

    Two queries (the default profile, then the list): the file's quality and the profile
    are annotations (:func:`with_file_quality`), whatever the size of the library.
    """
    queryset = with_file_quality(
        Video.objects.filter(status__in=HAS_ITS_FILE, file__isnull=False).select_related(
            "artist", "file"
        )
    ).filter(upgrade_allowed=True, cutoff_rank__gt=F("file_rank"))
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
