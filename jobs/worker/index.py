"""Indexing a source: ``run_index(job_id, context=…)``, the plain function behind the
``index_source`` actor.

One message lists one page of the source (``SOURCE_INDEX_PAGE_SIZE`` entries, flat: no entry
is probed) and stores it; then the job goes back to the queue with the next offset in its
options and a new message carries on, so an index of thousands of entries never holds a
worker thread for long nor holds the listing in memory::

    queued ─claim─▶ processing: list entries offset…offset+page, store them (one transaction:
      ▲             the new videos, their "added" history, their probes' rows, the options)
      └──requeue────┘ (more entries: offset += page; the attempt is refunded)
                      │ (exhausted) the probes' messages, the downloads as one bulk job, the
                      ▼ source's counts, the "indexed" history ─▶ completed

The probes of the new videos are sent when the index ends (completed, failed or cancelled),
not page by page: on the bulk queue the index's next page would wait behind thousands of
its own probes. Should an index never end (its job cancelled while queued), housekeeping's
``resend_lost_jobs`` sends them after ``MVIDARR_LOST_MESSAGE_GRACE`` seconds.

A page that fails transiently (429, 5xx, a timeout) is retried from the same offset; one
that fails for good fails the job, and the source records the reason and backs off. Each
page holds one of the source host's slots, like a download (:mod:`jobs.worker.hosts`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from dramatiq.middleware import Shutdown
from redis.exceptions import RedisError

from jobs import kinds
from jobs.history import history_event, history_record, history_record_many
from jobs.models import HistoryEvent, Job
from jobs.services.bulk import bulk_download_submit
from jobs.services.errors import JobError
from jobs.services.submit import probes_send_for_index, probes_submit_batch
from jobs.transitions import job_claim, job_requeue
from jobs.worker.context import RunContext, backoff_seconds
from jobs.worker.hosts import back_off_if_rate_limited, host_slot
from jobs.worker.index_rules import EntryFilter, IndexCounts, wants_download
from jobs.worker.outcomes import complete, end_cancelled, fail, requeue
from jobs.worker.progress import ProgressReporter, cancel_flag
from mvidarr.ops.logs import job_log_context
from mvidarr.redis_outage import REDIS_DOWN
from videos import ytdlp
from videos.feeds import feed_entries, feed_url_for
from videos.models import Source, Video, is_http_url
from videos.selectors import ignored_keys
from videos.services import videos_create_indexed
from videos.ytdlp.info import source_id_for

logger = logging.getLogger(__name__)

Status = Job.Status
Event = HistoryEvent.Event


def run_index(job_id: int, *, context: RunContext) -> None:
    """Index one page of a source; queue the next page, or finish the index."""
    job = Job.objects.filter(pk=job_id, kind=kinds.SOURCE_INDEX).first()
    if job is None or job.status != Status.QUEUED:
        return  # already handled, cancelled or deleted: a duplicate message is harmless
    with job_log_context(job_id=job.pk, video_id=None):
        source = Source.objects.select_related("artist").filter(pk=job.options.get("source"))
        source = source.first()
        if source is None:
            claimed = job_claim(job_id=job.pk, worker_id=context.worker_id)
            if claimed is not None:
                fail(claimed, context, reason="The source was deleted before it was indexed.")
            return
        host = urlsplit(source.url).hostname or "unknown"
        with host_slot(host, job, context) as acquired:
            if not acquired:
                return
            claimed = job_claim(
                job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher
            )
            if claimed is not None:
                _index_claimed(claimed, source, host=host, context=context)


def _index_claimed(job: Job, source: Source, *, host: str, context: RunContext) -> None:
    # Registered, so the process's monitor writes the job's heartbeat and keeps its host slot
    # while the page is listed.
    context.registry[job.pk] = ProgressReporter(job, context, host=host)
    try:
        end = _index_page(job, source, host=host, context=context)
    finally:
        context.registry.pop(job.pk, None)
    end()


def _index_page(job: Job, source: Source, *, host: str, context: RunContext) -> Callable[[], None]:
    """List and store one page; return what ends this message (next page, finish, retry)."""
    options = dict(job.options)
    offset = int(options.get("offset") or 0)
    size = settings.SOURCE_INDEX_PAGE_SIZE
    try:
        if cancel_flag(job.pk):
            return partial(_cancelled, job, context)
        if "started" not in options:  # the first page: decide what this index is
            options["started"] = timezone.now().isoformat()
            options["full"] = _full_index(source, options.get("full"))
            options["first"] = source.last_indexed_at is None
        entry_filter = EntryFilter.for_source(source)
        feed = None if options["full"] else _feed_url(source)
        connection.close()  # listing holds no database connection, as a download holds none
        if feed is not None:
            job.message = "Reading the feed's newest entries"
            page = _feed_page(feed, config=context.config)
        else:
            job.message = f"Listing entries {offset + 1} to {offset + size}"
            page = ytdlp.list_page(source.url, start=offset, count=size, config=context.config)
        close_old_connections()
        with transaction.atomic():
            counts = IndexCounts.from_dict(options.get("counts"))
            downloads = _store_page(job, source, page, counts, entry_filter, options)
            options.update(
                offset=offset + size,
                counts=counts.as_dict(),
                downloads=[*options.get("downloads", []), *downloads],
                title=page.title or options.get("title") or "",
                channel_id=page.channel_id or options.get("channel_id") or "",
            )
            if page.total:
                job.progress = min(99.0, round(100.0 * (offset + size) / page.total, 1))
            Job.objects.filter(pk=job.pk).update(options=options, progress=job.progress)
            job.options = options
        if page.exhausted:
            return partial(_finish, job, source, context)
        return partial(_next_page, job, context)
    except ytdlp.TransientError as exc:
        back_off_if_rate_limited(host, exc)
        return partial(_retry_or_fail, job, source, context, reason=exc.message)
    except ytdlp.PermanentError as exc:
        return partial(_fail, job, source, context, reason=exc.message)
    except Shutdown:
        return partial(requeue, job, context, delay=0.0, reason="", refund_attempt=True)
    except Exception as exc:
        logger.exception("job %s: unexpected error", job.pk)
        reason = f"Unexpected error: {exc}. This is a bug; report it."
        return partial(_fail, job, source, context, reason=reason)


def _feed_url(source: Source) -> str | None:
    return feed_url_for(
        source.url, channel_id=source.channel_id, base=settings.YOUTUBE_FEED_BASE_URL
    )


def _full_index(source: Source, asked: bool | None) -> bool:
    """A full index when asked for, when the source has no feed, or when its last full
    index is older than SOURCE_FULL_INDEX_SECONDS; else a fast index through its feed."""
    if asked is not None:
        return bool(asked)
    if source.last_full_index_at is None or _feed_url(source) is None:
        return True
    age = timezone.now() - source.last_full_index_at
    return age.total_seconds() >= settings.SOURCE_FULL_INDEX_SECONDS


def _feed_page(url: str, *, config) -> ytdlp.ListingPage:
    """The fast index: the feed's newest entries (one request, one page) as listing entries;
    a YouTube entry keeps the key yt-dlp gives it (``youtube`` + video id), so a fast and a
    full index find the same video."""
    found = feed_entries(url, config=config)
    entries = [
        ytdlp.PlaylistEntry(
            url=entry.url,
            title=entry.title,
            extractor="youtube" if entry.video_id else "generic",
            source_id=entry.video_id or source_id_for("generic", None, entry.url),
            published=entry.published.date() if entry.published else None,
        )
        for entry in found
    ]
    channel_id = next((entry.channel_id for entry in found if entry.channel_id), None)
    return ytdlp.ListingPage(title=None, channel_id=channel_id, entries=entries, exhausted=True)


def _store_page(
    job: Job,
    source: Source,
    page: ytdlp.ListingPage,
    counts: IndexCounts,
    entry_filter: EntryFilter,
    options: dict,
) -> list[int]:
    """Add the page's new entries as videos (with their history and probes) and count the
    rest; return the ids of the new videos to download."""
    entries = _unique_entries(page.entries, counts)
    by_key, by_url = _existing(entries)
    started = datetime.datetime.fromisoformat(options["started"])
    ignored, ignored_urls = ignored_keys()
    new = []
    for entry in entries:
        known = by_key.get((entry.extractor, entry.source_id)) or by_url.get(entry.url)
        if known is not None and known.indexed_from_id == source.pk and known.created_at >= started:
            counts.duplicates += 1  # listed again on a later page of this same index
            continue
        counts.found += 1
        if known is not None:
            counts.existing += 1
        elif not is_http_url(entry.url):
            counts.refused += 1
        elif (entry.extractor, entry.source_id) in ignored or entry.url in ignored_urls:
            counts.ignored += 1
        elif reason := entry_filter.reason(entry):
            counts.filter_out(reason)
        else:
            new.append(entry)
    videos, raced = videos_create_indexed(entries=new, source=source)
    counts.added += len(videos)
    counts.existing += raced
    if not videos:
        return []
    history_record_many(
        history_event(Event.ADDED, video=video, source=source, job=job) for video in videos
    )
    # Sent when the index ends, so its next pages never wait behind its own probes.
    probes_submit_batch(videos=videos, user=job.user, origin=job.origin, index=job.pk)
    published = {entry.url: entry.published for entry in new}
    first = bool(options.get("first"))
    return [
        video.pk
        for video in videos
        if wants_download(source, published=published.get(video.source_url), first_index=first)
    ]


def _unique_entries(entries: list[ytdlp.PlaylistEntry], counts: IndexCounts) -> list:
    """The page's entries, each once (a listing may give the same video twice)."""
    seen_keys: set[tuple[str, str]] = set()
    seen_urls: set[str] = set()
    unique = []
    for entry in entries:
        key = (entry.extractor, entry.source_id)
        if (entry.source_id and key in seen_keys) or entry.url in seen_urls:
            counts.duplicates += 1
            continue
        seen_keys.add(key)
        seen_urls.add(entry.url)
        unique.append(entry)
    return unique


def _existing(entries: list) -> tuple[dict, dict]:
    """The videos already in the library for ``entries``: by (extractor, source id), by URL."""
    fields = ("pk", "extractor", "source_id", "source_url", "indexed_from_id", "created_at")
    ids = {entry.source_id for entry in entries if entry.source_id}
    urls = {entry.url for entry in entries}
    by_key, by_url = {}, {}
    for video in Video.objects.filter(source_id__in=ids).only(*fields):
        by_key[(video.extractor, video.source_id)] = video
    for video in Video.objects.filter(source_url__in=urls).only(*fields):
        by_url[video.source_url] = video
    return by_key, by_url


# --- how a message ends --------------------------------------------------------------------
def _next_page(job: Job, context: RunContext) -> None:
    close_old_connections()
    if cancel_flag(job.pk):
        _cancelled(job, context)
        return
    counts = IndexCounts.from_dict(job.options.get("counts"))
    requeued = job_requeue(
        job=job,
        message=f"Listed {counts.found} entries; the next page follows",
        refund_attempt=True,
        publisher=context.publisher,
    )
    if requeued:
        context.send_or_keep(job, delay=0.0)


def _finish(job: Job, source: Source, context: RunContext) -> None:
    close_old_connections()
    now = timezone.now()
    options = job.options
    counts = IndexCounts.from_dict(options.get("counts"))
    with transaction.atomic():
        probes_send_for_index(job.pk)
        note = _queue_downloads(job, counts)
        fields = {
            "title": (options.get("title") or source.title)[:500],
            "channel_id": (options.get("channel_id") or source.channel_id)[:64],
            "last_indexed_at": now,
            "last_counts": counts.as_dict(),
            "last_error": "",
            "failures": 0,
        }
        if options.get("full"):
            fields["last_full_index_at"] = now
        if source.monitored:
            fields["next_index_at"] = now + datetime.timedelta(
                minutes=source.index_interval_minutes
            )
        Source.objects.filter(pk=source.pk).update(**fields)
        history_record(
            Event.INDEXED, source=source, artist=source.artist, job=job, data=counts.as_dict()
        )
        complete(job, context, message="; ".join(filter(None, [counts.summary(), note])))


def _queue_downloads(job: Job, counts: IndexCounts) -> str:
    """The index's new videos to download, as one bulk job; a sentence when it could not
    be started (the videos stay wanted)."""
    ids = job.options.get("downloads") or []
    videos = list(Video.objects.filter(pk__in=ids))
    if not videos:
        return ""
    try:
        with transaction.atomic():
            # quality None: each video's artist's quality profile, else the default one.
            bulk = bulk_download_submit(
                videos=videos, user=job.user, origin=job.origin, quality=None
            )
    except (JobError, RedisError, *REDIS_DOWN) as exc:
        logger.warning("job %s: the downloads could not be queued: %s", job.pk, exc)
        return f"the downloads could not be queued ({exc}); download them from the library"
    counts.downloads = len(videos)
    Job.objects.filter(pk=job.pk).update(options={**job.options, "bulk": bulk.pk})
    return ""


def _cancelled(job: Job, context: RunContext) -> None:
    """Cancelled between pages: the videos found so far stay, and are probed."""
    close_old_connections()
    probes_send_for_index(job.pk)
    end_cancelled(job, context)


def _retry_or_fail(job: Job, source: Source, context: RunContext, *, reason: str) -> None:
    close_old_connections()
    job.refresh_from_db(fields=["attempts"])
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        _fail(job, source, context, reason=f"{reason} Gave up after {job.attempts} attempts.")
        return
    requeue(job, context, delay=backoff_seconds(job.attempts), reason=reason)


def _fail(job: Job, source: Source, context: RunContext, *, reason: str) -> None:
    """The index failed: the videos found so far stay (and are downloaded as they would
    have been); the source records the reason and backs off."""
    close_old_connections()
    job.refresh_from_db()
    counts = IndexCounts.from_dict(job.options.get("counts"))
    with transaction.atomic():
        probes_send_for_index(job.pk)
        _queue_downloads(job, counts)
        source = Source.objects.select_for_update().get(pk=source.pk)
        failures = source.failures + 1
        fields = {"last_error": reason, "failures": F("failures") + 1}
        if source.monitored:
            fields["next_index_at"] = timezone.now() + backoff_after_failures(
                source.index_interval_minutes, failures
            )
        Source.objects.filter(pk=source.pk).update(**fields)
    fail(job, context, reason=reason)


def backoff_after_failures(interval_minutes: int, failures: int) -> datetime.timedelta:
    """How long a source that failed ``failures`` times in a row waits: its interval
    times 2^failures, at most SOURCE_BACKOFF_MAX_SECONDS."""
    seconds = interval_minutes * 60 * 2 ** min(failures, 32)
    return datetime.timedelta(seconds=min(seconds, settings.SOURCE_BACKOFF_MAX_SECONDS))
