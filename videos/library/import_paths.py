"""Which folders a manual import may read: the library root and ``MVIDARR_IMPORT_ROOTS``.

One rule for the folder a person names and for every file found in it: the path, with its
symlinks resolved, must lie inside an allowed root. A symlink that points elsewhere is
never followed (the scan lists it as a problem and does not read it); ``in_place`` (the
file stays where it is, only renamed) is allowed only for files already in the library.
"""

from __future__ import annotations

import logging
import os
from enum import StrEnum
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


class ImportMode(StrEnum):
    MOVE = "move"
    COPY = "copy"
    HARDLINK = "hardlink"
    IN_PLACE = "in_place"


class ImportPathRefused(ValueError):
    """A folder or file outside the roots an import may read (the sentence says why)."""


def import_roots() -> list[Path]:
    """The folders besides the library an import may read, resolved; a listed folder that
    does not exist (or is not a folder) is skipped and logged, never fatal."""
    roots = []
    for entry in settings.IMPORT_ROOTS:
        path = Path(entry).expanduser()
        if not path.is_dir():
            logger.warning("MVIDARR_IMPORT_ROOTS: %s is not a folder; skipped", entry)
            continue
        roots.append(path.resolve())
    return roots


def allowed_roots() -> list[Path]:
    """The library root first, then the import roots."""
    return [Path(settings.LIBRARY_ROOT).resolve(), *import_roots()]


def inside_library(path: Path) -> bool:
    return _inside(path, Path(settings.LIBRARY_ROOT).resolve())


def check_import_folder(path: str, *, mode: str) -> Path:
    """The folder ``path`` names, resolved, when an import in ``mode`` may read it; raises
    :class:`ImportPathRefused` with a sentence otherwise."""
    if not isinstance(path, str) or not path.strip() or "\x00" in path:
        raise ImportPathRefused("Give the full path of a folder the server can read.")
    given = Path(path.strip()).expanduser()
    if not given.is_absolute():
        raise ImportPathRefused(f"{path} is not a full path; give one that starts with /.")
    folder = given.resolve()
    roots = allowed_roots()
    if not any(_inside(folder, root) for root in roots):
        names = ", ".join(str(root) for root in roots)
        raise ImportPathRefused(
            f"{path} is outside the folders an import may read ({names}); add it to "
            "MVIDARR_IMPORT_ROOTS or move the files under one of them."
        )
    if not folder.is_dir():
        raise ImportPathRefused(f"{path} is not a folder the server can read.")
    if mode == ImportMode.IN_PLACE and not inside_library(folder):
        raise ImportPathRefused(
            f"{path} is outside the library ({settings.LIBRARY_ROOT}): files can be imported "
            "in place only from inside it; choose move, copy or hardlink."
        )
    return folder


def check_import_file(path: Path, *, mode: str) -> Path:
    """``path`` (a file found by a scan) resolved, when it may be read and imported in
    ``mode``; raises :class:`ImportPathRefused` otherwise (a symlink pointing outside the
    roots, a file outside the library for ``in_place``)."""
    resolved = Path(os.path.realpath(path))
    if not any(_inside(resolved, root) for root in allowed_roots()):
        raise ImportPathRefused(
            "it is a link to a file outside the folders an import may read; not read"
        )
    if mode == ImportMode.IN_PLACE and not inside_library(resolved):
        raise ImportPathRefused("it is outside the library, so it cannot be imported in place")
    if not resolved.is_file():
        raise ImportPathRefused("it is not a regular file")
    return resolved


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
