"""A video's files as one bundle: its media file and the sidecars that belong to it.

Storing, moving and deleting go through here and nowhere else: every path is resolved
inside the library root (:func:`~videos.library.naming.resolve_inside`, whatever a title
or a stored path holds), the media file and its sidecars move together or not at all
(:mod:`videos.library.files`), and the :class:`~videos.models.VideoFile` row changes in the
same step. Files set aside (a replaced or deleted media file) are purged only once the row
is committed, so a rolled-back change never loses a file that is still recorded.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction

from videos import ytdlp
from videos.library.files import Moves, moving_together, purge_old_trash, write_atomically
from videos.library.naming import resolve_inside
from videos.library.sidecars import (
    ARTIST_FILES,
    SIDECAR_KINDS,
    SidecarKind,
    check_suffix,
    sidecar_path,
)
from videos.library.templates import (
    DEFAULT_TEMPLATE,
    MAX_NUMBER,
    NamingTemplate,
    name_values_for,
    numbered,
    path_key,
    quality_name,
    relative_path,
)
from videos.models import Video, VideoFile

logger = logging.getLogger(__name__)

# Files set aside are purged when their change commits; older ones were left by a crash.
TRASH_MAX_AGE_SECONDS = 3600.0


def library_root() -> Path:
    return Path(settings.LIBRARY_ROOT).resolve()


def video_file_path(video: Video) -> Path | None:
    """The video's media file as an absolute path inside the library, or None (no file
    record, a recorded path outside the library, or no file there)."""
    video_file = video.current_file
    if video_file is None:
        return None
    try:
        path = resolve_inside(library_root(), video_file.path)
    except ValueError:
        return None
    return path if path.is_file() else None


def library_purge_old_trash(*, min_age_seconds: float = TRASH_MAX_AGE_SECONDS) -> list[Path]:
    """Remove what a process that died mid-move left in the library's trash."""
    return purge_old_trash(library_root(), min_age_seconds=min_age_seconds)


def video_file_store(
    *,
    video: Video,
    result: ytdlp.DownloadResult,
    template: NamingTemplate = DEFAULT_TEMPLATE,
    sidecars: Mapping[str, Path] | None = None,
) -> VideoFile:
    """Move a finished download into the library as the video's file, with its sidecars.

    The file goes where ``template`` names it (the default:
    ``<library>/<Artist>/<Title> [<source id>].<ext>``); a previous file of the video is
    replaced only now that the new one is complete, and its sidecars follow the new name.
    ``sidecars`` (suffix → a file inside the library, an import's) move beside it too and
    are recorded. On any failure the library is as it was and the download is where it was.
    """
    sidecars = {check_suffix(suffix): Path(path) for suffix, path in (sidecars or {}).items()}
    root = library_root()
    file_quality = quality_name(
        height=result.height,
        width=result.width,
        video_codec=result.video_codec,
        audio_codec=result.audio_codec,
    )
    values = name_values_for(video, info=result.info, quality=file_quality)
    relative = relative_path(template, values, ext=result.ext)
    current = VideoFile.objects.filter(video=video).first()
    destination = _free_destination(
        root, relative, video=video, current=current, extra_suffixes=frozenset(sidecars)
    )
    video_file = current or VideoFile(video=video)
    with moving_together(root) as moves, transaction.atomic():
        moves.put(Path(result.path), destination)
        if current is not None:
            _carry_sidecars(moves, root, current, destination)
            _discard_media(moves, root, current.path, keep=destination)
        for suffix, path in sidecars.items():
            moves.put(path, sidecar_path(destination, suffix))
        if sidecars:
            recorded = current.sidecars if current is not None else []
            video_file.sidecars = [*recorded, *(s for s in sidecars if s not in recorded)]
        video_file.path = destination.relative_to(root).as_posix()
        video_file.size = result.size
        video_file.width = result.width
        video_file.height = result.height
        video_file.video_codec = (result.video_codec or "")[:64]
        video_file.audio_codec = (result.audio_codec or "")[:64]
        video_file.container = (result.ext or "")[:16]
        video_file.format = (result.format or "")[:255]
        video_file.save()
    transaction.on_commit(moves.purge)
    video.file = video_file
    return video_file


def video_file_move(*, video_file: VideoFile, to: str | PurePosixPath) -> VideoFile:
    """Move the media file to ``to`` (relative to the library) and its sidecars with it.

    Raises ValueError when ``to`` is outside the library, FileExistsError when another
    file is there (at ``to`` or where one of its sidecars would go: nothing is overwritten);
    on any failure every file stays where it was.
    """
    root = library_root()
    destination = resolve_inside(root, to)
    source = resolve_inside(root, video_file.path)
    if destination == source:
        return video_file
    for target in (destination, *(sidecar_path(destination, s) for s in video_file.sidecars)):
        if target.exists() or target.is_symlink():
            name = target.relative_to(root).as_posix()
            raise FileExistsError(f"{name} is already in the library.")
    old_relative = video_file.path
    with moving_together(root) as moves, transaction.atomic():
        moves.put(source, destination)
        _carry_sidecars(moves, root, video_file, destination)
        video_file.path = destination.relative_to(root).as_posix()
        _carry_lone_artist_files(moves, old_relative, video_file.path)
        video_file.save(update_fields=["path", "sidecars", "updated_at"])
    transaction.on_commit(moves.purge)
    return video_file


def video_file_delete(*, video_file: VideoFile) -> None:
    """Delete the record, the media file and its sidecars (purged once the deletion is
    committed). A recorded path outside the library is left alone and logged."""
    root = library_root()
    with moving_together(root) as moves, transaction.atomic():
        for suffix in video_file.sidecars:
            _discard_media(moves, root, _sidecar_relative(video_file.path, suffix))
        _discard_media(moves, root, video_file.path)
        _discard_lone_artist_files(moves, root, video_file.path)
        video_file.delete()
    transaction.on_commit(moves.purge)


def video_file_write_sidecar(*, video_file: VideoFile, kind: SidecarKind, data: bytes) -> Path:
    """Write (or replace) one sidecar of the file, atomically, and record it; returns its
    path."""
    media = resolve_inside(library_root(), video_file.path)
    target = sidecar_path(media, kind.suffix)
    write_atomically(target, data)
    if kind.suffix not in video_file.sidecars:
        video_file.sidecars = [*video_file.sidecars, kind.suffix]
        video_file.save(update_fields=["sidecars", "updated_at"])
    return target


def video_file_remove_sidecar(*, video_file: VideoFile, kind: SidecarKind) -> None:
    """Delete one sidecar of the file (its kind was switched off) and forget it."""
    if kind.suffix not in video_file.sidecars:
        return
    media = resolve_inside(library_root(), video_file.path)
    sidecar_path(media, kind.suffix).unlink(missing_ok=True)
    video_file.sidecars = [suffix for suffix in video_file.sidecars if suffix != kind.suffix]
    video_file.save(update_fields=["sidecars", "updated_at"])


def video_file_sidecar_paths(video_file: VideoFile) -> list[Path]:
    """The recorded sidecars' absolute paths (those inside the library)."""
    root = library_root()
    paths = []
    for suffix in video_file.sidecars:
        try:
            paths.append(resolve_inside(root, _sidecar_relative(video_file.path, suffix)))
        except ValueError:
            continue
    return paths


def _carry_sidecars(moves: Moves, root: Path, video_file: VideoFile, destination: Path) -> None:
    """Move the recorded sidecars next to ``destination``; forget those that are gone."""
    kept = []
    for suffix in video_file.sidecars:
        try:
            source = resolve_inside(root, _sidecar_relative(video_file.path, suffix))
        except ValueError:
            logger.warning("sidecar %r of %r is outside the library", suffix, video_file.path)
            continue
        if not source.is_file():
            logger.warning("sidecar %s is missing: forgotten", source)
            continue
        moves.put(source, sidecar_path(destination, suffix))
        kept.append(suffix)
    video_file.sidecars = kept


def _discard_media(moves: Moves, root: Path, relative: str, *, keep: Path | None = None) -> None:
    try:
        path = resolve_inside(root, relative)
    except ValueError:
        logger.warning("refusing to delete %r: it is outside the library", relative)
        return
    if path != keep:
        moves.discard(path)


def artist_folder(media_relative: str) -> Path | None:
    """The artist's folder of a media file: the first folder of its path inside the library;
    None for a file at the library's top (a flat naming template) or outside it."""
    parts = PurePosixPath(media_relative).parts
    if len(parts) < 2:
        return None
    try:
        return resolve_inside(library_root(), parts[0])
    except ValueError:
        return None


def _discard_lone_artist_files(moves: Moves, root: Path, media_relative: str) -> None:
    """Once the folder's last media file goes, its artist.nfo and folder.jpg go too."""
    folder = artist_folder(media_relative)
    if folder is None or not folder.is_dir():
        return
    left = list(folder.iterdir())
    if left and all(path.name in ARTIST_FILES and path.is_file() for path in left):
        for path in left:
            moves.discard(path)


def _carry_lone_artist_files(moves: Moves, old_relative: str, new_relative: str) -> None:
    """Once the last media file has left its artist's folder, the folder's artist.nfo and
    folder.jpg follow it to its new artist folder (where that folder has none of its own;
    otherwise, or at the library's top, they go), so a renamed artist leaves no folder
    behind that holds only its old name."""
    old_folder = artist_folder(old_relative)
    new_folder = artist_folder(new_relative)
    if old_folder is None or old_folder == new_folder or not old_folder.is_dir():
        return
    left = list(old_folder.iterdir())
    if not left or not all(path.name in ARTIST_FILES and path.is_file() for path in left):
        return
    for path in left:
        target = new_folder / path.name if new_folder is not None else None
        if target is not None and not target.exists() and not target.is_symlink():
            moves.put(path, target)
        else:
            moves.discard(path)


def _sidecar_relative(media_relative: str, suffix: str) -> str:
    return sidecar_path(Path(media_relative), suffix).as_posix()


def _free_destination(
    root: Path,
    relative: PurePosixPath,
    *,
    video: Video,
    current: VideoFile | None,
    extra_suffixes: frozenset[str] = frozenset(),
) -> Path:
    """Where a new file of ``video`` named ``relative`` goes: there, or at the first free
    ``<name> (2)``, ``(3)``… A name is taken by another video's file of the same name
    without its extension (ignoring case: their sidecars would share names), or by a file
    on disk where the media file or one of its sidecars would go, unless it is the video's
    own."""
    own = set(video_file_sidecar_paths(current)) if current is not None else set()
    if current is not None:
        with contextlib.suppress(ValueError):
            own.add(resolve_inside(root, current.path))
    stem = relative.with_name(relative.stem).as_posix()
    others = VideoFile.objects.exclude(video_id=video.pk).filter(path__istartswith=stem)
    taken = {path_key(path) for path in others.values_list("path", flat=True)}
    suffixes = {kind.suffix for kind in SIDECAR_KINDS} | set(current.sidecars if current else ())
    suffixes |= extra_suffixes
    for number in range(1, MAX_NUMBER):
        candidate = relative if number == 1 else numbered(relative, number)
        if path_key(candidate) in taken:
            continue
        media = resolve_inside(root, candidate)
        paths = [media, *(sidecar_path(media, suffix) for suffix in suffixes)]
        if not any((path.exists() or path.is_symlink()) and path not in own for path in paths):
            return media
    raise FileExistsError(f"No free file name next to {relative.name}.")
