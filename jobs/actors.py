"""Dramatiq actors: thin. They receive ids and call the runner, which owns retries."""

import dramatiq
from django.conf import settings

from jobs.middleware import current_context
from jobs.services.queueing import ACTOR_DOWNLOAD, ACTOR_DOWNLOAD_BULK_ITEM, ACTOR_PROBE
from jobs.worker import run_download, run_probe

# max_retries=0: a retry is the runner's decision (row back to queued, delayed message);
# Dramatiq redelivering this message would find the row no longer claimable.
OPTIONS = {
    "max_retries": 0,
    "time_limit": settings.JOB_TIME_LIMIT_SECONDS * 1000,
    "notify_shutdown": True,
}


@dramatiq.actor(actor_name=ACTOR_DOWNLOAD, queue_name=settings.QUEUE_INTERACTIVE, **OPTIONS)
def download_video(job_id: int) -> None:
    run_download(job_id, context=current_context())


@dramatiq.actor(actor_name=ACTOR_DOWNLOAD_BULK_ITEM, queue_name=settings.QUEUE_BULK, **OPTIONS)
def download_bulk_item(job_id: int) -> None:
    run_download(job_id, context=current_context())


@dramatiq.actor(actor_name=ACTOR_PROBE, queue_name=settings.QUEUE_INTERACTIVE, **OPTIONS)
def probe_video(job_id: int) -> None:
    run_probe(job_id, context=current_context())
