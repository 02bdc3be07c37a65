"""The providers MVidarr knows, built from the settings store each time they are asked for
(a changed key or address applies at the next call, in every process)."""

from __future__ import annotations

from preferences.selectors import setting_get
from videos.providers import settings as keys
from videos.providers.base import PermanentError, Provider
from videos.providers.imvdb import Imvdb
from videos.providers.musicbrainz import MusicBrainz

NAMES = ("imvdb", "musicbrainz")
LABELS = {"imvdb": "IMVDb", "musicbrainz": "MusicBrainz"}


def provider_get(name: str) -> Provider:
    """The provider called ``name``; PermanentError (a sentence) when it is unknown or not
    set up (IMVDb without a key)."""
    ttl = setting_get(keys.CACHE_TTL)
    if name == "imvdb":
        return Imvdb.build(
            base_url=setting_get(keys.IMVDB_URL),
            api_key=setting_get(keys.IMVDB_KEY),
            rate=setting_get(keys.IMVDB_RATE),
            cache_ttl=ttl,
        )
    if name == "musicbrainz":
        return MusicBrainz.build(
            base_url=setting_get(keys.MUSICBRAINZ_URL),
            contact=setting_get(keys.MUSICBRAINZ_CONTACT),
            rate=setting_get(keys.MUSICBRAINZ_RATE),
            cache_ttl=ttl,
        )
    raise PermanentError(f"There is no provider {name!r}; the providers are imvdb, musicbrainz.")


def providers_configured() -> list[str]:
    """The providers that can be asked now, in the order enrichment asks them."""
    names = ["imvdb"] if setting_get(keys.IMVDB_KEY) else []
    return [*names, "musicbrainz"]
