"""Manual import: ``run_import_scan`` and ``run_import_apply``, the plain functions behind
the ``scan_import`` and ``apply_import`` actors.

A scan reads one page of files per message (``IMPORT_PAGE_SIZE``): the folders still to
read, the folder being read and the last name read in it are in the job's options, and a
folder is read in name order through ``os.scandir`` keeping only the page's smallest names,
so a folder of thousands of files is never held in memory. Each file is checked against the
import roots (a symlink pointing elsewhere is a problem row, never read), read once by
ffmpeg and matched (:mod:`videos.library.import_files`); its row is stored. Nothing else
changes.

An apply imports one page of rows per message, each in its own transaction: the row is
claimed (``applied``), the video found or created, the file placed and named
(:mod:`videos.library.import_store`), the ``imported`` history row written; any failure
rolls all of it back and leaves the file untouched. A row already applied, or whose video
has a file by now, is skipped with the reason, so applying twice changes nothing.
"""

from __future__ import annotations

import heapq
import logging
import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from dramatiq.middleware import Shutdown
from redis.exceptions import RedisError

from jobs import kinds
from jobs.history import history_record
from jobs.models import HistoryEvent, ImportRow, Job
from jobs.services.errors import JobError
from jobs.services.providers import metadata_refresh_after_import
from jobs.transitions import job_claim, job_requeue
from jobs.transitions.video import videos_status_refresh
from jobs.worker.context import RunContext, incoming_dir
from jobs.worker.outcomes import complete, end_cancelled, fail, requeue
from jobs.worker.progress import ProgressReporter, cancel_flag
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import REDIS_DOWN
from videos.library import run_post_store_steps
from videos.library.artwork import ArtworkUnavailable, video_artwork_import
from videos.library.ffmpeg import FfmpegError
from videos.library.import_files import Nfo, import_sidecars, match_file, media_read, read_nfo
from videos.library.import_paths import ImportPathRefused, check_import_file
from videos.library.import_store import ImportFailed, video_file_import
from videos.library.sidecars import sidecar_path
from videos.library.steps import media_path
from videos.metadata import video_metadata_from_import
from videos.metadata_rules import SOURCE_IMPORTED
from videos.models import Video, VideoFile
from videos.naming import naming_template
from videos.selectors import video_find_by_name
from videos.services import artist_get_or_create

logger = logging.getLogger(__name__)

Status = Job.Status
# Files next to the media files that a scan does not list (they describe a file).
SIDECAR_EXTENSIONS = frozenset({".nfo", ".jpg", ".jpeg", ".png", ".webp", ".srt", ".vtt"})
MAX_SKIPPED_KEPT = 100


def run_import_scan(job_id: int, *, context: RunContext) -> None:
    """Read one page of the folder's files; queue the next page, or finish."""
    _run(job_id, kinds.IMPORT_SCAN, _scan_page, context)


def run_import_apply(job_id: int, *, context: RunContext) -> None:
    """Import one page of the ticked rows; queue the next page, or finish."""
    _run(job_id, kinds.IMPORT_APPLY, _apply_page, context)


def _run(job_id: int, kind: str, page: Callable, context: RunContext) -> None:
    job = Job.objects.filter(pk=job_id, kind=kind).first()
    if job is None or job.status != Status.QUEUED:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    with job_log_context(job_id=job.pk, video_id=None):
        claimed = job_claim(job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher)
        if claimed is None:
            return
        context.registry[claimed.pk] = ProgressReporter(claimed, context)
        try:
            try:
                end = page(claimed, context)
            except Shutdown:
                end = partial(requeue, claimed, context, delay=0.0, reason="", refund_attempt=True)
            except Exception as exc:
                logger.exception("job %s: unexpected error", claimed.pk)
                reason = f"Unexpected error: {exc}. This is a bug; report it."
                end = partial(fail, claimed, context, reason=reason)
        finally:
            context.registry.pop(claimed.pk, None)
        end()


# --- the scan -------------------------------------------------------------------------------
def _scan_page(job: Job, context: RunContext) -> Callable[[], None]:
    options = dict(job.options)
    if cancel_flag(job.pk):
        return partial(end_cancelled, job, context)
    folder = Path(options["path"])
    budget = _page_size()
    rows = []
    while budget > 0:
        if options.get("current") is None:
            if not options["dirs"]:
                break
            options["current"], options["cursor"] = options["dirs"].pop(0), ""
        requested = budget
        entries = _next_entries(Path(options["current"]), options["cursor"], requested)
        for entry in entries:
            options["cursor"] = entry.name
            if entry.is_dir(follow_symlinks=False):
                options["dirs"].append(entry.path)
                continue
            if Path(entry.name).suffix.lower() in SIDECAR_EXTENSIONS:
                continue
            rows.append(_scan_file(job, Path(entry.path), folder, options, index=len(rows)))
            budget -= 1
        if len(entries) < requested:  # the folder is read to its end
            options["current"] = None
    if rows:
        ImportRow.objects.bulk_create(rows)
    options["rows"] = int(options["rows"]) + len(rows)
    options["problems"] = int(options["problems"]) + sum(1 for row in rows if row.problems)
    done = options.get("current") is None and not options["dirs"]
    Job.objects.filter(pk=job.pk).update(options=options)
    job.options = options
    message = f"Found {options['rows']} files ({options['problems']} with problems)"
    _report(job, context, message)
    if done:
        return partial(complete, job, context, message=message)
    return partial(_next_page, job, context, message=f"{message}; reading on")


def _next_entries(directory: Path, cursor: str, count: int) -> list[os.DirEntry]:
    """The ``count`` entries of ``directory`` after ``cursor`` in name order (hidden ones
    left out), holding no more than that many at a time."""
    try:
        with os.scandir(directory) as scan:
            candidates = (e for e in scan if e.name > cursor and not e.name.startswith("."))
            return heapq.nsmallest(count, candidates, key=lambda entry: entry.name)
    except OSError:
        logger.warning("import scan: %s could not be read", directory, exc_info=True)
        return []


def _scan_file(job: Job, path: Path, folder: Path, options: dict, *, index: int) -> ImportRow:
    row = ImportRow(job=job, index=int(options["rows"]) + index, path=str(path)[:4096])
    try:
        real = check_import_file(path, mode=options["mode"])
    except ImportPathRefused as refused:
        row.title = path.stem[:500]
        row.problems = [str(refused)]
        return row
    found = match_file(path, folder=folder, real_path=real)
    row.artist, row.title, row.source_id = found.artist, found.title, found.source_id
    row.matched_video = found.video
    row.source, row.confidence, row.problems = found.source, found.confidence, found.problems
    return row


# --- the apply ------------------------------------------------------------------------------
def _apply_page(job: Job, context: RunContext) -> Callable[[], None]:
    options = dict(job.options)
    if cancel_flag(job.pk):
        return partial(end_cancelled, job, context)
    wanted = options["rows"]
    start = int(options["position"])
    page = wanted[start : start + _page_size()]
    rows = {
        row.index: row for row in ImportRow.objects.filter(job_id=options["scan"], index__in=page)
    }
    staging = incoming_dir(job.pk)
    try:
        for index in page:
            row = rows.get(index)
            reason = "it is no longer in the scan" if row is None else _apply_row(job, row, staging)
            if reason:
                skipped = options["skipped"]
                if len(skipped) < MAX_SKIPPED_KEPT:
                    skipped.append({"row": index, "reason": reason})
                options["skipped_count"] = int(options.get("skipped_count") or 0) + 1
            else:
                options["imported"] = int(options["imported"]) + 1
            options["position"] = int(options["position"]) + 1
            Job.objects.filter(pk=job.pk).update(options=options)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    job.options = options
    done = int(options["position"]) >= len(wanted)
    job.progress = min(99.0, round(100.0 * int(options["position"]) / max(len(wanted), 1), 1))
    Job.objects.filter(pk=job.pk).update(progress=job.progress)
    message = _apply_message(options)
    _report(job, context, message)
    if done:
        return partial(_applied, job, context, message=message)
    return partial(_next_page, job, context, message=f"{message}; importing on")


def _applied(job: Job, context: RunContext, *, message: str) -> None:
    """The import is done; the providers' refresh of what it imported follows (the setting
    allowing), never a reason for the import to fail."""
    complete(job, context, message=message)
    close_old_connections()
    try:
        metadata_refresh_after_import(job=job)
    except (JobError, RedisError, *REDIS_DOWN) as exc:
        logger.warning("job %s: the metadata refresh could not be started: %s", job.pk, exc)


def _apply_row(job: Job, row: ImportRow, staging: Path) -> str:
    """Import one row; return "" when it was imported, else why it was skipped (then
    nothing changed)."""
    if row.applied:
        return row.outcome or "it was imported already"
    mode = job.options["mode"]
    try:
        real = check_import_file(Path(row.path), mode=mode)
    except ImportPathRefused as refused:
        return _skip(row, str(refused))
    details, problem = media_read(real)
    if problem:
        return _skip(row, problem)
    try:
        with transaction.atomic():
            # The claim: of two imports of the row, one finds it applied (then rolls back).
            if not ImportRow.objects.filter(pk=row.pk, applied=False).update(applied=True):
                raise _Skip("it was imported already")
            video = _video_for(row)
            owner = VideoFile.objects.filter(path=_relative(real)).first()
            if owner is not None or (video is not None and video.current_file is not None):
                raise _Skip(f"already in the library as #{(owner or video.file).video_id}")
            if video is None:
                video = _video_create(row)
            nfo = read_nfo(real)
            if nfo is not None:
                _take_nfo_fields(video, nfo)
            sidecars = import_sidecars(real)
            video_file = video_file_import(
                video=video,
                source=real,
                mode=mode,
                staging=staging,
                details=details,
                template=naming_template(),
                sidecars=sidecars,
            )
            if details.duration and not video.duration:
                Video.objects.filter(pk=video.pk).update(duration=details.duration)
            history_record(
                HistoryEvent.Event.IMPORTED,
                video=video,
                job=job,
                data={
                    "path": row.path,
                    "mode": mode,
                    "file": video_file.path,
                    "sidecars": sorted(sidecars),
                },
            )
            row.applied, row.outcome = True, f"Imported as #{video.pk}"
            ImportRow.objects.filter(pk=row.pk).update(outcome=row.outcome, matched_video=video)
            videos_status_refresh(video_ids=[video.pk])
    except _Skip as skip:
        return _skip(row, str(skip))
    except (ImportFailed, OSError, ValueError) as error:
        logger.warning("job %s: %s was not imported: %s", job.pk, row.path, error)
        return _skip(row, str(error))
    notes = [_imported_artwork(video, video_file)]
    notes += run_post_store_steps(video=video, video_file=video_file)
    failures = [note for note in notes if note]
    if failures:
        ImportRow.objects.filter(pk=row.pk).update(
            outcome=f"{row.outcome}; {' '.join(failures)}"[:500]
        )
    return ""


class _Skip(Exception):
    """A row not to import after all: its transaction rolls back, its reason is kept."""


def _video_for(row: ImportRow) -> Video | None:
    """The row's matched video (as it is now), else one of the same source id or the same
    artist and title (made by an earlier row, or added since the scan)."""
    video = None
    if row.matched_video_id is not None:
        video = Video.objects.filter(pk=row.matched_video_id).first()
    if video is None and row.source_id:
        video = Video.objects.filter(source_id=row.source_id).order_by("pk").first()
    if video is None and row.artist and row.title:
        video = video_find_by_name(artist=row.artist, title=row.title)
    return video


def _take_nfo_fields(video: Video, nfo: Nfo) -> None:
    """The NFO's fields become the video's ("imported"; a field set by hand is kept)."""
    changed = video_metadata_from_import(video=video, fields=nfo.fields())
    if changed:
        video.save(update_fields=[*changed, "updated_at"])


def _imported_artwork(video: Video, video_file: VideoFile) -> str:
    """Make the picture that came with the file (``-thumb.jpg``, else ``.jpg``) the video's
    artwork, so the post-store steps keep it rather than take a frame; a sentence when it
    cannot be read as a picture ("" otherwise, or when none came)."""
    media = media_path(video_file)
    for suffix in ("-thumb.jpg", ".jpg"):
        if media is None or suffix not in video_file.sidecars:
            continue
        try:
            video_artwork_import(video, sidecar_path(media, suffix))
        except (ArtworkUnavailable, FfmpegError, OSError) as error:
            return f"The picture that came with the file is not its artwork ({error})."
        return ""
    return ""


def _video_create(row: ImportRow) -> Video:
    artist = artist_get_or_create(name=row.artist) if row.artist else None
    title = row.title or Path(row.path).stem
    return Video.objects.create(
        source_url="",
        added_without_url=True,
        title=title[:500],
        artist=artist,
        source_id=row.source_id,
        field_sources=dict.fromkeys(("title", "artist") if artist else ("title",), SOURCE_IMPORTED),
    )


def _skip(row: ImportRow, reason: str) -> str:
    ImportRow.objects.filter(pk=row.pk, applied=False).update(outcome=f"Skipped: {reason}"[:500])
    return reason


def _relative(path: Path) -> str:
    root = Path(settings.LIBRARY_ROOT).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else ""


def _apply_message(options: dict) -> str:
    imported = int(options["imported"])
    skipped = int(options.get("skipped_count") or 0)
    text = f"Imported {imported} file{'s' if imported != 1 else ''}"
    if skipped:
        reasons = "; ".join(f"row {s['row']}: {s['reason']}" for s in options["skipped"][:5])
        text += f", skipped {skipped} ({reasons})"
    return text[:255]


# --- shared ---------------------------------------------------------------------------------
def _page_size() -> int:
    return settings.IMPORT_PAGE_SIZE


def _report(job: Job, context: RunContext, message: str) -> None:
    reporter = context.registry.get(job.pk)
    if reporter is None:
        return
    reporter.job.message = message[:255]
    reporter.job.progress = job.progress
    reporter.figures = {"progress": job.progress}
    reporter.push()


def _next_page(job: Job, context: RunContext, *, message: str) -> None:
    close_old_connections()
    if cancel_flag(job.pk):
        end_cancelled(job, context)
        return
    requeued = job_requeue(
        job=job, message=message[:255], refund_attempt=True, publisher=context.publisher
    )
    if requeued:
        context.send_or_keep(job, delay=0.0)
