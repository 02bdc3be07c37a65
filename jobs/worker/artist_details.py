"""An artist's own details from the providers, for ``artist_import`` and an artist's
``metadata_refresh``: its ids (IMVDb's, MusicBrainz') and its picture.

The providers are asked first (in the worker, never in a request), then the answers are
written in one small transaction; only then is the picture fetched through the
private-address guard into MVidarr's artwork store, and ``artist.nfo`` and ``folder.jpg``
written again in each folder that holds the artist's downloaded videos.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from videos.library.artwork import artist_artwork_fetch
from videos.library.poststore import artist_files_rewrite
from videos.models import Artist
from videos.provider_metadata import artist_details_from_provider
from videos.providers.base import PermanentError, Provider


@dataclass(frozen=True)
class ArtistAnswer:
    provider: str
    artist_id: str
    image_url: str = ""


def ask_artist(providers: Iterable[Provider], artist: Artist) -> list[ArtistAnswer]:
    """What the providers say of ``artist``: IMVDb (by the id the artist has there) its id
    and picture; MusicBrainz, when the artist has no id there yet, the id of the artist of
    exactly that name. Transient faults and refusals propagate; an id a provider no longer
    knows is skipped."""
    answers = []
    ids = artist.provider_ids or {}
    for provider in providers:
        try:
            if provider.name == "imvdb" and ids.get("imvdb"):
                hit = provider.artist(str(ids["imvdb"]))
                answers.append(ArtistAnswer("imvdb", hit.id, hit.image_url))
            elif provider.name == "musicbrainz" and not ids.get("musicbrainz"):
                page = provider.search_artists(artist.name)
                hit = next((hit for hit in page.items if same_name(hit.name, artist.name)), None)
                if hit is not None:
                    answers.append(ArtistAnswer("musicbrainz", hit.id))
        except PermanentError as exc:
            if not exc.gone:
                raise
    return answers


def same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def artist_apply(artist_id: int, answers: Iterable[ArtistAnswer]) -> bool:
    """Write ``answers`` into the artist (its row locked); return whether it changed."""
    with transaction.atomic():
        artist = Artist.objects.select_for_update().filter(pk=artist_id).first()
        if artist is None:
            return False
        changed: set[str] = set()
        for answer in answers:
            changed.update(
                artist_details_from_provider(
                    artist=artist,
                    provider=answer.provider,
                    artist_id=answer.artist_id,
                    image_url=answer.image_url,
                )
            )
        if changed:
            artist.save(update_fields=[*sorted(changed), "updated_at"])
    return bool(changed)


def artist_files_update(artist_id: int, *, changed: bool) -> list[str]:
    """Fetch the artist's picture when it is new, and write its files again when it or the
    artist changed; a sentence for each thing that did not work."""
    artist = Artist.objects.filter(pk=artist_id).first()
    if artist is None:
        return []
    outcome = artist_artwork_fetch(artist)
    notes = [outcome.note] if outcome.note else []
    if changed or outcome.source == "provider":
        notes += artist_files_rewrite(artist=artist)
    return notes
