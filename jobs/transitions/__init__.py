"""The state machine: every change of a job's status, a bulk job's and a video's goes
through here.

``job`` (claim, finish, requeue, cancel: each one conditional UPDATE), ``video`` (the one
rule for a video's status, from its downloads and its file), ``bulk`` (the one rule for a
bulk job's state, from its items).
"""

from jobs.transitions.bulk import (
    BulkSummary,
    bulk_count_move,
    bulk_recount,
    bulk_refresh,
    bulk_reopen,
    bulk_summary,
    bulk_write_summary,
)
from jobs.transitions.job import (
    job_cancel_queued,
    job_cancel_queued_items,
    job_claim,
    job_finish,
    job_request_cancel,
    job_requeue,
    job_requeue_finished,
)
from jobs.transitions.video import video_status_refresh, videos_status_refresh

__all__ = [
    "BulkSummary",
    "bulk_count_move",
    "bulk_recount",
    "bulk_refresh",
    "bulk_reopen",
    "bulk_summary",
    "bulk_write_summary",
    "job_cancel_queued",
    "job_cancel_queued_items",
    "job_claim",
    "job_finish",
    "job_request_cancel",
    "job_requeue",
    "job_requeue_finished",
    "video_status_refresh",
    "videos_status_refresh",
]
