"""The library's files: safe names, a video's files as one bundle, and what runs after a
download is stored.

- :mod:`~videos.library.naming`: path components every filesystem accepts; paths that stay
  inside the library root.
- :mod:`~videos.library.templates`: the naming templates (tokens, presets) that say where a
  video's file goes.
- :mod:`~videos.library.sidecars`: the declared kinds of file that sit next to a media file.
- :mod:`~videos.library.files`: moves that happen together or not at all (``os.replace``).
- :mod:`~videos.library.bundle`: store, move, delete a video's file with its sidecars, and
  its ``VideoFile`` row in the same step.
- :mod:`~videos.library.poststore`: the steps run after a download is stored;
  :mod:`~videos.library.steps`: those that write the artwork, sidecars and tags, with
  :mod:`~videos.library.artwork`, :mod:`~videos.library.nfo`, :mod:`~videos.library.tags`,
  :mod:`~videos.library.streams` (a file's streams from ``ffmpeg -i``) and
  :mod:`~videos.library.images`.
"""

from videos.library.bundle import (
    library_purge_old_trash,
    library_root,
    video_file_delete,
    video_file_move,
    video_file_path,
    video_file_sidecar_paths,
    video_file_store,
    video_file_write_sidecar,
)
from videos.library.poststore import (
    POST_STORE_STEPS,
    PostStoreReport,
    PostStoreStep,
    post_store_report,
    run_post_store_steps,
)
from videos.library.sidecars import SIDECAR_KINDS, SidecarKind
from videos.library.steps import StepFailed, media_path, tags_write

__all__ = [
    "POST_STORE_STEPS",
    "SIDECAR_KINDS",
    "PostStoreReport",
    "PostStoreStep",
    "SidecarKind",
    "StepFailed",
    "library_purge_old_trash",
    "library_root",
    "media_path",
    "post_store_report",
    "run_post_store_steps",
    "tags_write",
    "video_file_delete",
    "video_file_move",
    "video_file_path",
    "video_file_sidecar_paths",
    "video_file_store",
    "video_file_write_sidecar",
]
