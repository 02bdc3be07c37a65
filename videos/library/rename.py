"""Renaming the library's files to the naming templates: what would change, and moving one
video's bundle there.

:class:`RenamePlanner` names the files one by one, in id order: each gets the path the
templates give it, or the first free ``<name> (2)``, ``<name> (3)``… when another video's
file, another file on disk, or a file planned earlier holds that name. Two names collide when
they are equal without their extension and ignoring case (their sidecars would share names,
and macOS, Windows and SMB shares see one file). A file already at its name stays, so a
second run changes nothing.

:func:`video_file_rename` moves one bundle (media file and sidecars) with
:func:`~videos.library.bundle.video_file_move`: all of it or none of it, never over another
file, never outside the library. :func:`video_file_rename_undo` puts back what a process
that died in the middle of a move had moved (the job keeps a note of the move it is making).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.db.models import QuerySet

from videos.library.bundle import library_root, video_file_move
from videos.library.naming import resolve_inside
from videos.library.sidecars import sidecar_path
from videos.library.templates import (
    MAX_NUMBER,
    NamingTemplate,
    file_quality_name,
    name_values_for,
    numbered,
    path_key,
    relative_path,
)
from videos.models import VideoFile

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class RenameItem:
    """A file whose name differs from what the templates give it."""

    video_file_id: int
    video_id: int
    title: str
    current: str
    new: str


def files_to_name(
    *, after: int = 0, artist_id: int | None = None, video_id: int | None = None
) -> QuerySet[VideoFile]:
    """The library's files (or the files of the artist ``artist_id``'s videos, or the file of
    the video ``video_id``) in id order (after ``after``), with what their names are made of."""
    files = VideoFile.objects.filter(pk__gt=after).select_related("video__artist")
    if artist_id is not None:
        files = files.filter(video__artist_id=artist_id)
    if video_id is not None:
        files = files.filter(video_id=video_id)
    # A video's metadata (what its site said, kept whole) can be large and names nothing.
    return files.defer("video__metadata").order_by("pk")


class RenamePlanner:
    """Unique names for the library's files under ``template``, given in id order."""

    def __init__(self, template: NamingTemplate) -> None:
        self.template = template
        self.root = library_root()
        self.root_text = str(self.root)
        # Whether a file got a numbered name (``<name> (2)``) because its name was taken.
        self.numbered = False
        # path key → the id of the file that holds (or will hold) it: one query.
        self.taken: dict[str, int] = {
            path_key(path): pk
            for pk, path in VideoFile.objects.values_list("pk", "path").iterator(chunk_size=5000)
        }

    def target(self, video_file: VideoFile) -> PurePosixPath | None:
        """The file's new path (its current one when it keeps it); None when it cannot be
        renamed (its recorded path is outside the library, or its file is missing)."""
        current = PurePosixPath(video_file.path)
        values = name_values_for(video_file.video, quality=file_quality_name(video_file))
        ext = current.suffix.lstrip(".") or video_file.container
        wanted = relative_path(self.template, values, ext=ext)
        if wanted == current:
            return current
        # A cheap check, path by path (the move itself resolves every path inside the
        # library, symlinks included, and refuses what is not).
        if not _plainly_inside(video_file.path) or not os.path.isfile(self._on_root(current)):
            return None
        for number in range(1, MAX_NUMBER):
            candidate = wanted if number == 1 else numbered(wanted, number)
            if candidate == current:
                return current
            if self.taken.get(path_key(candidate), video_file.pk) != video_file.pk:
                continue
            if self._on_disk(candidate, video_file):
                continue
            self.numbered = self.numbered or number > 1
            return candidate
        return None

    def claim(self, video_file_id: int, *, old: str, new: PurePosixPath) -> None:
        """The file moves from ``old`` to ``new``: its old name is free, the new one taken."""
        if self.taken.get(path_key(old)) == video_file_id:
            del self.taken[path_key(old)]
        self.taken[path_key(new)] = video_file_id

    def plan(self, files: QuerySet[VideoFile]) -> Iterator[tuple[VideoFile, PurePosixPath]]:
        """``(file, new path)`` for each of ``files`` whose name would change, claimed."""
        for video_file in files.iterator(chunk_size=CHUNK_SIZE):
            new = self.target(video_file)
            if new is None or new.as_posix() == video_file.path:
                continue
            self.claim(video_file.pk, old=video_file.path, new=new)
            yield video_file, new

    def _on_disk(self, candidate: PurePosixPath, video_file: VideoFile) -> bool:
        """Whether a file is where the media file or one of its sidecars would go."""
        media = self._on_root(candidate)
        stem = os.path.splitext(media)[0]
        paths = [media, *(stem + suffix for suffix in video_file.sidecars)]
        return any(os.path.lexists(path) for path in paths)

    def _on_root(self, relative: PurePosixPath) -> str:
        return os.path.join(self.root_text, *relative.parts)


def _plainly_inside(relative: str) -> bool:
    """Whether a recorded path is relative and never climbs (``..``)."""
    path = PurePosixPath(relative)
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


def rename_preview(template: NamingTemplate) -> list[RenameItem]:
    """Every file whose name differs from what ``template`` gives it, in id order, with the
    name it would get (queries: one for the names taken, one per thousand files)."""
    planner = RenamePlanner(template)
    return [
        RenameItem(
            video_file_id=video_file.pk,
            video_id=video_file.video_id,
            title=video_file.video.title or video_file.video.source_url,
            current=video_file.path,
            new=new.as_posix(),
        )
        for video_file, new in planner.plan(files_to_name())
    ]


def video_file_rename(*, video_file: VideoFile, to: PurePosixPath | str) -> str:
    """Move the file and its sidecars to ``to`` (all or none; FileExistsError when anything
    is in the way, ValueError outside the library); return the old path. A folder the move
    leaves empty is removed once the change commits."""
    old = video_file.path
    video_file_move(video_file=video_file, to=to)
    root = library_root()
    transaction.on_commit(lambda: remove_empty_folders(root, PurePosixPath(old).parent))
    return old


def video_file_rename_undo(*, old: str, new: str, sidecars: list[str]) -> list[Path]:
    """Put back at ``old`` what a move to ``new`` that never committed had moved (the media
    file and the sidecars with ``sidecars``' suffixes); return the paths put back. A file
    is moved back only when ``old`` is free and ``new`` holds it."""
    root = library_root()
    moved = []
    pairs = [(old, new), *((_sidecar(old, s), _sidecar(new, s)) for s in sidecars)]
    for was, now in pairs:
        try:
            was_path, now_path = resolve_inside(root, was), resolve_inside(root, now)
        except ValueError:
            continue
        if was_path.exists() or not now_path.is_file():
            continue
        was_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(now_path, was_path)
        moved.append(was_path)
        logger.info("put %s back after an interrupted rename", was_path)
    remove_empty_folders(root, PurePosixPath(new).parent)
    return moved


def remove_empty_folders(root: Path, folder: PurePosixPath) -> None:
    """Remove ``folder`` (relative to ``root``) and its parents while they are empty."""
    while folder.parts:
        try:
            path = resolve_inside(root, folder)
            path.rmdir()
        except (ValueError, OSError):
            return
        folder = folder.parent


def _sidecar(media: str, suffix: str) -> str:
    return sidecar_path(Path(media), suffix).as_posix()
