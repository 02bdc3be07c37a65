"""What an index decides about each entry, as plain rules: the source's filters, the counts
it keeps, and which new videos are downloaded."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from videos import ytdlp
from videos.models import Artist, Source

FILTERED_PREFIX = "filtered_"
# Why an entry was filtered out, as counted in ``filtered_by``.
FILTER_REASONS = {
    "title_include": "its title does not match the include pattern",
    "title_exclude": "its title matches the exclude pattern",
    "min_duration": "it is shorter than the minimum duration",
    "max_duration": "it is longer than the maximum duration",
    "published_after": "it was published before the date",
}


@dataclass
class EntryFilter:
    """A source's filters. A duration or date the listing does not give lets the entry
    through: it is not known to fail."""

    include: re.Pattern | None = None
    exclude: re.Pattern | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    published_after: datetime.date | None = None

    @classmethod
    def for_source(cls, source: Source) -> EntryFilter:
        """The source's filters; raises ytdlp.PermanentError when a pattern is not a valid
        regular expression."""
        return cls(
            include=_pattern(source.title_include, "include"),
            exclude=_pattern(source.title_exclude, "exclude"),
            min_duration=source.min_duration,
            max_duration=source.max_duration,
            published_after=source.published_after,
        )

    def reason(self, entry: ytdlp.PlaylistEntry) -> str | None:
        """Why ``entry`` is filtered out (a key of FILTER_REASONS), or None to keep it."""
        title = entry.title or ""
        if self.include is not None and not self.include.search(title):
            return "title_include"
        if self.exclude is not None and self.exclude.search(title):
            return "title_exclude"
        if entry.duration is not None:
            if self.min_duration is not None and entry.duration < self.min_duration:
                return "min_duration"
            if self.max_duration is not None and entry.duration > self.max_duration:
                return "max_duration"
        after = self.published_after
        if after is not None and entry.published is not None and entry.published <= after:
            return "published_after"
        return None


def _pattern(text: str, which: str) -> re.Pattern | None:
    if not text:
        return None
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise ytdlp.PermanentError(
            f"The source's title {which} pattern {text!r} is not a valid regular expression "
            f"({exc}); correct it and index again."
        ) from None


@dataclass
class IndexCounts:
    """What an index found, kept in the job's options between pages and on the source."""

    found: int = 0  # distinct entries listed
    added: int = 0  # new videos
    existing: int = 0  # already in the library (from this source, another one, or by hand)
    ignored: int = 0  # on the ignore list
    filtered: int = 0  # left out by the source's filters (``filtered_by`` says why)
    refused: int = 0  # an address that is not http(s)
    duplicates: int = 0  # the same entry listed again
    downloads: int = 0  # new videos queued for download
    filtered_by: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict | None) -> IndexCounts:
        """The counts from :meth:`as_dict`."""
        counts = cls()
        for key, value in (data or {}).items():
            if key.startswith(FILTERED_PREFIX):
                counts.filtered_by[key.removeprefix(FILTERED_PREFIX)] = value
            elif key in cls.__annotations__ and key != "filtered_by":
                setattr(counts, key, value)
        return counts

    def as_dict(self) -> dict[str, int]:
        """Flat ``{name: count}`` (the API serves them as integers); a filter's reason is
        ``filtered_<reason>``, e.g. ``filtered_title_exclude``."""
        counts = {key: value for key, value in asdict(self).items() if key != "filtered_by"}
        for reason, count in self.filtered_by.items():
            counts[FILTERED_PREFIX + reason] = count
        return counts

    def filter_out(self, reason: str) -> None:
        self.filtered += 1
        self.filtered_by[reason] = self.filtered_by.get(reason, 0) + 1

    def summary(self) -> str:
        """One line for the job's message: "Found 12 entries: 3 added, 8 already in …"."""
        parts = [f"{self.added} added"]
        if self.existing:
            parts.append(f"{self.existing} already in the library")
        if self.ignored:
            parts.append(f"{self.ignored} ignored")
        if self.filtered:
            parts.append(f"{self.filtered} filtered out")
        if self.refused:
            parts.append(f"{self.refused} refused (not http:// or https://)")
        if self.downloads:
            parts.append(f"{self.downloads} to download")
        noun = "entry" if self.found == 1 else "entries"
        return f"Found {self.found} {noun}: {', '.join(parts)}"


def wants_download(source: Source, *, published: datetime.date | None, first_index: bool) -> bool:
    """Whether a new video of ``source`` is downloaded: always for an ``auto_download``
    source; else as the source's artist's ``monitor_new`` says when the artist is monitored.

    ``new`` downloads what was published on or after the day monitoring started; when the
    listing gives no date, what a later index finds (the first index of a source finds its
    back catalogue, which ``new`` leaves alone).
    """
    if source.auto_download:
        return True
    artist = source.artist
    if artist is None or not artist.monitored:
        return False
    if artist.monitor_new == Artist.MonitorNew.ALL:
        return True
    if artist.monitor_new == Artist.MonitorNew.NEW:
        if published is not None and artist.monitored_since is not None:
            return published >= artist.monitored_since.date()
        return not first_index
    return False
