"""Manual import: :func:`import_scan_submit` starts the ``import_scan`` job that reads a
folder and stores what it finds as rows (nothing changes); :func:`import_apply_submit`
starts the ``import_apply`` job that makes the ticked rows videos with their files
(:mod:`jobs.worker.importing`)."""

from __future__ import annotations

from django.db import transaction

from jobs import kinds, live
from jobs.models import ImportRow, Job
from jobs.progress import publish_after_commit
from jobs.services.queueing import send_job_on_commit
from jobs.services.shared import check_origin
from mvidarr import errors
from videos.library.import_paths import ImportMode, ImportPathRefused, check_import_folder

# The rows of one import job (they are in its options, which every job push carries).
MAX_ROWS_PER_APPLY = 5_000


def import_scan_find(job_id: object) -> Job | None:
    """The import scan with this id, or None."""
    if isinstance(job_id, int) and not isinstance(job_id, bool) and 0 < job_id < 2**63:
        return Job.objects.filter(pk=job_id, kind=kinds.IMPORT_SCAN).first()
    return None


def import_scan_job(job_id: object) -> Job:
    """The import scan with this id; :class:`mvidarr.errors.Invalid` when there is none."""
    scan = import_scan_find(job_id)
    if scan is None:
        raise errors.Invalid(
            f"There is no import scan #{job_id}; scan a folder first.", field="scan"
        )
    return scan


@transaction.atomic
def import_scan_submit(*, path: str, mode: str, user, origin: str = Job.Origin.USER) -> Job:
    """Start scanning the folder ``path`` for an import in ``mode``; return the queued job.
    :class:`mvidarr.errors.Invalid` for a mode or a folder an import may not use."""
    check_origin(user=user, origin=origin)
    if mode not in ImportMode.__members__.values():
        modes = ", ".join(ImportMode)
        raise errors.Invalid(f"{mode!r} is not an import mode; use one of {modes}.", field="mode")
    try:
        folder = check_import_folder(path, mode=mode)
    except ImportPathRefused as refused:
        raise errors.Invalid(str(refused), field="path") from None
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.IMPORT_SCAN,
        user=user,
        origin=origin,
        options={
            "path": str(folder),
            "mode": str(mode),
            "dirs": [str(folder)],
            "current": None,
            "cursor": "",
            "rows": 0,
            "problems": 0,
        },
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job


@transaction.atomic
def import_apply_submit(*, scan_id: object, rows: object, user) -> Job:
    """Start importing the rows ``rows`` (their indexes) of the finished scan ``scan_id``;
    return the queued job. :class:`mvidarr.errors.Invalid` for an unknown or unfinished
    scan, or a row it does not have."""
    scan = import_scan_job(scan_id)
    if scan.status != Job.Status.COMPLETED:
        raise errors.Invalid(
            f"Import scan #{scan.pk} is {scan.status}; apply rows of a finished scan.",
            field="scan",
        )
    if (
        not isinstance(rows, list)
        or not rows
        or not all(isinstance(row, int) and not isinstance(row, bool) for row in rows)
    ):
        raise errors.Invalid("Give the rows to import as a list of row indexes.", field="rows")
    if len(set(rows)) > MAX_ROWS_PER_APPLY:
        raise errors.Invalid(
            f"Import at most {MAX_ROWS_PER_APPLY:,} rows at a time; apply the rest next.",
            field="rows",
        )
    wanted = sorted(set(rows))
    count = ImportRow.objects.filter(job=scan).count()
    outside = [row for row in wanted if not 0 <= row < count]
    if outside:
        raise errors.Invalid(
            f"Import scan #{scan.pk} has rows 0 to {count - 1}; there is no row {outside[0]}.",
            field="rows",
        )
    live.require_redis()
    job = Job.objects.create(
        kind=kinds.IMPORT_APPLY,
        user=user,
        options={
            "scan": scan.pk,
            "mode": scan.options.get("mode"),
            "rows": wanted,
            "position": 0,
            "imported": 0,
            "skipped": [],
        },
        message="Waiting for a worker",
    )
    send_job_on_commit(job)
    publish_after_commit(job)
    return job
