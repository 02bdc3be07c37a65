"""The rules of the library's descriptive fields (album, year, genres, provider ids …): what
is valid, and where a value came from. Plain functions, shared by the model, the API, the
pages and the admin; no model is imported here."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError

# The fields a media server shows, beyond title and artist, in the order the pages show them.
METADATA_FIELDS = (
    "album",
    "year",
    "premiered",
    "genres",
    "directors",
    "studio",
    "plot",
    "featured_artists",
    "video_type",
    "version_name",
    "provider_ids",
)
LIST_FIELDS = ("genres", "directors", "featured_artists")

# Where a field's value came from (Video.field_sources): the site (yt-dlp's metadata), a
# person ("user": never overwritten by an automatic refresh), a provider ("provider:imvdb")
# or an imported file's NFO or name ("imported": curated like a provider's, so neither the
# site nor a provider replaces it; a person may).
SOURCE_SITE = "site"
SOURCE_USER = "user"
SOURCE_IMPORTED = "imported"
PROVIDER_PREFIX = "provider:"

MIN_YEAR = 1880
MAX_LIST_ITEMS = 50
MAX_NAME_LENGTH = 255

PROVIDERS = ("youtube", "imvdb", "musicbrainz")
_PROVIDER_ID_SHAPES = {
    "youtube": (re.compile(r"[A-Za-z0-9_-]{11}"), "an 11-character YouTube video id"),
    "imvdb": (re.compile(r"[0-9]{1,20}"), "an IMVDb id (digits)"),
    "musicbrainz": (
        re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        "a MusicBrainz id (a UUID such as 0383dadf-2a4e-4d10-a46a-e9e041da8eb3)",
    ),
}


PROVIDER_NAMES = {"imvdb": "IMVDb", "musicbrainz": "MusicBrainz"}


def source_label(source: str | None) -> str:
    """A field's source as the pages say it after the value: "from the site" (what the
    video's page said when it was looked up), "set by hand", "from IMVDb", "from
    MusicBrainz"; "" when unknown."""
    if not source:
        return ""
    if source == SOURCE_USER:
        return "set by hand"
    if source == SOURCE_SITE:
        return "from the site"
    if source.startswith(PROVIDER_PREFIX):
        name = source.removeprefix(PROVIDER_PREFIX)
        return f"from {PROVIDER_NAMES.get(name, name)}"
    return source


def is_automatic_source(source: str | None) -> bool:
    """Whether an automatic refresh from the site may replace a value from ``source``: never
    one set by hand, nor one a provider (curated data) gave."""
    return source in (None, "", SOURCE_SITE)


def max_year() -> int:
    return datetime.date.today().year + 1


def validate_year(value: int | None) -> None:
    if value is not None and not MIN_YEAR <= value <= max_year():
        raise ValidationError(
            f"Enter a year between {MIN_YEAR} and {max_year()}, not {value}.", code="year"
        )


def validate_name_list(value: Any) -> None:
    """A list of names: each a non-empty string of at most 255 characters, at most 50."""
    if not isinstance(value, list):
        raise ValidationError('Give a list of names, such as ["Pop", "Rock"].', code="list")
    if len(value) > MAX_LIST_ITEMS:
        raise ValidationError(f"Give at most {MAX_LIST_ITEMS} names.", code="list")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(
                f"Each name must be a non-empty text, not {item!r}.", code="list_item"
            )
        if len(item) > MAX_NAME_LENGTH:
            raise ValidationError(
                f"A name may have at most {MAX_NAME_LENGTH} characters.", code="list_item"
            )


def clean_name_list(value: list[str]) -> list[str]:
    """The names stripped, without empty ones and repeats (the first kept), in order."""
    seen: dict[str, str] = {}
    for item in value:
        name = re.sub(r"\s+", " ", str(item)).strip()[:MAX_NAME_LENGTH]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())[:MAX_LIST_ITEMS]


def validate_provider_ids(value: Any) -> None:
    """``{"youtube": id, "imvdb": id, "musicbrainz": mbid}``: known providers, each id of its
    provider's shape."""
    if not isinstance(value, dict):
        raise ValidationError(
            'Give the provider ids as an object, such as {"youtube": "dQw4w9WgXcQ"}.',
            code="provider_ids",
        )
    for provider, provider_id in value.items():
        if provider not in _PROVIDER_ID_SHAPES:
            raise ValidationError(
                f"{provider!r} is not a provider MVidarr knows; use {', '.join(PROVIDERS)}.",
                code="provider_ids",
            )
        pattern, shape = _PROVIDER_ID_SHAPES[provider]
        if not isinstance(provider_id, str) or not pattern.fullmatch(provider_id):
            raise ValidationError(
                f"The {provider} id must be {shape}, not {provider_id!r}.", code="provider_ids"
            )
