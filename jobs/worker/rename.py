"""Renaming the library to the naming templates: ``run_rename(job_id, context=…)``, the plain
function behind the ``rename_library`` actor.

One message looks at one page of files (``LIBRARY_RENAME_PAGE_SIZE``, in id order after the
cursor in the job's options) and moves each whose name differs (:mod:`videos.library.rename`),
then the job goes back to the queue with the cursor moved on. Each move is whole or not at
all, and is committed with its ``renamed`` history row. Before a move the job notes it in its
options; a worker that dies in the middle leaves the note, and the next attempt first puts
back whatever that move had moved, so a crash never leaves half a bundle renamed.

A file that cannot be moved (a read-only folder, a file in the way) keeps its old name and
is listed in the job's error; the others go on. When a file had to take a numbered name
(``Title (2)``) because another file still held its name, a second round runs once the
first is done, so a file freed later in the round is taken after all: a job that ends has
left nothing a second run would change.

A job with an ``artist`` in its options (a renamed artist: ``jobs.services.rename.
artist_files_submit``) looks at that artist's files only, and queues a rewrite of every one
of their sidecars, moved or not (the NFO names the artist); one with a ``video`` (an edited
video: ``video_file_submit``) does the same for that video's file. Renames run one at a time, oldest
first: a job that finds an older rename queued or running waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import PurePosixPath

from django.conf import settings
from django.db import close_old_connections, transaction
from dramatiq.middleware import Shutdown

from jobs import kinds
from jobs.history import history_record
from jobs.models import HistoryEvent, Job
from jobs.services.sidecars import sidecars_submit
from jobs.transitions import job_claim, job_requeue
from jobs.worker.context import RunContext
from jobs.worker.outcomes import complete, end_cancelled, fail, requeue
from jobs.worker.progress import ProgressReporter, cancel_flag
from mvidarr.ops.logs import job_log_context
from videos.library.rename import (
    RenamePlanner,
    files_to_name,
    video_file_rename,
    video_file_rename_undo,
)
from videos.library.templates import NamingTemplate
from videos.models import VideoFile

logger = logging.getLogger(__name__)

Status = Job.Status
Event = HistoryEvent.Event
MAX_ROUNDS = 2
# Failures kept in the job's options, and listed in its error (the count says how many).
MAX_FAILURES_KEPT = 100
MAX_FAILURES_LISTED = 20
CANCEL_CHECK_EVERY = 25
# How long a rename waits before it looks again whether an older one has ended.
WAIT_FOR_OLDER_SECONDS = 5.0


def run_rename(job_id: int, *, context: RunContext) -> None:
    """Rename one page of the library's files; queue the next page, or finish."""
    job = Job.objects.filter(pk=job_id, kind=kinds.LIBRARY_RENAME).first()
    if job is None or job.status != Status.QUEUED:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    if _older_rename_active(job):
        context.send_or_keep(job, delay=WAIT_FOR_OLDER_SECONDS)
        return
    with job_log_context(job_id=job.pk, video_id=None):
        claimed = job_claim(job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher)
        if claimed is None:
            return
        # Registered, so the process's monitor writes the job's heartbeat meanwhile.
        context.registry[claimed.pk] = ProgressReporter(claimed, context)
        try:
            end = _rename_page(claimed, context)
        finally:
            context.registry.pop(claimed.pk, None)
        end()


def _rename_page(job: Job, context: RunContext) -> Callable[[], None]:
    """Move one page's files; return what ends this message (next page, finish, fail)."""
    options = dict(job.options)
    if "after" in options and options["after"] is None:  # a finished job retried: afresh
        options.update(after=0, round=1, renamed=0, examined=0, failures=[], failed=0)
    try:
        _undo_interrupted_move(job, options)
        if cancel_flag(job.pk):
            return partial(end_cancelled, job, context)
        template = NamingTemplate(options["artist_folder"], options["file"])
        planner = RenamePlanner(template)
        artist_id = options.get("artist") or None
        video_id = options.get("video") or None
        files = files_to_name(
            after=int(options.get("after") or 0), artist_id=artist_id, video_id=video_id
        )
        page = list(files[: _page_size()])
        failed = {int(item["video"]) for item in options.get("failures", [])}
        for index, video_file in enumerate(page):
            if index % CANCEL_CHECK_EVERY == CANCEL_CHECK_EVERY - 1 and cancel_flag(job.pk):
                return partial(end_cancelled, job, context)
            new = planner.target(video_file)
            moved = False
            if (
                new is not None
                and new.as_posix() != video_file.path
                and video_file.video_id not in failed  # failed in the first round: once is enough
            ):
                old = video_file.path
                moved = _rename_one(job, options, video_file, new)
                if moved:
                    planner.claim(video_file.pk, old=old, new=new)
            first_round = int(options.get("round") or 1) == 1
            if (artist_id or video_id) and first_round and not moved:  # a move queues its own
                sidecars_submit(
                    video=video_file.video, user=None, origin=Job.Origin.SYSTEM, batch=True
                )
        options["numbered"] = bool(options.get("numbered")) or planner.numbered
        options["examined"] = int(options.get("examined") or 0) + len(page)
        if len(page) == _page_size():
            options["after"] = page[-1].pk
        elif _another_round(options):
            options.update(after=0, round=int(options.get("round") or 1) + 1, numbered=False)
        else:
            options["after"] = None
        job.progress = _progress(options)
        Job.objects.filter(pk=job.pk).update(options=options, progress=job.progress)
        job.options = options
        _report(job, context, options)
        if options["after"] is None:
            return partial(_finish, job, context)
        return partial(_next_page, job, context)
    except Shutdown:
        return partial(requeue, job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        return partial(fail, job, context, reason=reason)


def _rename_one(job: Job, options: dict, video_file: VideoFile, new: PurePosixPath) -> bool:
    """Move one bundle and record it; on failure record why (its files stay where they
    were). Returns whether it moved."""
    old = video_file.path
    note = {"old": old, "new": new.as_posix(), "sidecars": list(video_file.sidecars)}
    Job.objects.filter(pk=job.pk).update(options={**options, "moving": note})
    try:
        with transaction.atomic():
            video_file_rename(video_file=video_file, to=new)
            history_record(
                Event.RENAMED,
                video=video_file.video,
                job=job,
                data={"old": old, "new": new.as_posix()},
            )
            options["renamed"] = int(options.get("renamed") or 0) + 1
            Job.objects.filter(pk=job.pk).update(options=options)
            # The NFO names its -thumb.jpg, and the artist's files belong in the new folder.
            sidecars_submit(video=video_file.video, user=None, origin=Job.Origin.SYSTEM, batch=True)
        return True
    except (OSError, ValueError) as exc:
        logger.warning("job %s: %s could not be renamed: %s", job.pk, old, exc)
        video_file.path = old
        options["failed"] = int(options.get("failed") or 0) + 1
        failures = list(options.get("failures", []))
        if len(failures) < MAX_FAILURES_KEPT:
            failures.append({"video": video_file.video_id, "path": old, "reason": _reason(exc)})
        options["failures"] = failures
        Job.objects.filter(pk=job.pk).update(options=options)
        return False


def _report(job: Job, context: RunContext, options: dict) -> None:
    """Push the page's figures to the pages (the row has them already)."""
    reporter = context.registry.get(job.pk)
    if reporter is None:
        return
    renamed = int(options.get("renamed") or 0)
    reporter.job.progress = job.progress
    reporter.job.message = f"Renamed {renamed} files; looked at {options['examined']}"
    reporter.figures = {"progress": job.progress}
    reporter.push()


def _undo_interrupted_move(job: Job, options: dict) -> None:
    """Put back what a move that never committed had moved (its worker died mid-move)."""
    note = options.pop("moving", None)
    if not note:
        return
    moved = video_file_rename_undo(old=note["old"], new=note["new"], sidecars=note["sidecars"])
    logger.warning(
        "job %s: an interrupted move of %s was undone (%d files)", job.pk, note["old"], len(moved)
    )
    Job.objects.filter(pk=job.pk).update(options=options)


def _older_rename_active(job: Job) -> bool:
    """Whether a rename started before ``job`` is still queued or running."""
    older = Job.objects.filter(
        kind=kinds.LIBRARY_RENAME, status__in=Job.ACTIVE_STATUSES, pk__lt=job.pk
    )
    return older.exists()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return str(exc)


def _another_round(options: dict) -> bool:
    """Whether a round that gave numbered names should run again (once)."""
    return bool(options.get("numbered")) and int(options.get("round") or 1) < MAX_ROUNDS


def _page_size() -> int:
    return settings.LIBRARY_RENAME_PAGE_SIZE


def _progress(options: dict) -> float:
    total = max(int(options.get("total") or 0), 1) * int(options.get("round") or 1)
    return min(99.0, round(100.0 * int(options.get("examined") or 0) / total, 1))


# --- how a message ends --------------------------------------------------------------------
def _next_page(job: Job, context: RunContext) -> None:
    close_old_connections()
    if cancel_flag(job.pk):
        end_cancelled(job, context)
        return
    renamed = int(job.options.get("renamed") or 0)
    requeued = job_requeue(
        job=job,
        message=f"Renamed {renamed} files so far; the next page follows",
        refund_attempt=True,
        publisher=context.publisher,
    )
    if requeued:
        context.send_or_keep(job, delay=0.0)


def _finish(job: Job, context: RunContext) -> None:
    close_old_connections()
    options = job.options
    renamed = int(options.get("renamed") or 0)
    done = f"Renamed {renamed} file{'s' if renamed != 1 else ''}"
    failures = options.get("failures", [])
    failed = int(options.get("failed") or 0)
    if not failed:
        complete(job, context, message=done)
        return
    listed = "; ".join(
        f"{item['path']}: {item['reason']}" for item in failures[:MAX_FAILURES_LISTED]
    )
    more = failed - min(len(failures), MAX_FAILURES_LISTED)
    reason = (
        f"{done}; {failed} could not be renamed and keep their names ({listed}"
        f"{f'; and {more} more' if more > 0 else ''}). Fix what is in their way, then retry."
    )
    fail(job, context, reason=reason)
