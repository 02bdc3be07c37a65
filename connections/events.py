"""The events a connection can be told about, by their ``eventType`` (Lidarr's names)."""

from __future__ import annotations

TEST = "Test"
GRAB = "Grab"
DOWNLOAD = "Download"
RENAME = "Rename"
VIDEO_DELETE = "VideoDelete"
DOWNLOAD_FAILURE = "DownloadFailure"
HEALTH = "Health"
HEALTH_RESTORED = "HealthRestored"

# What a connection may switch on, in the order the page lists them (Test is always sent
# when asked for, so it is no switch).
EVENT_TYPES: tuple[str, ...] = (
    GRAB,
    DOWNLOAD,
    RENAME,
    VIDEO_DELETE,
    DOWNLOAD_FAILURE,
    HEALTH,
    HEALTH_RESTORED,
)
# What changes the library's files: what a media server is asked to look at again.
FILE_EVENTS: tuple[str, ...] = (DOWNLOAD, RENAME, VIDEO_DELETE)

LABELS = {
    TEST: "Test",
    GRAB: "Grabbed",
    DOWNLOAD: "Downloaded",
    RENAME: "Renamed",
    VIDEO_DELETE: "Deleted",
    DOWNLOAD_FAILURE: "Download failed",
    HEALTH: "Health check failing",
    HEALTH_RESTORED: "Health restored",
}
