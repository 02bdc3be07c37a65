"""The library's sorts and its quality, type and site filters: what ``video_list`` (the
library page and ``GET /api/videos/``) accepts, and the order each sort reads.

A sort is a name, ``-`` in front for the other way (``-added``: newest first, the default).
Every order ends with the video's id in the same direction, so a page boundary never moves
and key-first paging (``mvidarr.pagination.KeysFirst``) reads the same rows twice over.
What a video does not have (no year, no file) comes last in both directions.
"""

from __future__ import annotations

from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from videos import quality
from videos.file_facts import SITES
from videos.models import Artist, Video

DEFAULT_SORT = "-added"
# name → (label when ascending, label when descending, the fields in order)
SORTS: dict[str, tuple[str, str, tuple]] = {
    "added": ("Oldest added", "Newest added", ("created_at",)),
    "title": ("Title A to Z", "Title Z to A", ("title_key",)),
    "artist": (
        "Artist A to Z",
        "Artist Z to A",
        (Lower("artist__sort_name"), Lower("artist__name"), "artist_id", "title_key"),
    ),
    "year": ("Year, oldest first", "Year, newest first", ("year",)),
    "duration": ("Shortest first", "Longest first", ("duration",)),
    "size": ("Smallest file first", "Largest file first", ("file__size",)),
    # A file's quality is the band of its height (videos.quality): the height orders it.
    "quality": ("Lowest quality first", "Best quality first", ("file__height",)),
}
# (value, label) for a select: each sort both ways, the default first.
SORT_CHOICES = [
    (DEFAULT_SORT, SORTS["added"][1]),
    ("added", SORTS["added"][0]),
    *(
        choice
        for name, (up, down, _) in SORTS.items()
        if name != "added"
        for choice in ((name, up), (f"-{name}", down))
    ),
]
SORT_VALUES = tuple(value for value, _ in SORT_CHOICES)

BELOW_CUTOFF = "below_cutoff"
QUALITY_CHOICES = [
    (BELOW_CUTOFF, "Below its cutoff (to upgrade)"),
    *(
        (name, "Audio only" if name == quality.AUDIO else name)
        for name in quality.PROFILE_QUALITIES
    ),
]
QUALITY_VALUES = tuple(value for value, _ in QUALITY_CHOICES)
# The site a video came from, by yt-dlp's extractor: the sites file_facts names.
SITE_CHOICES = sorted(SITES.items(), key=lambda item: item[1].lower())
SITE_VALUES = tuple(SITES)
TYPE_CHOICES = Video.VideoType.choices


# Columns that are never NULL: ordered without a NULLS clause, which PostgreSQL would not
# read from an index in the other direction (the default page, newest first, would sort).
NEVER_NULL = ("created_at", "title_key", "id")


def order_by(sort: str) -> list[OrderBy]:
    """The ``order_by`` of ``sort`` (one of :data:`SORT_VALUES`; else the default)."""
    if sort not in SORT_VALUES:
        sort = DEFAULT_SORT
    descending = sort.startswith("-")
    fields = SORTS[sort.removeprefix("-")][2]
    order = []
    for field in (*fields, "id"):
        expression = F(field) if isinstance(field, str) else field
        nulls = {} if field in NEVER_NULL else {"nulls_last": True}
        order.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
    return order


def site_filter(site: str) -> Q:
    """Videos from ``site`` (a key of ``file_facts.SITES``): yt-dlp's extractor is the site's
    name, or starts with it and a colon (``youtube:tab``)."""
    return Q(extractor__iexact=site) | Q(extractor__istartswith=f"{site}:")


def parts(queryset: QuerySet[Video], sort: str) -> list[QuerySet[Video]]:
    """``queryset`` (in the order of ``sort``) as parts whose keys, one after the other, are
    its keys in its order: two for the artist's sort — the videos with an artist, read through
    an INNER join that the artists' index serves in order, then those without one — and one
    for every other sort.

    (A LEFT join keeps the videos table outermost: SQLite sorted the whole library for each
    page by artist, 300 ms at 100,000 videos. The file's size and height are not worth it:
    the two parts' counts cost more than SQLite's top-N sort of one LEFT join, 50-70 ms.)
    """
    if sort not in SORT_VALUES:
        sort = DEFAULT_SORT
    name = sort.removeprefix("-")
    descending = sort.startswith("-")

    def ordered(part: QuerySet[Video], *fields) -> QuerySet[Video]:
        return part.order_by(
            *(
                (F(field) if isinstance(field, str) else field).desc()
                if descending
                else (F(field) if isinstance(field, str) else field).asc()
                for field in (*fields, "id")
            )
        )

    if name == "artist":
        # The artist's own id (not the video's artist_id, which is the same number): SQLite
        # then reads the artists in the order of their index (artist_sort_order) and each
        # one's videos by title from video_artist_title_key.
        artist_id = RawSQL(f'"{Artist._meta.db_table}"."id"', ())
        having = queryset.filter(artist__isnull=False)
        return [
            ordered(
                having,
                Lower("artist__sort_name"),
                Lower("artist__name"),
                artist_id,
                "title_key",
            ),
            ordered(queryset.filter(artist__isnull=True), "title_key"),
        ]
    return [queryset]
