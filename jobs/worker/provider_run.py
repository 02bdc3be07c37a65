"""The run of a job that asks a metadata provider (an artist import, a video import, a
metadata refresh): claim the queued row, run its body, and end it by the provider's fault —
a transient one retries, a permanent one fails with the provider's sentence, a worker's
shutdown puts it back, anything else fails as a bug."""

from __future__ import annotations

import logging
from collections.abc import Callable

from dramatiq.middleware import Shutdown

from jobs.models import Job
from jobs.transitions import job_claim
from jobs.worker.context import RunContext
from jobs.worker.outcomes import fail, requeue, retry_or_fail
from mvidarr.ops.logs import job_log_context
from videos.providers.base import PermanentError, TransientError

logger = logging.getLogger(__name__)


def run_provider_job(
    job_id: int,
    *,
    kind: str,
    context: RunContext,
    body: Callable[[Job, RunContext], None],
    after_fault: str = "",
) -> None:
    """Claim job ``job_id`` of ``kind`` when it is queued and run ``body(job, context)``;
    ``after_fault`` is added to a provider's sentence when the job retries or fails."""
    job = Job.objects.filter(pk=job_id, kind=kind).first()
    if job is None or job.status != Job.Status.QUEUED:
        return
    job = job_claim(job_id=job.pk, worker_id=context.worker_id, publisher=context.publisher)
    if job is None:
        return
    suffix = f" {after_fault}" if after_fault else ""
    with job_log_context(job_id=job.pk, video_id=job.video_id):
        try:
            body(job, context)
        except TransientError as exc:
            retry_or_fail(job, context, reason=f"{exc.message}{suffix}")
        except PermanentError as exc:
            fail(job, context, reason=f"{exc.message}{suffix}")
        except Shutdown:
            requeue(job, context, delay=0.0, reason="", refund_attempt=True)
        except Exception as exc:
            logger.exception("job %s: unexpected error", job.pk)
            fail(job, context, reason=f"Unexpected error: {exc}. This is a bug; report it.")
