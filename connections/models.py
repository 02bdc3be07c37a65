"""Connections: where MVidarr tells the world what happened (a webhook, Apprise, a media
server), and the media-server refreshes waiting for their window to close."""

from __future__ import annotations

from django.db import models


class Connection(models.Model):
    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        APPRISE = "apprise", "Apprise"
        JELLYFIN = "jellyfin", "Jellyfin"
        EMBY = "emby", "Emby"
        PLEX = "plex", "Plex"
        KODI = "kodi", "Kodi"

    class Outcome(models.TextChoices):
        NONE = "", "Never sent"
        DELIVERED = "delivered", "Delivered"
        RETRYING = "retrying", "Retrying"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100, unique=True)
    # Checked per kind by connections.kinds (secrets included: never shown back in full).
    settings = models.JSONField(default=dict, blank=True)
    # eventType names (connections.events.EVENT_TYPES) this connection is told about.
    events = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    last_outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    last_event = models.CharField(max_length=32, blank=True)
    last_message = models.TextField(blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PendingRefresh(models.Model):
    """A media server's folder to look at again once the window closes: one row per
    connection and folder, however many changes fall in the window (the job that sends
    the refresh removes it)."""

    class UpdateType(models.TextChoices):
        CREATED = "Created", "Created"
        MODIFIED = "Modified", "Modified"
        DELETED = "Deleted", "Deleted"

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="pending")
    # The folder, relative to the library root (the connection's path mapping applies when
    # the refresh is sent).
    folder = models.CharField(max_length=1024)
    update_type = models.CharField(max_length=16, choices=UpdateType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "folder"], name="one_pending_refresh_per_folder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.folder} ({self.update_type})"
