"""Doing things with jobs: submit, control (cancel, retry, hide), bulk, and the services
that change the library and start a job together. Called by the API, pages and admin.

Each service writes the rows and sends the Dramatiq message once the transaction commits,
then returns at once: no caller ever waits on a download. Those that start, retry or cancel
a job raise redis' ConnectionError first when Redis is down (the API answers 503), so no row
is written that could not be acted on.
"""

from jobs.services.artists import artist_edit, artist_merge
from jobs.services.bulk import (
    BULK_MAX,
    TooManyVideos,
    bulk_download_filtered,
    bulk_download_submit,
)
from jobs.services.control import (
    RetryOutcome,
    job_cancel,
    job_hide,
    job_retry,
    jobs_clear_finished,
    jobs_retry_failed,
)
from jobs.services.errors import (
    JobConflict,
    JobError,
    JobPermissionError,
    JobStateError,
    VideoAlreadyAdded,
    VideoBusy,
    VideoIgnored,
    VideoNeedsSource,
)
from jobs.services.ignore import ignore_add, ignore_remove_and_refresh, video_ignore_and_refresh
from jobs.services.resolve import (
    SourceResolveRunning,
    resolve_submit,
    source_choose,
    video_add_by_name,
)
from jobs.services.sidecars import TagsBeingWritten, sidecars_submit, tags_submit
from jobs.services.submit import download_submit, probe_submit
from jobs.services.videos import (
    video_add_and_probe,
    video_edit,
    video_remove,
    video_url_change,
    video_url_change_allowed,
)

__all__ = [
    "BULK_MAX",
    "JobConflict",
    "JobError",
    "JobPermissionError",
    "JobStateError",
    "RetryOutcome",
    "SourceResolveRunning",
    "TagsBeingWritten",
    "TooManyVideos",
    "VideoAlreadyAdded",
    "VideoBusy",
    "VideoIgnored",
    "VideoNeedsSource",
    "artist_edit",
    "artist_merge",
    "bulk_download_filtered",
    "bulk_download_submit",
    "download_submit",
    "ignore_add",
    "ignore_remove_and_refresh",
    "job_cancel",
    "job_hide",
    "job_retry",
    "jobs_clear_finished",
    "jobs_retry_failed",
    "probe_submit",
    "resolve_submit",
    "sidecars_submit",
    "source_choose",
    "tags_submit",
    "video_add_and_probe",
    "video_add_by_name",
    "video_edit",
    "video_ignore_and_refresh",
    "video_remove",
    "video_url_change",
    "video_url_change_allowed",
]
