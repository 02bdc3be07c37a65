"""The files that belong to a video's media file: declared kinds, named after its stem.

A sidecar is ``<media stem><suffix>`` in the media file's folder (``Title [id].nfo``,
``Title [id]-thumb.jpg``): whatever renames, moves or deletes the media file does the same
to its sidecars (:mod:`videos.library.bundle`). A new sidecar is one entry in
:data:`SIDECAR_KINDS` plus the post-store step that writes it (:mod:`videos.library.steps`,
listed in :mod:`videos.library.poststore`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Room every media file name leaves for the longest sidecar suffix (naming reserves it).
MAX_SUFFIX_BYTES = 24

# Starts with "." or "-", then letters, digits, ".", "-" and "_": never a separator, never "..".
_SUFFIX = re.compile(r"^[.-](?!.*\.\.)[A-Za-z0-9._-]+$")


@dataclass(frozen=True)
class SidecarKind:
    """One kind of file that sits next to a video's media file."""

    name: str  # "nfo", "thumb"
    suffix: str  # appended to the media file's stem: ".nfo", "-thumb.jpg"
    label: str  # what a person reads: "NFO file", "thumbnail"

    def __post_init__(self) -> None:
        check_suffix(self.suffix)


def check_suffix(suffix: str) -> str:
    """``suffix`` if it can only name a file next to the media file; ValueError otherwise."""
    if (
        not isinstance(suffix, str)
        or len(suffix.encode()) > MAX_SUFFIX_BYTES
        or not _SUFFIX.match(suffix)
    ):
        raise ValueError(
            f"{suffix!r} is not a sidecar suffix: it must start with '.' or '-', hold only "
            f"letters, digits, '.', '-' and '_', and be at most {MAX_SUFFIX_BYTES} bytes."
        )
    return suffix


def sidecar_path(media: Path, suffix: str) -> Path:
    """Where the sidecar with ``suffix`` of the media file ``media`` lives."""
    return media.with_name(media.stem + check_suffix(suffix))


NFO = SidecarKind("nfo", ".nfo", "NFO file")
THUMB = SidecarKind("thumb", "-thumb.jpg", "thumbnail")

# The kinds the library knows, in the order they are written (videos.library.steps).
SIDECAR_KINDS: tuple[SidecarKind, ...] = (THUMB, NFO)

# Files of an artist's folder (the first folder of a media file's path), shared by all its
# videos: written when a video of the artist is stored, not moved with any one video's
# bundle, and removed with the last media file of the folder.
ARTIST_NFO = "artist.nfo"
ARTIST_PICTURE = "folder.jpg"
ARTIST_FILES = (ARTIST_NFO, ARTIST_PICTURE)
