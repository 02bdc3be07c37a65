"""Putting an existing file into the library as a video's file (a manual import).

The file is first placed in a staging folder inside the library (a hard link when the
folder is on the library's filesystem, else a copy), then stored exactly like a finished
download (:func:`~videos.library.bundle.video_file_store`: named by the templates, a free
name, the row in the same step), its sidecars (NFO, pictures, subtitles) beside it, named
after it. The originals are removed (``move``) only once the import is committed, so a
failure anywhere leaves them untouched and the library without a trace. ``in_place`` files
are inside the library already: they are only renamed.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

from django.db import transaction

from videos import ytdlp
from videos.library.bundle import library_root, video_file_store
from videos.library.import_paths import ImportMode
from videos.library.streams import StreamDetails
from videos.library.templates import NamingTemplate
from videos.models import Video, VideoFile

logger = logging.getLogger(__name__)


class ImportFailed(Exception):
    """A file that cannot be imported; the sentence says why and what to do."""


def video_file_import(
    *,
    video: Video,
    source: Path,
    mode: str,
    staging: Path,
    details: StreamDetails,
    template: NamingTemplate,
    sidecars: Mapping[str, Path] | None = None,
) -> VideoFile:
    """Store the file ``source`` (resolved, checked) as ``video``'s file in ``mode``, with
    the ``sidecars`` beside it (suffix → file: :func:`import_sidecars`) renamed after it;
    call inside a transaction. Raises :class:`ImportFailed` (nothing changed) when it cannot
    be placed; the originals of a ``move`` are removed when the transaction commits."""
    originals = {"": source, **(sidecars or {})}
    staged: dict[str, Path] = {}  # suffix ("" the media file) → where it waits
    try:
        for suffix, original in originals.items():
            in_place = mode == ImportMode.IN_PLACE
            staged[suffix] = original if in_place else _stage(original, mode, staging)
        ext = source.suffix.lstrip(".").lower()[:16]
        result = ytdlp.DownloadResult(
            path=staged[""],
            size=staged[""].stat().st_size,
            height=details.height,
            width=details.width,
            format=f"imported ({ext})" if ext else "imported",
            ext=ext,
            info={},
            video_codec=details.video_codec,
            audio_codec=details.audio_codec,
        )
        beside = {suffix: path for suffix, path in staged.items() if suffix}
        try:
            video_file = video_file_store(
                video=video, result=result, template=template, sidecars=beside
            )
        except OSError as error:
            raise ImportFailed(_unplaced(source, error)) from error
    except BaseException:
        if mode != ImportMode.IN_PLACE:
            for path in staged.values():
                path.unlink(missing_ok=True)
        raise
    if mode == ImportMode.MOVE:
        transaction.on_commit(lambda: _remove_originals(list(originals.values())))
    return video_file


def _unplaced(source: Path, error: OSError) -> str:
    """Why ``source`` could not be put into the library, as a sentence."""
    # os.replace names the source first and the target second; mkdir names the folder.
    target = error.filename2 or error.filename
    where = Path(target).parent if target else library_root()
    try:
        shown = where.relative_to(library_root()).as_posix()
    except ValueError:
        shown = str(where)
    place = "the library's top folder" if shown in ("", ".") else f"the library folder “{shown}”"
    reason = error.strerror or str(error)
    return (
        f"{source.name} could not be put into {place} ({reason}); nothing was imported. "
        "Check that MVidarr may write there, then apply the row again."
    )


def _stage(source: Path, mode: str, staging: Path) -> Path:
    if mode == ImportMode.MOVE and not os.access(source.parent, os.W_OK):
        raise ImportFailed(
            f"{source.parent} is read-only, so {source.name} cannot be moved out of it; "
            "choose copy, or make the folder writable."
        )
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / f"{uuid.uuid4().hex}{source.suffix.lower()}"
    try:
        if mode == ImportMode.COPY:
            _copy(source, staged)
            return staged
        try:
            os.link(source, staged)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            if mode == ImportMode.HARDLINK:
                raise ImportFailed(
                    f"{source} is on another filesystem than the library, so it cannot be "
                    "hard-linked into it; choose copy or move."
                ) from None
            _copy(source, staged)
    except OSError as error:
        staged.unlink(missing_ok=True)
        raise ImportFailed(f"{source} could not be read into the library ({error}).") from error
    return staged


def _copy(source: Path, staged: Path) -> None:
    try:
        shutil.copyfile(source, staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _remove_originals(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            logger.warning("imported %s, but it could not be removed", path, exc_info=True)
