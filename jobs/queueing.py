"""Sending job messages to Dramatiq by actor name.

Services and the runner enqueue through here rather than importing ``jobs.actors`` (the
actors import the runner, so importing them back would be a cycle). The message id is
recorded on the row, so an operator can find it in the broker.
"""

from __future__ import annotations

import dramatiq
from django.conf import settings
from django.db import transaction

from jobs.models import DownloadJob

ACTOR_DOWNLOAD = "download_video"
ACTOR_DOWNLOAD_BULK_ITEM = "download_bulk_item"
ACTOR_PROBE = "probe_video"


def route(job: DownloadJob) -> tuple[str, str]:
    """Return ``(actor_name, queue_name)`` for a job."""
    if job.kind == DownloadJob.Kind.METADATA_PROBE:
        return ACTOR_PROBE, settings.QUEUE_INTERACTIVE
    if job.kind == DownloadJob.Kind.VIDEO_DOWNLOAD:
        if job.parent_id is not None:
            return ACTOR_DOWNLOAD_BULK_ITEM, settings.QUEUE_BULK
        return ACTOR_DOWNLOAD, settings.QUEUE_INTERACTIVE
    raise ValueError(f"{job.kind} jobs have no actor: their children do the work")


def build_message(job: DownloadJob) -> dramatiq.Message:
    actor_name, queue_name = route(job)
    return dramatiq.Message(
        queue_name=queue_name, actor_name=actor_name, args=(job.pk,), kwargs={}, options={}
    )


def send_job(job: DownloadJob, *, delay_ms: int | None = None) -> str:
    """Enqueue a message for ``job`` now; return its message id."""
    message = build_message(job)
    dramatiq.get_broker().enqueue(message, delay=delay_ms)
    DownloadJob.objects.filter(pk=job.pk).update(message_id=message.message_id)
    job.message_id = message.message_id
    return message.message_id


def send_jobs_on_commit(jobs: list[DownloadJob]) -> None:
    """Enqueue many jobs once the transaction commits (one UPDATE records their ids)."""
    messages = []
    for job in jobs:
        message = build_message(job)
        job.message_id = message.message_id
        messages.append(message)
    DownloadJob.objects.bulk_update(jobs, ["message_id"])

    def enqueue_all() -> None:
        broker = dramatiq.get_broker()
        for message in messages:
            broker.enqueue(message)

    transaction.on_commit(enqueue_all)


def send_job_on_commit(job: DownloadJob) -> None:
    """Enqueue once the surrounding transaction commits, so the worker finds the row."""
    message = build_message(job)
    job.message_id = message.message_id
    DownloadJob.objects.filter(pk=job.pk).update(message_id=message.message_id)
    transaction.on_commit(lambda: dramatiq.get_broker().enqueue(message))
