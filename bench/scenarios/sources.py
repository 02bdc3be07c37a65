"""Sources: indexing a source of 5,000 entries (time, and the bulk worker's peak memory), and
one scheduler tick with 1,000 sources due.

The source is an RSS feed of 5,000 entries on the media server, which yt-dlp lists flat, one
page a message (``SOURCE_INDEX_PAGE_SIZE``). It is indexed through the API (``POST
/api/sources/<id>/index``, a full index) and timed to the job's completion, with the bulk
worker as deployed. The metadata probes of its new videos are sent when the index ends (on the
same queue they would hold up its pages), so they are not part of the figure; each repetition
cancels and purges them before the next one starts. The worker is sampled for its PSS
meanwhile, as in the concurrency scenario.

The tick is the scheduler's own function (``sources_index_due``, what the cron actor calls
every minute) called in this process against 1,000 monitored sources whose index is due:
the claim by conditional UPDATE and 1,000 ``source_index`` jobs written and sent. No worker
runs them; they are cancelled and their messages dropped after each repetition.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from bench import db
from bench.context import BULK, Context
from bench.scenarios.concurrency import MemorySampler
from bench.stats import Figure
from jobs.services.sources import sources_index_due
from videos.models import Source, Video

ENTRIES, QUICK_ENTRIES = 5000, 500
DUE, QUICK_DUE = 1000, 100
BULK_THREADS = 16  # the bulk worker's threads as deployed (MVIDARR_BULK_WORKER_THREADS)
MB = 1_000_000


def run(ctx: Context) -> dict:
    entries = QUICK_ENTRIES if ctx.quick else ENTRIES
    due = QUICK_DUE if ctx.quick else DUE
    result = {
        "entries": entries,
        "due": due,
        "page": settings.SOURCE_INDEX_PAGE_SIZE,
        "threads": BULK_THREADS,
    }
    result.update(_index(ctx, entries))
    result.update(_tick(ctx, due))
    return result


def _index(ctx: Context, entries: int) -> dict:
    worker = ctx.use_worker(BULK_THREADS, queue=BULK)
    process = worker.worker_process()
    if process is None:
        raise RuntimeError("Could not find the bulk worker's process.")
    sampler = MemorySampler(process).start()
    seconds, peak, idle = Figure(), Figure(), Figure()
    try:
        for rep in range(ctx.reps):
            ctx.log(f"sources rep {rep + 1}: index a source of {entries} entries")
            time.sleep(1.0)  # an idle baseline for the sampler
            source = Source.objects.create(
                url=f"{ctx.media.base_url}/feed/{entries}.xml?src=/{ctx.media.tiny_path}&r={rep}",
                monitored=False,
            )
            started = time.monotonic()
            status, job = ctx.api.call("POST", f"/api/sources/{source.pk}/index", {"full": True})
            if status != 202:
                raise RuntimeError(f"Index now refused ({status}): {job}")
            finished = db.wait_finished([job["id"]], timeout=900, poll=0.2)
            failed = db.failures([job["id"]])
            if failed:
                raise RuntimeError(f"The index did not complete: {failed}")
            added = Video.objects.filter(indexed_from=source).count()
            if added != entries:
                raise RuntimeError(f"The index added {added} videos of {entries} entries.")
            seconds.add(finished - started)
            own, _ = sampler.peak(started, finished)
            base, _ = sampler.peak(started - 1.0, started)
            peak.add(own / MB)
            idle.add(base / MB)
            _forget_index(ctx, source)
    finally:
        sampler.stop()
    return {"index_seconds": seconds, "index_peak": peak, "index_idle": idle}


def _forget_index(ctx: Context, source: Source) -> None:
    """The probes still queued cancelled and their messages purged (5,000 no-op messages
    would slow the next repetition), its videos and the source deleted: the next repetition
    adds them again."""
    db.cancel_queued()
    ctx.stack.purge_queue(BULK)
    Video.objects.filter(indexed_from=source).delete()
    source.delete()


def _tick(ctx: Context, due: int) -> dict:
    bulk = ctx.workers.get(BULK)
    if bulk is not None and bulk.alive():
        ctx.stack.stop(bulk)  # the tick's jobs are not run: only the tick is measured
    ctx.stack.purge_queue(BULK)
    duration = Figure()
    for rep in range(ctx.reps):
        ctx.log(f"sources rep {rep + 1}: one scheduler tick with {due} sources due")
        close_old_connections()
        past = timezone.now() - datetime.timedelta(minutes=5)
        sources = Source.objects.bulk_create(
            [
                Source(url=f"{ctx.media.base_url}/feed/0.xml?t={rep}-{n}", next_index_at=past)
                for n in range(due)
            ],
            batch_size=500,
        )
        started = time.perf_counter()
        outcome = sources_index_due(now=timezone.now(), limit=settings.SOURCE_TICK_LIMIT)
        elapsed = time.perf_counter() - started
        if outcome.started != due:
            raise RuntimeError(f"The tick started {outcome.started} indexes of {due} due.")
        duration.add(elapsed * 1000)
        db.cancel_queued()
        ctx.stack.purge_queue(BULK)
        Source.objects.filter(pk__in=[source.pk for source in sources]).delete()
    return {"tick_ms": duration}
