"""Changing an artist and starting what must follow: a renamed artist's files move to the
names the naming templates give them, and their sidecars are written again (a job); two
artists merged into one, whose files follow the same way."""

from __future__ import annotations

from django.db import transaction

from jobs.history import history_artist_merge
from jobs.models import Job
from jobs.services.errors import JobPermissionError
from jobs.services.rename import artist_files_submit
from mvidarr import errors
from videos.merging import Merged, artist_merge_check, artist_merge_rows
from videos.models import Artist
from videos.services import artist_update


@transaction.atomic
def artist_edit(*, artist: Artist, user, data: dict) -> tuple[Artist, Job | None]:
    """Change the artist as :func:`videos.services.artist_update` does (with its refusals);
    when its name changed and any of its videos has a file, start the job that renames
    those files and writes their sidecars again. Returns the artist and that job (None when
    there is nothing to rename)."""
    before = artist.name
    artist = artist_update(artist=artist, data=data)
    if artist.name == before:
        return artist, None
    return artist, artist_files_submit(artist=artist, user=user)


@transaction.atomic
def artist_merge(*, artist: Artist, into: Artist, user) -> tuple[Artist, Job | None, Merged]:
    """Merge ``artist`` into ``into`` (staff): its videos, sources, ignore-list entries and
    history become ``into``'s, ``into`` keeps its name and gains what it lacked (catalogue
    ids, picture, profile, monitoring), and ``artist`` is deleted
    (:func:`videos.merging.artist_merge_rows`). When any of ``into``'s videos has a file, the
    job that moves the files to the names the templates give them and writes their sidecars
    again is started, as for a rename. Returns ``into``, that job (or None) and the counts.

    Raises :class:`JobPermissionError` for anyone but staff, ``errors.Invalid`` (on
    ``into``) for an artist merged into itself.
    """
    if not user.is_staff:
        raise JobPermissionError("Only staff can merge artists.")
    artist_merge_check(artist=artist, into=into)
    # Both rows locked in one order, so two merges of the same pair cannot cross.
    rows = Artist.objects.select_for_update().filter(pk__in=[artist.pk, into.pk]).order_by("pk")
    locked = {row.pk: row for row in rows}
    if len(locked) < 2:
        raise errors.NotFound("One of the two artists is no longer in the library; reload.")
    artist, into = locked[artist.pk], locked[into.pk]
    history_artist_merge(artist=artist, into=into)
    merged = artist_merge_rows(artist=artist, into=into)
    return into, artist_files_submit(artist=into, user=user), merged
