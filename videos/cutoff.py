"""The one rule for "below its cutoff", as SQL: a file's quality rank and its profile's cutoff
rank are annotations compared in the WHERE clause, whatever the size of the library.

The cutoff-unmet list (``videos.wanted.cutoff_unmet_list``: the Wanted pages, the upgrade
check) and the library's quality filter (``videos.selectors.video_list``) both read it. It
takes the default profile as an argument, so that the selectors may use it without a cycle.
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
from videos.models import QualityProfile, Video

# A file of unknown height (a video stream that did not say) ranks below every quality.
UNKNOWN_RANK = 0
# A video with its file, downloaded or being downloaded again (an upgrade running).
HAS_ITS_FILE = (Video.Status.DOWNLOADED, Video.Status.DOWNLOADING)


def file_rank(prefix: str = "file__") -> Case:
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


def with_file_quality(queryset: QuerySet[Video], *, default: QualityProfile) -> QuerySet[Video]:
    """``queryset`` with what the cutoff check reads, in the same query: ``file_rank``,
    ``cutoff`` and ``cutoff_rank``, ``upgrade_allowed``, ``profile_name`` and ``profile_ref``
    (the profile followed: the artist's, else ``default``)."""
    return queryset.annotate(
        file_rank=file_rank(),
        cutoff=_profile_field("cutoff", default.cutoff, CharField()),
        upgrade_allowed=_profile_field("upgrade_allowed", default.upgrade_allowed, BooleanField()),
        profile_name=_profile_field("name", default.name, CharField()),
        profile_ref=_profile_field("id", default.pk, IntegerField()),
    ).annotate(cutoff_rank=_rank_of("cutoff"))


def below_cutoff(queryset: QuerySet[Video], *, default: QualityProfile) -> QuerySet[Video]:
    """Those of ``queryset`` whose file is below their quality profile's cutoff (the
    artist's profile, else ``default``) when that profile allows upgrades; one being
    downloaded again (an upgrade under way) stays in until its new file is in."""
    return with_file_quality(
        queryset.filter(status__in=HAS_ITS_FILE, file__isnull=False), default=default
    ).filter(upgrade_allowed=True, cutoff_rank__gt=F("file_rank"))
