"""Sources: the channels, playlists and feeds that are indexed on a schedule.

Adding, changing and deleting a source, and reading them. Indexing itself is a job
(``jobs.services.sources``), and this module, like the rest of the library, never imports
``jobs``. When a source is indexed next is decided here as far as a person's change goes:
a monitored source is due at once when it is added or its monitoring turned on, is not
scheduled while unmonitored, and a new interval counts from its last index.
"""

from __future__ import annotations

import copy
import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mvidarr import errors
from videos.feeds import feed_url_for
from videos.models import Artist, Source, validate_source_url

# Every field a person may set; the rest are what indexing learns and records.
EDITABLE = (
    "url",
    "artist",
    "monitored",
    "auto_download",
    "index_interval_minutes",
    "title_include",
    "title_exclude",
    "min_duration",
    "max_duration",
    "published_after",
)
MAX_INTERVAL_MINUTES = 60 * 24 * 366


class SourceUrlTaken(errors.Conflict):
    """Another source has this URL: one source per URL, so no video is indexed twice."""

    def __init__(self, existing: Source | None = None) -> None:
        if existing is None:  # the unique constraint refused it: added since the check
            super().__init__("A source with this URL was just added; reload to see it.")
            return
        super().__init__(
            f"This URL is already a source (#{existing.pk}, {existing.title or existing.url}); "
            "change that one instead.",
            source=existing.pk,
        )
        self.existing = existing


# --- reading ------------------------------------------------------------------------------------
def source_list(
    *, artist_id: int | None = None, monitored: bool | None = None, search: str = ""
) -> QuerySet[Source]:
    """Sources by URL, each with its artist and ``video_count`` (the videos it added)."""
    queryset = (
        Source.objects.select_related("artist")
        .annotate(video_count=Count("videos"))
        .order_by("url", "id")  # Meta.ordering does not apply to a GROUP BY query
    )
    if artist_id is not None:
        queryset = queryset.filter(artist_id=artist_id)
    if monitored is not None:
        queryset = queryset.filter(monitored=monitored)
    if search:
        queryset = queryset.filter(Q(url__icontains=search) | Q(title__icontains=search))
    return queryset


def source_find_by_name(name: str) -> list[Source]:
    """The source at the address ``name``; else those titled ``name`` in any case, at most two
    (more than one: the title does not say which). Empty when none is."""
    at_address = list(Source.objects.filter(url=name)[:1])
    if at_address:
        return at_address
    # The titles are compared here: SQLite's case-blind comparisons fold ASCII only ("Ö" is
    # not "ö"). A library follows hundreds of sources, not millions.
    folded = name.casefold()
    titles = Source.objects.exclude(title="").order_by("pk").values_list("pk", "title")
    same = [pk for pk, title in titles.iterator() if title.casefold() == folded][:2]
    return list(Source.objects.filter(pk__in=same).order_by("pk"))


def source_get(*, source_id: int) -> Source | None:
    """The source with its artist and ``video_count``, or None."""
    return source_list().filter(pk=source_id).first()


def source_feed_url(source: Source) -> str | None:
    """The RSS feed the fast index reads for ``source``; None when it has none."""
    return feed_url_for(
        source.url, channel_id=source.channel_id, base=settings.YOUTUBE_FEED_BASE_URL
    )


# --- changing -----------------------------------------------------------------------------------
def source_create(*, data: dict[str, Any]) -> Source:
    """Add a source from ``data`` (the fields of ``EDITABLE``; ``url`` required).

    A monitored source is due at once: the scheduler's next tick indexes it. Raises
    ``errors.Invalid`` (with the field) for bad input and :class:`SourceUrlTaken`.
    """
    source = Source()
    _apply(source, {"monitored": True, **data}, creating=True)
    source.next_index_at = timezone.now() if source.monitored else None
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise SourceUrlTaken() from None
    return source


def source_update(*, source: Source, data: dict[str, Any]) -> Source:
    """Change the fields of ``data``; see :func:`source_create` for the refusals.

    Monitoring turned on makes the source due now, turned off unschedules it; a new interval
    counts from the last index (due now if it never ran). A new URL forgets what indexing
    learnt about the old one (title, channel id), so the next index is a full one.
    """
    was_monitored, old_interval, old_url = (
        source.monitored,
        source.index_interval_minutes,
        source.url,
    )
    _apply(source, data, creating=False)
    now = timezone.now()
    if source.url != old_url:
        source.title = source.channel_id = ""
        source.last_full_index_at = None
    if not source.monitored:
        source.next_index_at = None
    elif not was_monitored or source.url != old_url:
        source.next_index_at = now
    elif source.index_interval_minutes != old_interval:
        interval = datetime.timedelta(minutes=source.index_interval_minutes)
        source.next_index_at = source.last_indexed_at + interval if source.last_indexed_at else now
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise SourceUrlTaken() from None
    return source


def source_check(*, source: Source | None, data: dict[str, Any]) -> None:
    """Raise what :func:`source_create` (``source`` None) or :func:`source_update` would
    refuse in ``data``, changing nothing: for forms that show the refusal next to a field."""
    _apply(copy.copy(source) if source else Source(), data, creating=source is None)


def source_delete(*, source: Source) -> None:
    """Delete a source; the videos it added stay in the library."""
    source.delete()


# --- validation ---------------------------------------------------------------------------------
def _apply(source: Source, data: dict[str, Any], *, creating: bool) -> None:
    """Set the editable fields of ``data`` on ``source`` after checking each, then together."""
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise errors.Invalid(f"A source has no field {', '.join(sorted(unknown))} to set.")
    if creating and not data.get("url"):
        raise errors.Invalid("A source needs the URL of a channel, playlist or feed.", field="url")
    if "url" in data:
        source.url = _checked_url(str(data["url"] or "").strip(), source)
    if "artist" in data:
        source.artist = _checked_artist(data["artist"])
    for name in ("monitored", "auto_download"):
        if name in data:
            setattr(source, name, bool(data[name]))
    if "index_interval_minutes" in data:
        source.index_interval_minutes = _checked_interval(data["index_interval_minutes"])
    for name in ("title_include", "title_exclude"):
        if name in data:
            setattr(source, name, _checked_pattern(name, data[name] or ""))
    for name in ("min_duration", "max_duration"):
        if name in data:
            setattr(source, name, _checked_duration(name, data[name]))
    if "published_after" in data:
        source.published_after = data["published_after"]
    if (
        source.min_duration is not None
        and source.max_duration is not None
        and source.min_duration > source.max_duration
    ):
        raise errors.Invalid(
            f"The maximum duration ({source.max_duration} s) is shorter than the minimum "
            f"({source.min_duration} s); no video could pass both.",
            field="max_duration",
        )


def _checked_url(url: str, source: Source) -> str:
    try:
        validate_source_url(url)
    except ValidationError:
        raise errors.Invalid(
            "Enter the web address of a channel, playlist or feed, starting with http:// "
            "or https://.",
            field="url",
        ) from None
    existing = Source.objects.filter(url=url).exclude(pk=source.pk).first()
    if existing is not None:
        raise SourceUrlTaken(existing)
    return url


def _checked_artist(value: Artist | int | None) -> Artist | None:
    if value is None or isinstance(value, Artist):
        return value
    artist = Artist.objects.filter(pk=value).first()
    if artist is None:
        raise errors.Invalid(
            f"There is no artist #{value}; choose an existing one.", field="artist"
        )
    return artist


def _checked_interval(value: int) -> int:
    if not Source.MIN_INTERVAL_MINUTES <= value <= MAX_INTERVAL_MINUTES:
        raise errors.Invalid(
            f"A source is indexed every {Source.MIN_INTERVAL_MINUTES} minutes at most often "
            f"and at least once a year ({MAX_INTERVAL_MINUTES} minutes), not every {value}.",
            field="index_interval_minutes",
        )
    return value


def _checked_pattern(name: str, pattern: str) -> str:
    """A title filter must compile: an index would otherwise fail on every entry."""
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        which = "include" if name == "title_include" else "exclude"
        raise errors.Invalid(
            f"The title {which} pattern “{pattern}” is not a valid regular expression "
            f"({error}); titles are matched with Python's re syntax, ignoring case.",
            field=name,
        ) from None
    return pattern


def _checked_duration(name: str, value: int | None) -> int | None:
    if value is not None and value < 0:
        raise errors.Invalid("A duration is a number of seconds, 0 or more.", field=name)
    return value
