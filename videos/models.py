"""The library: artists and their music videos."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

MAX_URL_LENGTH = 2000


def is_http_url(value: object) -> bool:
    """Whether ``value`` is an http:// or https:// address with a host, and nothing else.

    ``javascript:``, ``data:``, ``file:`` and every other scheme are refused, and so is any
    whitespace or control character (a browser drops a tab inside ``java\tscript:``).
    """
    if not isinstance(value, str) or not value or len(value) > MAX_URL_LENGTH:
        return False
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def validate_source_url(value: str) -> None:
    """The one rule for a web address the library stores: http(s) only."""
    if not is_http_url(value):
        raise ValidationError(
            "Enter a web address that starts with http:// or https://.", code="invalid_url"
        )


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
    # Always http(s): videos.services checks it before any video is stored, whatever the face.
    source_url = models.URLField(max_length=MAX_URL_LENGTH, validators=[validate_source_url])
    extractor = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WANTED)
    duration = models.FloatField(null=True, blank=True)
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

    @property
    def source_link(self) -> str:
        """The source address for a link, or "" when it is not http(s) (never a script)."""
        return self.source_url if is_http_url(self.source_url) else ""

    @property
    def thumbnail_link(self) -> str:
        """The thumbnail address for an image, or "" when it is not http(s)."""
        return self.thumbnail_url if is_http_url(self.thumbnail_url) else ""

    @property
    def current_file(self) -> VideoFile | None:
        """The video's file record, or None before its first download (no query when the
        queryset used ``select_related("file")``)."""
        try:
            return self.file
        except VideoFile.DoesNotExist:
            return None


class VideoFile(models.Model):
    """A video's media file in the library, and the sidecar files that go with it.

    ``videos.library`` alone creates, moves and deletes these, together with the files.
    """

    video = models.OneToOneField(Video, on_delete=models.CASCADE, related_name="file")
    # Relative to settings.LIBRARY_ROOT, never absolute.
    path = models.CharField(max_length=1024)
    size = models.BigIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    video_codec = models.CharField(max_length=64, blank=True)
    audio_codec = models.CharField(max_length=64, blank=True)
    container = models.CharField(max_length=16, blank=True)  # the extension: "mp4", "webm"
    format = models.CharField(max_length=255, blank=True)  # yt-dlp's, e.g. "137+140 (mp4)"
    # The suffixes of the sidecars next to the media file (".nfo", "-thumb.jpg"), in the
    # order they were written: they are only ever read with their file, never queried.
    sidecars = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.path
