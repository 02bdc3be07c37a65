"""A video's descriptive fields: filled from the site at probe time, edited by people, and
where each value came from (``Video.field_sources``).

The one rule: a field a person set ("user") is never overwritten by an automatic refresh;
the site does not overwrite a provider's value either (providers are curated catalogues).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from videos.library.naming import without_bidi_controls
from videos.metadata_rules import (
    LIST_FIELDS,
    METADATA_FIELDS,
    MIN_YEAR,
    PROVIDERS,
    SOURCE_IMPORTED,
    SOURCE_SITE,
    SOURCE_USER,
    clean_name_list,
    is_automatic_source,
    max_year,
    source_label,
    validate_provider_ids,
)
from videos.models import Video

_TEXT_LENGTHS = {"album": 500, "studio": 255, "version_name": 255, "plot": 20_000}
_EMPTY = {"year": None, "premiered": None, "provider_ids": {}}


def empty_value(name: str) -> Any:
    """What a field holds when nothing is known."""
    if name in LIST_FIELDS:
        return []
    return _EMPTY.get(name, "")


def clean_value(name: str, value: Any) -> Any:
    """``value`` as the field stores it: text stripped of bidi controls, lists without empty
    names and repeats. The caller has validated it."""
    if value is None:
        return empty_value(name)
    if name in _TEXT_LENGTHS:
        text = without_bidi_controls(str(value)).strip()
        return text if name == "plot" else " ".join(text.split())
    if name in LIST_FIELDS:
        return clean_name_list([without_bidi_controls(item) for item in value])
    return value


def video_metadata_update(*, video: Video, data: Mapping[str, Any]) -> list[str]:
    """Set the fields of ``data`` (already validated) as a person's, on ``video`` in memory.

    Each is marked "user", so no automatic refresh changes it again, even when it was
    cleared. Returns the names of the model fields to save (``field_sources`` among them).
    """
    names = [name for name in data if name in METADATA_FIELDS]
    if not names:
        return []
    sources = dict(video.field_sources)
    for name in names:
        setattr(video, name, clean_value(name, data[name]))
        sources[name] = SOURCE_USER
    video.field_sources = sources
    return [*names, "field_sources"]


def mark_by_hand(video: Video, *names: str) -> None:
    """Record that a person set ``names`` (title, artist) on ``video`` in memory."""
    video.field_sources = {**video.field_sources, **dict.fromkeys(names, SOURCE_USER)}


def video_metadata_from_import(*, video: Video, fields: Mapping[str, Any]) -> list[str]:
    """Take what an imported file's NFO says (``Nfo.fields()``, already checked) into
    ``video`` in memory, marked "imported". A field set by hand or by a provider is kept;
    provider ids are merged. Returns the model fields to save."""
    sources = dict(video.field_sources)
    changed: list[str] = []
    for name in METADATA_FIELDS:
        value = fields.get(name)
        if value in (None, "", [], {}):
            continue
        source = sources.get(name)
        if name == "provider_ids":
            value = {**value, **(video.provider_ids or {})}
            if value == video.provider_ids:
                continue
        elif not (is_automatic_source(source) or source == SOURCE_IMPORTED):
            continue
        setattr(video, name, clean_value(name, value))
        if name != "provider_ids" or is_automatic_source(source):
            sources[name] = SOURCE_IMPORTED
        changed.append(name)
    if sources != video.field_sources:
        video.field_sources = sources
        changed.append("field_sources")
    return changed


def video_metadata_from_site(*, video: Video, fields: Mapping[str, Any]) -> list[str]:
    """Take what the site says now (``ProbeResult.fields``) into ``video`` in memory.

    A field set by hand or by a provider is kept. A field the site filled before and says
    nothing of now (the link changed) is emptied. A value outside the library's rules (a
    year out of range, an unknown video type) is dropped. Returns the model fields to save.
    """
    sources = dict(video.field_sources)
    changed: list[str] = []
    for name in METADATA_FIELDS:
        source = sources.get(name)
        if not is_automatic_source(source):
            continue
        value = _site_value(name, fields.get(name))
        if name == "provider_ids":
            value = _merged_provider_ids(video.provider_ids, value, site_before=source)
        if value in (None, "", [], {}):
            if source == SOURCE_SITE:
                setattr(video, name, empty_value(name))
                sources.pop(name)
                changed.append(name)
            continue
        setattr(video, name, value)
        sources[name] = SOURCE_SITE
        changed.append(name)
    if sources != video.field_sources:
        video.field_sources = sources
        changed.append("field_sources")
    return changed


def _site_value(name: str, value: Any) -> Any:
    """A site's value cleaned and checked; None when it does not fit the field."""
    if value is None:
        return None
    if name == "year":
        return value if isinstance(value, int) and MIN_YEAR <= value <= max_year() else None
    if name == "premiered":
        return value if isinstance(value, datetime.date) else None
    if name == "video_type":
        return value if value in Video.VideoType.values else None
    if name == "provider_ids":
        try:
            validate_provider_ids(value)
        except ValidationError:
            return None
        return value
    if name in LIST_FIELDS:
        return clean_value(name, value) if isinstance(value, list) else None
    if name in _TEXT_LENGTHS and isinstance(value, str):
        return clean_value(name, value)[: _TEXT_LENGTHS[name]]
    return None


def _merged_provider_ids(current: dict, site: dict | None, *, site_before: str | None) -> dict:
    """The site's ids over the current ones (a provider's ids set elsewhere are kept)."""
    kept = {} if site_before == SOURCE_SITE else dict(current or {})
    return {**kept, **(site or {})}


@dataclass(frozen=True)
class MetadataRow:
    name: str
    label: str
    value: str  # as shown; "" when not known
    source: str  # "site", "by hand", "IMVDb" …; "" when not known


LABELS = {
    "album": "Album",
    "year": "Year",
    "premiered": "Premiered",
    "genres": "Genres",
    "directors": "Directors",
    "studio": "Studio / label",
    "plot": "Plot",
    "featured_artists": "Featured artists",
    "video_type": "Video type",
    "version_name": "Version",
    "provider_ids": "Provider ids",
}


def metadata_rows(video: Video) -> list[MetadataRow]:
    """The video's fields as a page shows them, each with where it came from (no query)."""
    rows = []
    for name in METADATA_FIELDS:
        value = getattr(video, name)
        if name in LIST_FIELDS:
            shown = ", ".join(value)
        elif name == "video_type":
            shown = video.get_video_type_display() if value else ""
        elif name == "provider_ids":
            shown = ", ".join(f"{key}: {value[key]}" for key in PROVIDERS if key in value)
        elif name == "premiered":
            shown = value.isoformat() if value else ""
        else:
            shown = "" if value is None else str(value)
        rows.append(
            MetadataRow(name, LABELS[name], shown, source_label(video.field_sources.get(name)))
        )
    return rows
