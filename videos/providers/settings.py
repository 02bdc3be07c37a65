"""The providers' settings (the settings store, ``videos/preferences.py`` lists them).

Base URLs are the operator's (never a user's URL): http(s) only. API keys are secrets: the
store never shows them, the API takes them write-only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from preferences.registry import SettingSpec
from preferences.validators import boolean, text
from videos.models import is_http_url

IMVDB_URL = "providers.imvdb.api_url"
IMVDB_KEY = "providers.imvdb.api_key"
IMVDB_RATE = "providers.imvdb.rate"
MUSICBRAINZ_URL = "providers.musicbrainz.api_url"
MUSICBRAINZ_RATE = "providers.musicbrainz.rate"
MUSICBRAINZ_CONTACT = "providers.musicbrainz.contact"
CACHE_TTL = "providers.cache_ttl"
REFRESH_AFTER_PROBE = "providers.refresh_after_probe"

MAX_RATE = 100.0
MAX_TTL = 90 * 24 * 3600


def http_url(value: Any) -> str:
    cleaned = text(max_length=500)(value)
    if not is_http_url(cleaned):
        raise ValidationError("Write an http:// or https:// address.", code="invalid")
    return cleaned.rstrip("/")


def rate(value: Any) -> float:
    """Requests a second: a number above 0 and at most 100."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"Write a number of requests a second, not {value!r}.")
    if not 0 < value <= MAX_RATE:
        raise ValidationError(f"Write a rate above 0 and at most {MAX_RATE:g} a second.")
    return float(value)


def seconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"Write a whole number of seconds, not {value!r}.")
    if not 0 <= value <= MAX_TTL:
        raise ValidationError(f"Write between 0 and {MAX_TTL} seconds (90 days).")
    return value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key=IMVDB_URL,
        label="IMVDb API address",
        default="https://imvdb.com/api/v1",
        validate=http_url,
        env="IMVDB_API_URL",
    ),
    SettingSpec(
        key=IMVDB_KEY,
        label="IMVDb API key",
        default="",
        validate=text(max_length=200, allow_blank=True),
        env="IMVDB_API_KEY",
        secret=True,
        help="From imvdb.com/developers; IMVDb answers nothing without it.",
    ),
    SettingSpec(
        key=IMVDB_RATE,
        label="IMVDb requests a second",
        default=1.0,
        validate=rate,
        env="MVIDARR_IMVDB_RATE",
    ),
    SettingSpec(
        key=MUSICBRAINZ_URL,
        label="MusicBrainz API address",
        default="https://musicbrainz.org/ws/2",
        validate=http_url,
        env="MUSICBRAINZ_API_URL",
    ),
    SettingSpec(
        key=MUSICBRAINZ_RATE,
        label="MusicBrainz requests a second",
        default=1.0,
        validate=rate,
        env="MVIDARR_MUSICBRAINZ_RATE",
        help="MusicBrainz allows one a second per client.",
    ),
    SettingSpec(
        key=MUSICBRAINZ_CONTACT,
        label="Contact address sent to MusicBrainz",
        default="https://github.com/mvidarr/mvidarr",
        validate=http_url,
        env="MVIDARR_MUSICBRAINZ_CONTACT",
        help="MusicBrainz asks every client to name a contact in its User-Agent.",
    ),
    SettingSpec(
        key=CACHE_TTL,
        label="How long providers' answers are kept (seconds)",
        default=7 * 24 * 3600,
        validate=seconds,
        env="MVIDARR_PROVIDER_CACHE_TTL",
    ),
    SettingSpec(
        key=REFRESH_AFTER_PROBE,
        label="Refresh metadata after a video is added",
        default=True,
        validate=boolean,
        env="MVIDARR_PROVIDERS_REFRESH_AFTER_PROBE",
        help="Once a video added by hand is looked up, or an index or an import adds videos,"
        " the providers fill their metadata (one job for a whole batch).",
    ),
)
