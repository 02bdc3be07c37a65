"""The job pages and the download actions the library pages post to."""

from django.urls import path

from jobs import (
    bulk_edit_views,
    history_views,
    ignore_views,
    import_views,
    settings_views,
    views,
    wanted_views,
)

urlpatterns = [
    path("jobs/", views.dashboard, name="job-dashboard"),
    path("jobs/clear-finished/", views.jobs_clear_finished, name="jobs-clear-finished"),
    path("jobs/retry-failed/", views.jobs_retry_failed, name="jobs-retry-failed"),
    path("jobs/<int:job_id>/row/", views.job_row, name="job-row"),
    path("jobs/<int:job_id>/items/", views.job_items, name="job-items"),
    path("jobs/<int:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job-retry"),
    path("jobs/<int:job_id>/hide/", views.job_hide, name="job-hide"),
    path("videos/<int:video_id>/download/", views.video_download, name="video-download"),
    path("videos/download/", views.bulk_download, name="video-bulk-download"),
    path("videos/bulk/edit/", bulk_edit_views.bulk_edit, name="video-bulk-edit"),
    path("ignored/", ignore_views.ignored_page, name="ignored-list"),
    path("ignored/<int:entry_id>/remove/", ignore_views.ignored_remove, name="ignored-remove"),
    path("history/", history_views.history_page, name="history"),
    path("wanted/", wanted_views.wanted_page, name="wanted"),
    path("wanted/download/", wanted_views.wanted_download, name="wanted-download"),
    path("wanted/cutoff/", wanted_views.cutoff_page, name="cutoff-unmet"),
    path("wanted/cutoff/check/", wanted_views.cutoff_check, name="cutoff-check"),
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/cookies/", settings_views.cookies_upload_view, name="settings-cookies"),
    path(
        "settings/cookies/remove/",
        settings_views.cookies_remove_view,
        name="settings-cookies-remove",
    ),
    path("library/import/", import_views.import_page, name="library-import"),
    path("library/import/scan/", import_views.import_scan, name="library-import-scan"),
    path("library/import/apply/", import_views.import_apply, name="library-import-apply"),
]
