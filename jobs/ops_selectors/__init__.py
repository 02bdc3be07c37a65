"""Reading what operators need: ``broker`` (queue depths, the jobs that have a message),
``statistics`` (running jobs, outcomes, timings, errors) and ``totals`` (running sums for
metrics, including what housekeeping pruned)."""

from jobs.ops_selectors.broker import job_ids_with_messages, job_queues, queue_depths
from jobs.ops_selectors.statistics import (
    download_time_stats,
    error_reason,
    finished_counts,
    jobs_by_state,
    percentile,
    recent_errors,
    running_jobs,
    work_jobs,
)
from jobs.ops_selectors.totals import (
    DURATION_BUCKETS,
    PRUNED_TOTALS_KEY,
    ROLLED_TOTALS_KEY,
    JobTotals,
    all_time_totals,
    job_totals,
    not_rolled_up,
    pruned_totals,
    roll_up_totals,
    rolled_up_totals,
)

__all__ = [
    "DURATION_BUCKETS",
    "PRUNED_TOTALS_KEY",
    "ROLLED_TOTALS_KEY",
    "JobTotals",
    "all_time_totals",
    "download_time_stats",
    "error_reason",
    "finished_counts",
    "job_ids_with_messages",
    "job_queues",
    "job_totals",
    "jobs_by_state",
    "not_rolled_up",
    "percentile",
    "pruned_totals",
    "queue_depths",
    "recent_errors",
    "roll_up_totals",
    "rolled_up_totals",
    "running_jobs",
    "work_jobs",
]
