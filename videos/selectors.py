"""Reading the library: artists, videos and quality profiles, listed, filtered and looked up."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse

from videos import listing, quality
from videos.cutoff import below_cutoff, file_rank
from videos.library.artwork import artist_artwork_path, video_artwork_path
from videos.models import Artist, IgnoredEntry, QualityProfile, Video, VideoFile
from videos.name_keys import name_key
from videos.quality import rank as rank_of
from videos.search import artists_matching, videos_matching


def artist_list(*, search: str = "") -> QuerySet[Artist]:
    """Artists in sort order (the ``artist_sort_order`` index), each with ``video_count``;
    ``search`` matches the name (:mod:`videos.search`) or the sort name."""
    # Counted per artist listed (from the artist's videos' index), not by grouping the whole
    # library: a page of 60 artists reads 60 artists' videos.
    video_count = (
        Video.objects.filter(artist_id=OuterRef("pk"))
        .order_by()
        .values("artist_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = Artist.objects.annotate(video_count=Coalesce(Subquery(video_count), 0)).order_by(
        Lower("sort_name"), Lower("name"), "id"
    )
    if search:
        queryset = queryset.filter(artists_matching(search))
    return queryset


def artist_get(*, artist_id: int) -> Artist | None:
    """The artist with ``video_count``, or None."""
    return artist_list().filter(pk=artist_id).first()


def artist_find_by_name(name: str, *, exclude_id: int | None = None) -> Artist | None:
    """The artist whose name is the same as ``name`` (``videos.name_keys``: ignoring case,
    also beyond ASCII, and repeated spaces), or None."""
    queryset = Artist.objects.filter(name_key=name_key(name))
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.first()


# --- completeness: how much of an artist's videos the library has, and in what quality -----
COMPLETENESS_KEYS = ("total", "downloaded", "below_cutoff", "ignored", "wanted", "failed")
# Still to get: wanted, or on its way.
_STILL_WANTED = (Video.Status.WANTED, Video.Status.QUEUED, Video.Status.DOWNLOADING)


def artist_completeness(artist: Artist) -> dict[str, int]:
    """``artist``'s videos counted: see :func:`artists_completeness`."""
    return artists_completeness([artist])[artist.pk]


def artists_completeness(artists: Iterable[Artist]) -> dict[int, dict[str, int]]:
    """``{artist id: counts}`` for each artist, in three queries whatever their number.

    The counts: ``total`` (every video), ``downloaded``, ``wanted`` (wanted, queued or
    downloading), ``failed`` and ``ignored``, which add up to ``total``; and
    ``below_cutoff``: downloaded videos whose file's quality does not meet the cutoff of the
    artist's quality profile (else the default profile's; no cutoff: none is below).
    """
    ids = [artist.pk for artist in artists]
    counts = {artist_id: dict.fromkeys(COMPLETENESS_KEYS, 0) for artist_id in ids}
    if not ids:
        return counts
    by_status = (
        Video.objects.filter(artist_id__in=ids)
        .values_list("artist_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for artist_id, status, n in by_status:
        key = "wanted" if status in _STILL_WANTED else status
        counts[artist_id]["total"] += n
        if key in counts[artist_id]:
            counts[artist_id][key] += n
    default_cutoff = profile_default().cutoff
    files = VideoFile.objects.filter(
        video__artist_id__in=ids, video__status=Video.Status.DOWNLOADED
    ).values_list(
        "video__artist_id",
        "video__artist__quality_profile_id",
        "video__artist__quality_profile__cutoff",
        "height",
        "width",
        "video_codec",
        "audio_codec",
    )
    for artist_id, profile_id, cutoff, height, width, vcodec, acodec in files:
        cutoff = cutoff if profile_id is not None else default_cutoff
        if not quality.meets_cutoff(file_quality(height, width, vcodec, acodec), cutoff or ""):
            counts[artist_id]["below_cutoff"] += 1
    return counts


def file_quality(
    height: int | None, width: int | None, video_codec: str, audio_codec: str
) -> str | None:
    """A file's quality (``videos.quality``): audio only when it has an audio stream and
    nothing of a video stream; None for a video file of unknown height."""
    has_video = bool(video_codec or height or width) or not audio_codec
    return quality.quality_of(height=height, has_video=has_video)


def video_list(
    *,
    status: str = "",
    artist_id: int | None = None,
    search: str = "",
    quality: str = "",
    video_type: str = "",
    site: str = "",
    sort: str = listing.DEFAULT_SORT,
) -> QuerySet[Video]:
    """Videos in the order of ``sort`` (:mod:`videos.listing`; newest first by default);
    ``search`` matches the title or the artist's name (:mod:`videos.search`); ``quality`` is
    a file's quality ("1080p", "audio") or ``below_cutoff`` (``videos.cutoff``: the one rule
    of the cutoff-unmet list); ``video_type`` a ``Video.VideoType``; ``site`` a key of
    ``file_facts.SITES`` (the site the video came from)."""
    queryset = Video.objects.select_related("artist", "file")
    if status:
        queryset = queryset.filter(status=status)
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    if search:
        queryset = queryset.filter(videos_matching(search))
    if video_type:
        queryset = queryset.filter(video_type=video_type)
    if site:
        queryset = queryset.filter(listing.site_filter(site))
    if quality == listing.BELOW_CUTOFF:
        queryset = below_cutoff(queryset, default=profile_default())
    elif quality:
        queryset = queryset.annotate(file_rank=file_rank()).filter(
            file__isnull=False, file_rank=rank_of(quality)
        )
    return queryset.order_by(*listing.order_by(sort))


def video_list_parts(*, sort: str = listing.DEFAULT_SORT, **filters) -> list[QuerySet[Video]]:
    """:func:`video_list` as the parts a page reads its keys from, one after the other
    (:func:`videos.listing.parts`: a sort along a join is read through an index)."""
    return listing.parts(video_list(sort=sort, **filters), sort)


def video_get(*, video_id: int) -> Video | None:
    return Video.objects.select_related("artist", "file").filter(pk=video_id).first()


def video_has_file(video: Video) -> bool:
    """Whether the video has a file in the library (read from the database, not a cache)."""
    return VideoFile.objects.filter(video_id=video.pk).exists()


def video_find_by_url(url: str) -> Video | None:
    """A video already added from exactly this URL, or None."""
    return Video.objects.filter(source_url=url).order_by("id").first()


def video_find_by_name(*, artist: str, title: str) -> Video | None:
    """The first video of the artist called ``artist`` (as :func:`artist_find_by_name` finds
    them) with the same title as ``title`` (``videos.name_keys``); None when there is none."""
    return (
        Video.objects.select_related("artist")
        .filter(artist__name_key=name_key(artist), title_key=name_key(title))
        .order_by("id")
        .first()
    )


def video_ids_existing(ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` that are videos' (one query, no video read)."""
    return set(Video.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))


# --- quality profiles -------------------------------------------------------------------------
def profile_list() -> QuerySet[QualityProfile]:
    """Every profile, by name, each with ``artist_count``."""
    return QualityProfile.objects.annotate(artist_count=Count("artists")).order_by(
        Lower("name"), "id"
    )


def profile_get(*, profile_id: int) -> QualityProfile | None:
    return profile_list().filter(pk=profile_id).first()


def profile_default() -> QualityProfile:
    """The default profile; when none is marked (the flag was cleared by hand), an unsaved
    "Any" that takes the best of every video quality, as the first migration's default."""
    profile = QualityProfile.objects.filter(is_default=True).first()
    if profile is None:
        profile = QualityProfile(name="Any", qualities=list(quality.VIDEO_QUALITIES))
    return profile


def profile_for_artist(artist: Artist | None) -> QualityProfile:
    """The profile a video of ``artist`` is downloaded with: the artist's, else the default."""
    if artist is not None and artist.quality_profile_id is not None:
        return artist.quality_profile
    return profile_default()


def profiles_for_artists(artist_ids: Iterable[int | None]) -> dict[int | None, QualityProfile]:
    """``{artist id: profile}`` for each of ``artist_ids`` (None: no artist), in two queries."""
    default = profile_default()
    ids = {artist_id for artist_id in artist_ids if artist_id is not None}
    chosen = {
        artist.pk: artist.quality_profile or default
        for artist in Artist.objects.filter(pk__in=ids).select_related("quality_profile")
    }
    return {None: default, **{artist_id: chosen.get(artist_id, default) for artist_id in ids}}


# --- the ignore list ---------------------------------------------------------------------------
def ignored_match(*, extractor: str, source_id: str, url: str) -> IgnoredEntry | None:
    """The ignore-list entry for this video, by extractor + source id or by URL; or None."""
    match = Q()
    if extractor and source_id:
        match |= Q(extractor=extractor, source_id=source_id)
    if url:
        match |= Q(url=url)
    if not match:
        return None
    return IgnoredEntry.objects.filter(match).order_by("id").first()


def ignored_keys() -> tuple[set[tuple[str, str]], set[str]]:
    """Everything on the ignore list, for checking many entries at once (an index):
    ``({(extractor, source_id), …}, {url, …})``. An entry is ignored when its
    ``(extractor, source_id)`` is in the first set or its URL in the second."""
    sources: set[tuple[str, str]] = set()
    urls: set[str] = set()
    for extractor, source_id, url in IgnoredEntry.objects.values_list(
        "extractor", "source_id", "url"
    ).iterator():
        if extractor and source_id:
            sources.add((extractor, source_id))
        if url:
            urls.add(url)
    return sources, urls


def ignored_list(*, artist_id: int | None = None, search: str = "") -> QuerySet[IgnoredEntry]:
    """The ignore list, newest first; ``search`` matches the title or the URL."""
    queryset = IgnoredEntry.objects.select_related("artist", "user", "video")
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(url__icontains=search))
    return queryset


def ignored_get(*, entry_id: int) -> IgnoredEntry | None:
    return ignored_list().filter(pk=entry_id).first()


def video_is_ignored(video: Video) -> bool:
    """Whether ``video`` is on the ignore list (kept, with status ``ignored``)."""
    return IgnoredEntry.objects.filter(video_id=video.pk).exists()


# --- artwork: the address of MVidarr's own copy ---------------------------------------------
def video_artwork_url(video: Video) -> str | None:
    """The address of the video's stored artwork (MVidarr's own copy, never the site's), with
    the picture's version so a browser may keep it; None when it has none."""
    return _artwork_url(video_artwork_path(video), reverse("video-artwork", args=[video.pk]))


def artist_artwork_url(artist: Artist) -> str | None:
    """The address of the artist's stored artwork, or None."""
    return _artwork_url(artist_artwork_path(artist), reverse("artist-artwork", args=[artist.pk]))


def _artwork_url(path: Path, url: str) -> str | None:
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        return None
    return f"{url}?v={version:x}"
