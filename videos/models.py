"""The library: artists and their music videos."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower

from videos.keyfields import KeyedModel, NameKeyField
from videos.metadata_rules import validate_name_list, validate_provider_ids, validate_year

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


def source_url_check_order(validator: object) -> int:
    """Where a validator of a source address field runs: the plain checks (length, null
    characters) first, then :func:`validate_source_url`, then the framework's URL syntax
    check; a field that says only the first refusal then says the most useful one."""
    if validator is validate_source_url:
        return 1
    return 2 if isinstance(validator, URLValidator) else 0


class QualityProfile(models.Model):
    """What quality to download: the qualities allowed (best first), a cutoff, a container.

    ``format`` (a raw yt-dlp format string) overrides the rest when it is set. One profile
    is the default (``is_default``): the one an artist without a profile follows.
    """

    class Container(models.TextChoices):
        ANY = "any", "Any"
        MP4 = "mp4", "MP4"
        MKV = "mkv", "MKV"

    name = models.CharField(max_length=100)
    # Names from videos.quality.PROFILE_QUALITIES, in the order they are preferred.
    qualities = models.JSONField(default=list)
    # A file at or above this quality is good enough; "" = no cutoff (never upgraded).
    cutoff = models.CharField(max_length=16, blank=True)
    upgrade_allowed = models.BooleanField(default=False)
    container = models.CharField(max_length=8, choices=Container.choices, default=Container.ANY)
    format = models.CharField(max_length=500, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="quality_profile_name_unique_ci"),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_quality_profile",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Artist(KeyedModel):
    class MonitorNew(models.TextChoices):
        ALL = "all", "All videos found"
        NONE = "none", "None (add them, download nothing)"
        NEW = "new", "Only videos published after monitoring started"

    name = models.CharField(max_length=255)
    # What "the same artist" is decided by (videos.name_keys): unique, whatever the database.
    name_key = NameKeyField(source="name")
    sort_name = models.CharField(max_length=255, blank=True)
    # The artist's folder inside the library, already made safe for every filesystem.
    folder_name = models.CharField(max_length=255, blank=True)
    # A monitored artist's newly found videos are downloaded (``monitor_new`` says which).
    monitored = models.BooleanField(default=False)
    monitored_since = models.DateTimeField(null=True, blank=True)
    monitor_new = models.CharField(max_length=8, choices=MonitorNew.choices, default=MonitorNew.ALL)
    # {"musicbrainz": mbid, "imvdb": id}: the artist's ids at outside catalogues.
    provider_ids = models.JSONField(default=dict, blank=True, validators=[validate_provider_ids])
    # A provider's picture of the artist (IMVDb's). Pages never show it: MVidarr keeps its
    # own copy (videos.library.artwork), which folder.jpg is a copy of.
    image_url = models.URLField(max_length=2000, blank=True)
    # None: the default profile.
    quality_profile = models.ForeignKey(
        QualityProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="artists",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="artist_name_key_unique"),
        ]
        # The artists page's order (videos.selectors.artist_list), read from an index.
        indexes = [models.Index(Lower("sort_name"), Lower("name"), "id", name="artist_sort_order")]

    def __str__(self) -> str:
        return self.name


class Video(KeyedModel):
    class VideoType(models.TextChoices):
        OFFICIAL = "official", "Official video"
        LYRIC = "lyric", "Lyric video"
        LIVE = "live", "Live"
        PERFORMANCE = "performance", "Performance"
        BEHIND_THE_SCENES = "behind_the_scenes", "Behind the scenes"
        INTERVIEW = "interview", "Interview"
        CONCERT = "concert", "Concert"
        VISUALIZER = "visualizer", "Visualizer"

    class Status(models.TextChoices):
        WANTED = "wanted", "Wanted"
        NEEDS_SOURCE = "needs_source", "Needs a source"
        QUEUED = "queued", "Queued"
        DOWNLOADING = "downloading", "Downloading"
        DOWNLOADED = "downloaded", "Downloaded"
        FAILED = "failed", "Failed"
        IGNORED = "ignored", "Ignored"

    artist = models.ForeignKey(
        Artist, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    title = models.CharField(max_length=500, blank=True)
    # What "the same title" is decided by (videos.name_keys), with the artist.
    title_key = NameKeyField(source="title")
    # Always http(s): videos.services checks it before any video is stored, whatever the face.
    # Blank for a video added by artist and title whose source is still to be found (and for
    # the few whose address migration 0002 refused): the services give no other video a blank
    # one. Not a database constraint, since those old rows are blank too.
    source_url = models.URLField(
        max_length=MAX_URL_LENGTH, blank=True, validators=[validate_source_url]
    )
    # Added by artist and title, without a link: the resolver looks for its source.
    added_without_url = models.BooleanField(default=False)
    # Its source was taken by the resolver (not given or chosen by a person): when that
    # source dies, the resolver looks again, once.
    source_resolved = models.BooleanField(default=False)
    # The resolver's last search: candidates best first, each
    # {"url", "title", "channel", "duration", "score", "reasons"} (videos.scoring).
    source_candidates = models.JSONField(default=list, blank=True)
    # Why the video needs a source, or what the resolver last did, in a sentence or two.
    source_note = models.TextField(blank=True)
    # Sources that died (404, removed): never taken again.
    dead_source_urls = models.JSONField(default=list, blank=True)
    extractor = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WANTED)
    duration = models.FloatField(null=True, blank=True)
    thumbnail_url = models.URLField(max_length=2000, blank=True)
    upload_date = models.DateField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # What media servers show (videos.metadata_rules); field_sources says where each came from.
    album = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, validators=[validate_year])
    premiered = models.DateField(null=True, blank=True)
    genres = models.JSONField(default=list, blank=True, validators=[validate_name_list])
    directors = models.JSONField(default=list, blank=True, validators=[validate_name_list])
    studio = models.CharField(max_length=255, blank=True)
    plot = models.TextField(blank=True)
    # Names of the artists featured besides the main one (not Artist rows).
    featured_artists = models.JSONField(default=list, blank=True, validators=[validate_name_list])
    video_type = models.CharField(
        max_length=24, choices=VideoType.choices, blank=True
    )  # "": unknown
    version_name = models.CharField(max_length=255, blank=True)  # "Director's cut", "Clean"
    provider_ids = models.JSONField(default=dict, blank=True, validators=[validate_provider_ids])
    # Field name → "site" | "user" | "provider:<name>"; a "user" field is never overwritten.
    field_sources = models.JSONField(default=dict, blank=True)
    # The source whose index first found this video (None: added by hand or imported).
    indexed_from = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    # When the upgrade check last looked for a better format than its file's (None: never).
    upgrade_checked_at = models.DateTimeField(null=True, blank=True)
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
        # The library lists newest first, whole, by status or by artist: each has an index in
        # that order, so a page is read from it (and its OFFSET skipped in it) without sorting
        # the library.
        indexes = [
            models.Index(fields=["created_at", "id"], name="video_newest"),
            models.Index(fields=["status", "created_at", "id"], name="video_status_newest"),
            models.Index(fields=["artist", "created_at", "id"], name="video_artist_newest"),
            models.Index(fields=["artist", "title_key"], name="video_artist_title_key"),
            # The library's other sorts on the video's own columns (videos.listing).
            # (Not with the id: PostgreSQL would then read all of this covering index for a
            # title search rather than its trigram index. SQLite's entries end with the
            # rowid, the id, anyway; PostgreSQL orders equal titles by id incrementally.)
            models.Index(fields=["title_key"], name="video_title_order_key"),
            models.Index(fields=["year", "id"], name="video_year_order"),
            models.Index(fields=["duration", "id"], name="video_duration_order"),
        ]

    def __str__(self) -> str:
        return self.title or self.source_url or f"Video #{self.pk}"

    def clean(self) -> None:
        """A form (the admin's) may leave the address blank only for a video added by artist
        and title."""
        super().clean()
        if not self.source_url and not self.added_without_url:
            raise ValidationError(
                {
                    "source_url": "Enter the video's web address; only a video added by artist "
                    "and title may be without one."
                }
            )

    @property
    def source_link(self) -> str:
        """The source address for a link, or "" when it is not http(s) (never a script)."""
        return self.source_url if is_http_url(self.source_url) else ""

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


class Source(models.Model):
    """A channel, playlist or feed that is indexed on a schedule: new entries become videos."""

    MIN_INTERVAL_MINUTES = 10
    DEFAULT_INTERVAL_MINUTES = 360

    url = models.URLField(max_length=MAX_URL_LENGTH, validators=[validate_source_url])
    # What the listing calls itself ("Uploads from …"); filled by the first index.
    title = models.CharField(max_length=500, blank=True)
    # Videos found get this artist; None: the artist comes from the metadata, else uploader.
    artist = models.ForeignKey(
        Artist, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    monitored = models.BooleanField(default=True)
    auto_download = models.BooleanField(default=False)
    index_interval_minutes = models.PositiveIntegerField(
        default=DEFAULT_INTERVAL_MINUTES, validators=[MinValueValidator(MIN_INTERVAL_MINUTES)]
    )
    # Regular expressions on the entry's title (case-insensitive); "" = no filter.
    title_include = models.CharField(max_length=500, blank=True)
    title_exclude = models.CharField(max_length=500, blank=True)
    min_duration = models.PositiveIntegerField(null=True, blank=True)  # seconds
    max_duration = models.PositiveIntegerField(null=True, blank=True)  # seconds
    published_after = models.DateField(null=True, blank=True)
    # A YouTube channel's id, learnt from a full index: its RSS feed is the fast index.
    channel_id = models.CharField(max_length=64, blank=True)
    last_indexed_at = models.DateTimeField(null=True, blank=True)
    last_full_index_at = models.DateTimeField(null=True, blank=True)
    # When the scheduler indexes it next; None: not scheduled (unmonitored).
    next_index_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Indexes that failed in a row: the back-off grows with it; 0 after a success.
    failures = models.PositiveIntegerField(default=0)
    # The last index's counts: {"found": …, "added": …, "skipped": …, "filtered": …, …}.
    last_counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="source_url_unique"),
        ]
        indexes = [models.Index(fields=["monitored", "next_index_at"])]

    def __str__(self) -> str:
        return self.title or self.url


class IgnoredEntry(models.Model):
    """A video that is never downloaded again, nor added again by an index.

    Matched by extractor + source id when known, else by URL. ``video`` is set while the
    video is kept (its status is then ``ignored``); deleting the video keeps the entry.
    """

    extractor = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=MAX_URL_LENGTH, blank=True)
    title = models.CharField(max_length=500, blank=True)
    artist = models.ForeignKey(
        Artist, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    video = models.OneToOneField(
        Video, null=True, blank=True, on_delete=models.SET_NULL, related_name="ignore_entry"
    )
    reason = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ignored entries"
        constraints = [
            models.UniqueConstraint(
                fields=["extractor", "source_id"],
                condition=~models.Q(source_id="") & ~models.Q(extractor=""),
                name="ignored_source_unique",
            ),
            models.UniqueConstraint(
                fields=["url"],
                condition=(models.Q(source_id="") | models.Q(extractor="")) & ~models.Q(url=""),
                name="ignored_url_unique",
            ),
        ]
        indexes = [models.Index(fields=["url"])]

    def __str__(self) -> str:
        return self.title or self.url or f"{self.extractor} {self.source_id}"
