"""The library: artists and their music videos."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class Artist(models.Model):
    name = models.CharField(max_length=255)
    sort_name = models.CharField(max_length=255, blank=True)
    # The artist's folder inside the library, already made safe for every filesystem.
    folder_name = models.CharField(max_length=255, blank=True)
    monitored = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="artist_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Video(models.Model):
    class Status(models.TextChoices):
        WANTED = "wanted", "Wanted"
        QUEUED = "queued", "Queued"
        DOWNLOADING = "downloading", "Downloading"
        DOWNLOADED = "downloaded", "Downloaded"
        FAILED = "failed", "Failed"
        IGNORED = "ignored", "Ignored"

    artist = models.ForeignKey(
        Artist, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    title = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=2000)
    extractor = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WANTED)
    # Relative to settings.LIBRARY_ROOT, never absolute.
    file_path = models.CharField(max_length=1024, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    format = models.CharField(max_length=255, blank=True)
    thumbnail_url = models.URLField(max_length=2000, blank=True)
    upload_date = models.DateField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["extractor", "source_id"],
                condition=~models.Q(source_id="") & ~models.Q(extractor=""),
                name="video_source_unique",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title or self.source_url
