"""Putting an existing file into the library as a video's file (a manual import).

The file is first placed in a staging folder inside the library (a hard link when the
folder is on the library's filesystem, else a copy), then stored exactly like a finished
download (:func:`~videos.library.bundle.video_file_store`: named by the templates, a free
name, the row in the same step). The original is removed (``move``) only once the import
is committed, so a failure anywhere leaves it untouched and the library without a trace.
``in_place`` files are inside the library already: they are only renamed.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import uuid
from pathlib import Path

from django.db import transaction

from videos import ytdlp
from videos.library.bundle import video_file_store
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
) -> VideoFile:
    """Store the file ``source`` (resolved, checked) as ``video``'s file in ``mode``; call
    inside a transaction. Raises :class:`ImportFailed` (nothing changed) when it cannot be
    placed; the original of a ``move`` is removed when the transaction commits."""
    staged = source if mode == ImportMode.IN_PLACE else _stage(source, mode, staging)
    ext = source.suffix.lstrip(".").lower()[:16]
    result = ytdlp.DownloadResult(
        path=staged,
        size=staged.stat().st_size,
        height=details.height,
        width=details.width,
        format=f"imported ({ext})" if ext else "imported",
        ext=ext,
        info={},
        video_codec=details.video_codec,
        audio_codec=details.audio_codec,
    )
    try:
        video_file = video_file_store(video=video, result=result, template=template)
    except BaseException:
        if staged != source:
            staged.unlink(missing_ok=True)
        raise
    if mode == ImportMode.MOVE:
        transaction.on_commit(lambda: _remove_original(source))
    return video_file


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


def _remove_original(source: Path) -> None:
    try:
        source.unlink()
    except OSError:
        logger.warning("imported %s, but the original could not be removed", source, exc_info=True)
