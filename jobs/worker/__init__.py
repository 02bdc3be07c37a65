"""Running jobs: the plain functions behind the actors, and what a worker process needs.

``context`` (what a worker gives the runner), ``outcomes`` (how an attempt ends: the
transitions the runner chooses), ``progress`` (yt-dlp's progress as throttled pushes, and
"should I stop?"), ``download`` and ``probe`` (one job kind each), ``recovery`` (jobs whose
worker died).
"""

from jobs.worker.context import RunContext, backoff_seconds, incoming_dir
from jobs.worker.download import run_download
from jobs.worker.probe import run_probe
from jobs.worker.progress import ProgressReporter
from jobs.worker.recovery import recover_stale_jobs

__all__ = [
    "ProgressReporter",
    "RunContext",
    "backoff_seconds",
    "incoming_dir",
    "recover_stale_jobs",
    "run_download",
    "run_probe",
]
