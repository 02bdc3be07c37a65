"""The one rule for a video's status: it follows from its downloads and its file.

``Video.status`` is a column (the library filters on it), written only here, in the same
transaction as the job change that moves it. ``videos`` never imports ``jobs``, and the rule
reads jobs, so it lives here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Now
from django.db.models.lookups import Exact
from django.db.models.sql import UpdateQuery

from jobs import kinds
from jobs.models import Job
from videos.models import IgnoredEntry, Video, VideoFile

# Whether a video has its file in the library (its VideoFile record).
HAS_FILE = Exists(VideoFile.objects.filter(video=OuterRef("pk")))
# Whether the video is on the ignore list (its entry keeps it).
IS_IGNORED = Exists(IgnoredEntry.objects.filter(video=OuterRef("pk")))


def _expected_status() -> Case:
    """A video's status, as an SQL expression over the video's row:

    - ``downloading`` while one of its downloads runs (a forced re-download too: the
      library's "downloading" filter and the pages show what is being fetched now);
    - ``ignored`` when it is on the ignore list and no download of it waits (ignoring is
      refused while one runs or waits, and so is a download of an ignored video);
    - ``downloaded`` when it has a file (a queued re-download too, and a failed or
      cancelled one keeps the file);
    - ``queued`` while a download waits for a worker;
    - ``needs_source`` when it has no source yet (added by artist and title, or its source
      died and none was found again): nothing can be downloaded until one is found;
    - ``failed`` when its last download (the newest, as its page shows it) failed;
    - ``wanted`` otherwise (never downloaded, or its last download was cancelled).

    A download is a job of a kind that holds the video's slot (:mod:`jobs.kinds`); other
    jobs (probes) leave the status alone.
    """
    downloads = Job.objects.filter(
        video=OuterRef("pk"), kind__in=kinds.names(holds_video_slot=True)
    )
    last = downloads.order_by("-id").values("status")[:1]
    waiting = Exists(downloads.filter(status=Job.Status.QUEUED))
    return Case(
        When(
            Exists(downloads.filter(status=Job.Status.PROCESSING)),
            then=Value(Video.Status.DOWNLOADING),
        ),
        When(IS_IGNORED & ~waiting, then=Value(Video.Status.IGNORED)),
        When(HAS_FILE, then=Value(Video.Status.DOWNLOADED)),
        When(waiting, then=Value(Video.Status.QUEUED)),
        When(source_url="", then=Value(Video.Status.NEEDS_SOURCE)),
        When(
            Exact(Subquery(last), Value(Job.Status.FAILED)),
            then=Value(Video.Status.FAILED),
        ),
        default=Value(Video.Status.WANTED),
    )


# Stands for the video's id in the compiled statement (an id no row has).
_ID = -7_340_033
# Videos whose status one UPDATE writes when many change at once.
_CHUNK = 500


@functools.cache
def _refresh_statement(vendor: str, slot_kinds: tuple[str, ...]) -> tuple[str, tuple]:
    """The UPDATE that writes one video's status when it differs from the rule's, compiled
    once per database and registry: compiling the rule costs ~4 ms of Python, which a worker
    would otherwise spend holding SQLite's write lock at every transition while its download
    threads compete for the GIL (the API's p99 went from 0.1 s to 9 s in ``make bench``)."""
    expected = _expected_status()
    query = Video.objects.filter(pk=_ID).exclude(status=expected).query.chain(UpdateQuery)
    query.add_update_values({"status": expected, "updated_at": Now()})
    sql, params = query.get_compiler(connection.alias).as_sql()
    return sql, tuple(params)


def videos_status_refresh(*, video_ids: Iterable[int] | QuerySet) -> int:
    """Write the status the rule gives each of these videos; return how many changed.
    ``video_ids`` may be a query of one column (a bulk job's items' ``video_id``): one
    UPDATE then, whatever the number of videos.

    On PostgreSQL the rows are locked first, so the rule reads the jobs as they are once
    every other transaction on these videos has committed (each statement reads afresh);
    SQLite has one writer at a time already (transactions begin IMMEDIATE).
    """
    if isinstance(video_ids, QuerySet):
        return _videos_selected_refresh(video_ids)
    ids = sorted(set(video_ids))
    if not ids:
        return 0
    changed = 0
    # Its own transaction when the caller has none (the runner, right after storing a file).
    with transaction.atomic():
        if connection.features.has_select_for_update:
            locked = Video.objects.select_for_update().filter(pk__in=ids).order_by("pk")
            list(locked.values_list("pk", flat=True))
        if len(ids) > 1:
            # Many videos (a bulk download): one UPDATE per chunk, not one per video.
            expected = _expected_status()
            for start in range(0, len(ids), _CHUNK):
                changed += (
                    Video.objects.filter(pk__in=ids[start : start + _CHUNK])
                    .exclude(status=expected)
                    .update(status=expected, updated_at=Now())
                )
            return changed
        sql, params = _refresh_statement(
            connection.vendor, tuple(kinds.names(holds_video_slot=True))
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ids[0] if p == _ID else p for p in params])
            changed += cursor.rowcount
    return changed


def _videos_selected_refresh(video_ids: QuerySet) -> int:
    with transaction.atomic():
        chosen = Video.objects.filter(pk__in=video_ids)
        if connection.features.has_select_for_update:
            list(chosen.select_for_update().order_by("pk").values_list("pk", flat=True))
        expected = _expected_status()
        return chosen.exclude(status=expected).update(status=expected, updated_at=Now())


def video_status_refresh(*, video: Video) -> str:
    """Bring ``video``'s status in line with its downloads and its file; return it."""
    videos_status_refresh(video_ids=[video.pk])
    video.status = Video.objects.values_list("status", flat=True).get(pk=video.pk)
    return video.status
