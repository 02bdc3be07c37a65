"""What runs after a download is stored: the post-store steps, in order.

A step is a function called as ``run(video=…, video_file=…)`` once the file is in the
library and recorded (a sidecar writer, a tagger, a notification). The download has
succeeded by then, so a step that raises does not undo it: the error is logged with its
traceback, the next steps still run, and the caller gets one sentence per failed step to
show on the job (``jobs`` puts them in the finished job's message).

:data:`POST_STORE_STEPS` lists the steps that touch only the library (sidecars, tags); a
step that must start a job (a notification, a media-server refresh) is declared in
``jobs`` and passed after these, since ``videos`` never imports ``jobs``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from videos.models import Video, VideoFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostStoreStep:
    name: str  # "nfo", "tags": for logs
    label: str  # what a person reads when it fails: "Writing the NFO file"
    run: Callable[..., None]  # run(*, video: Video, video_file: VideoFile) -> None


# None yet: the issues that add sidecars and tags add their steps here, in the order to run.
POST_STORE_STEPS: tuple[PostStoreStep, ...] = ()


def run_post_store_steps(
    *,
    video: Video,
    video_file: VideoFile,
    steps: Iterable[PostStoreStep] | None = None,
) -> list[str]:
    """Run ``steps`` (default: :data:`POST_STORE_STEPS`) in order; return a sentence for each
    one that failed (empty when all succeeded). Never raises for a step's error."""
    failures = []
    for step in POST_STORE_STEPS if steps is None else steps:
        try:
            step.run(video=video, video_file=video_file)
        except Exception as exc:
            logger.exception("post-store step %r failed for video %s", step.name, video.pk)
            failures.append(f"{step.label} failed ({type(exc).__name__}: {exc}).")
    return failures
