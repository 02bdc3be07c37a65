"""What runs after a download is stored: the post-store steps, in order.

A step is a function called as ``run(video=…, video_file=…)`` once the file is in the
library and recorded (a sidecar writer, a tagger, a notification). The download has
succeeded by then, so a step that raises does not undo it: the error is logged with its
traceback, the next steps still run, and the caller gets one sentence per failed step to
show on the job (``jobs`` puts them in the finished job's message). A step that raises
:class:`StepFailed` says its own sentence; a step may also return a sentence to tell
without failing (it fell back on something: "a frame of the video is its artwork").

:data:`POST_STORE_STEPS` lists the steps that touch only the library (artwork, sidecars,
tags: :mod:`videos.library.steps`, each switched by its setting); a step that must start a
job (a notification, a media-server refresh) is declared in ``jobs`` and passed after these,
since ``videos`` never imports ``jobs``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from videos.library.bundle import artist_folder
from videos.library.steps import (
    StepFailed,
    artist_step,
    artwork_step,
    nfo_step,
    tags_step,
    thumb_step,
)
from videos.models import Artist, Video, VideoFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PostStoreStep:
    name: str  # "nfo", "tags": for logs
    label: str  # what a person reads when it fails: "Writing the NFO file"
    # run(*, video: Video, video_file: VideoFile) -> str | None (a sentence to tell)
    run: Callable[..., str | None]


POST_STORE_STEPS: tuple[PostStoreStep, ...] = (
    PostStoreStep("artwork", "Storing the artwork", artwork_step),
    PostStoreStep("thumb", "Writing the thumbnail", thumb_step),
    PostStoreStep("nfo", "Writing the NFO file", nfo_step),
    PostStoreStep("artist", "Writing the artist's files", artist_step),
    PostStoreStep("tags", "Writing the tags", tags_step),
)


@dataclass(frozen=True)
class PostStoreReport:
    """What the steps had to tell: the failures' sentences and the notes of those that
    succeeded (a fallback they took)."""

    failures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def sentences(self) -> list[str]:
        return [*self.failures, *self.notes]


def run_post_store_steps(
    *,
    video: Video,
    video_file: VideoFile,
    steps: Iterable[PostStoreStep] | None = None,
) -> list[str]:
    """Run ``steps`` (default: :data:`POST_STORE_STEPS`) in order; return a sentence for each
    one that failed or had something to tell (empty when all went as planned). Never raises
    for a step's error."""
    return post_store_report(video=video, video_file=video_file, steps=steps).sentences


def post_store_report(
    *,
    video: Video,
    video_file: VideoFile,
    steps: Iterable[PostStoreStep] | None = None,
) -> PostStoreReport:
    """Run ``steps`` as :func:`run_post_store_steps` does; return failures and notes apart."""
    failures, notes = [], []
    for step in POST_STORE_STEPS if steps is None else steps:
        try:
            note = step.run(video=video, video_file=video_file)
        except StepFailed as exc:
            logger.warning("post-store step %r failed for video %s: %s", step.name, video.pk, exc)
            failures.append(str(exc))
        except Exception as exc:
            logger.exception("post-store step %r failed for video %s", step.name, video.pk)
            failures.append(f"{step.label} failed ({type(exc).__name__}: {exc}).")
        else:
            if note:
                notes.append(note)
    return PostStoreReport(tuple(failures), tuple(notes))


def artist_files_rewrite(*, artist: Artist) -> list[str]:
    """Write ``artist.nfo`` and ``folder.jpg`` again in each folder that holds the artist's
    downloaded videos (after its ids or its picture changed); a sentence per folder that
    failed. Never raises for a step's error."""
    sentences, done = [], set()
    files = VideoFile.objects.filter(video__artist=artist).select_related("video__artist")
    for video_file in files.order_by("pk"):
        folder = artist_folder(video_file.path)
        if folder is None or folder in done:
            continue
        done.add(folder)
        steps = [step for step in POST_STORE_STEPS if step.name == "artist"]
        sentences += run_post_store_steps(
            video=video_file.video, video_file=video_file, steps=steps
        )
    return sentences
