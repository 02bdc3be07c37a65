"""Changing an artist and starting what must follow: a renamed artist's files move to the
names the naming templates give them, and their sidecars are written again (a job)."""

from __future__ import annotations

from django.db import transaction

from jobs.models import Job
from jobs.services.rename import artist_files_submit
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
