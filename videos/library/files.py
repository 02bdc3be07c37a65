"""Moving files inside the library all together, or not at all.

Every move is an ``os.replace`` inside one filesystem (the library, its ``.incoming`` and its
``.trash`` folders), so each file is either where it was or where it goes, never half
written. :class:`Moves` remembers what it did: when a later move fails it puts every file
back (and a file it replaced comes back from the trash), so a bundle is moved whole or
stays whole where it was. Nothing here knows about the database.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

TRASH_FOLDER = ".trash"


class Moves:
    """File moves inside ``root`` that can be undone together until they are purged."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._done: list[tuple[Path, Path]] = []  # (where a file is now, where it was)
        self._made: list[Path] = []  # folders these moves created, outermost first
        self._trash: Path | None = None

    def put(self, source: Path, target: Path) -> None:
        """Move the file ``source`` to ``target``; a file already at ``target`` goes to the
        trash first. A folder in the way is not ours: IsADirectoryError."""
        if source == target:
            return
        self._make_folder(target.parent)
        if target.is_dir() and not target.is_symlink():
            raise IsADirectoryError(f"{target} is a folder, so no file can be moved there.")
        self.discard(target)
        os.replace(source, target)
        self._done.append((target, source))

    def discard(self, path: Path) -> None:
        """Set the file at ``path`` aside in the trash (nothing when there is none)."""
        if not path.is_file() and not path.is_symlink():
            return
        aside = self._trash_folder() / str(len(self._done))
        os.replace(path, aside)
        self._done.append((aside, path))

    def undo(self) -> None:
        """Put every file back where it was, last move first, and remove the folders made."""
        for now, was in reversed(self._done):
            try:
                os.replace(now, was)
            except OSError:
                logger.exception("could not put %s back at %s", now, was)
        self._done.clear()
        for folder in reversed(self._made):
            try:
                folder.rmdir()
            except OSError:
                break  # something else is in it now
        self._made.clear()
        self.purge()

    def purge(self) -> None:
        """Delete what these moves set aside: they can no longer be undone."""
        self._done.clear()
        self._made.clear()
        if self._trash is not None:
            shutil.rmtree(self._trash, ignore_errors=True)
            self._trash = None

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder != self.root and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self._made.append(path)

    def _trash_folder(self) -> Path:
        if self._trash is None:
            self._trash = self.root / TRASH_FOLDER / uuid.uuid4().hex
            self._trash.mkdir(parents=True)
        return self._trash


@contextmanager
def moving_together(root: Path) -> Iterator[Moves]:
    """Moves that are all undone when the block raises. The caller purges them when what
    records them is committed (files set aside stay in the trash until then)."""
    moves = Moves(root)
    try:
        yield moves
    except BaseException:
        moves.undo()
        raise


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder: readers see
    the old file or the new one, never part of it, and a failed write leaves no file."""
    temporary = target.with_name(f".{uuid.uuid4().hex}.part")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def purge_old_trash(root: Path, *, min_age_seconds: float) -> list[Path]:
    """Remove trash folders older than ``min_age_seconds`` (left by a process that died
    between a move and its commit); return them."""
    trash = Path(root) / TRASH_FOLDER
    if not trash.is_dir():
        return []
    removed = []
    now = time.time()
    for folder in sorted(trash.iterdir()):
        if folder.is_dir() and now - folder.stat().st_mtime >= min_age_seconds:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
            logger.info("removed the orphaned trash folder %s", folder)
    return removed
