"""The library's representations and filters, shared by the artist and video endpoints."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mvidarr.api_docs import MAX_ID, documented_errors, error_responses
from videos import listing
from videos.library.artwork import artist_artwork
from videos.metadata_rules import (
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    PROVIDERS,
    validate_provider_ids,
    validate_year,
)
from videos.models import (
    MAX_URL_LENGTH,
    Artist,
    Video,
    source_url_check_order,
    validate_source_url,
)
from videos.selectors import video_artwork_url

_ERRORS = error_responses()


def errors(*codes: int):
    """The documented error answers of an operation: 401 and ``codes``."""
    return documented_errors(_ERRORS, *codes)


class SourceUrlField(serializers.URLField):
    """A web address the library stores (``validate_source_url``: http(s) only), given to
    the API. A refused address gets one sentence, the first rule's: a ``javascript:`` link
    is not told both that it must start with http:// or https:// and "Enter a valid URL."
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_URL_LENGTH)
        kwargs["validators"] = [validate_source_url, *kwargs.get("validators", ())]
        super().__init__(**kwargs)
        self.validators = sorted(self.validators, key=source_url_check_order)

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except serializers.ValidationError as error:
            detail = error.detail
            raise serializers.ValidationError(
                detail[:1] if isinstance(detail, list) else detail
            ) from None


class ArtistOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sort_name = serializers.CharField()
    folder_name = serializers.CharField()
    monitored = serializers.BooleanField()
    monitored_since = serializers.DateTimeField(
        allow_null=True, help_text="When monitoring started; null while unmonitored."
    )
    monitor_new = serializers.ChoiceField(
        choices=Artist.MonitorNew.choices, help_text="What to download of newly found videos."
    )
    quality_profile = serializers.IntegerField(
        source="quality_profile_id",
        allow_null=True,
        help_text="A quality profile's id; null: the default profile.",
    )
    provider_ids = serializers.DictField(
        child=serializers.CharField(),
        help_text='The artist\'s ids at outside catalogues: {"musicbrainz": mbid, …}.',
    )
    artwork = serializers.SerializerMethodField(
        help_text="The address of MVidarr's copy of the artist's picture (from IMVDb, for "
        "signed-in people; folder.jpg is a copy of it); null while it has none."
    )
    video_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Artist"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_artwork(self, artist: Artist) -> str | None:
        if artist_artwork(artist) is None:
            return None
        return reverse("artist-artwork", args=[artist.pk])


class FileTextField(serializers.CharField):
    """A text field of the video's file (``source`` names it); "" for a video without one,
    as before the file had a record of its own."""

    def get_attribute(self, instance: Video) -> str:
        video_file = instance.current_file
        return getattr(video_file, self.source) if video_file is not None else ""


class ArtworkField(serializers.CharField):
    """The address of MVidarr's own copy of the video's artwork; null when it has none."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "help_text",
            "The address (on MVidarr, from its root) of MVidarr's own copy of the video's "
            "artwork, a JPEG, with a version (`?v=`) that changes with the picture; null when "
            "the video has none. Served to a signed-in browser or with the API's bearer token; "
            "never the site's own address.",
        )
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance: Video) -> str | None:
        return video_artwork_url(instance)

    def to_representation(self, value):
        return value


_PROVIDER_IDS_HELP = (
    f'Ids at outside catalogues: {{"youtube": an 11-character id, "imvdb": digits, '
    f'"musicbrainz": a UUID}} (providers: {", ".join(PROVIDERS)}).'
)


def name_list(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=MAX_NAME_LENGTH),
        max_length=MAX_LIST_ITEMS,
        help_text=help_text,
        **kwargs,
    )


class VideoMetadataSerializer(serializers.Serializer):
    """The descriptive fields a media server shows, as read and as written (a PATCH is
    partial: a field sent is recorded as set by hand)."""

    album = serializers.CharField(max_length=500, allow_blank=True)
    year = serializers.IntegerField(
        allow_null=True, validators=[validate_year], help_text="From 1880 on."
    )
    premiered = serializers.DateField(allow_null=True)
    genres = name_list("Genre names.")
    directors = name_list("Director names.")
    studio = serializers.CharField(max_length=255, allow_blank=True, help_text="Studio or label.")
    plot = serializers.CharField(max_length=20_000, allow_blank=True)
    featured_artists = name_list("Names of the artists featured besides the main one.")
    video_type = serializers.ChoiceField(
        choices=Video.VideoType.choices,
        allow_blank=True,
        help_text="Empty: not known.",
    )
    version_name = serializers.CharField(
        max_length=255, allow_blank=True, help_text="Such as Director's cut."
    )
    provider_ids = serializers.DictField(
        child=serializers.CharField(allow_blank=False),
        validators=[validate_provider_ids],
        help_text=_PROVIDER_IDS_HELP,
    )

    class Meta:
        ref_name = "VideoMetadata"


class VideoOutputSerializer(VideoMetadataSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    artist = serializers.CharField(source="artist.name", allow_null=True, default=None)
    artist_id = serializers.IntegerField(allow_null=True)
    source_url = serializers.CharField(
        help_text="The video's link; empty while a video added by artist and title has none."
    )
    added_without_url = serializers.BooleanField(
        help_text="Added by artist and title: its source is looked for."
    )
    source_note = serializers.CharField(
        help_text="Why it needs a source, or what the search for one did; empty otherwise."
    )
    extractor = serializers.CharField()
    source_id = serializers.CharField()
    status = serializers.ChoiceField(choices=Video.Status.choices)
    # The file's fields come from its VideoFile (video_list and video_get select it).
    file_path = FileTextField(
        source="path", help_text="Relative to the library folder; empty until downloaded."
    )
    file_size = serializers.IntegerField(source="current_file.size", allow_null=True)
    duration = serializers.FloatField(allow_null=True)
    width = serializers.IntegerField(source="current_file.width", allow_null=True)
    height = serializers.IntegerField(source="current_file.height", allow_null=True)
    format = FileTextField()
    thumbnail_url = serializers.CharField(
        help_text="The site's thumbnail address, as the site gave it (pages never show it)."
    )
    artwork = ArtworkField()
    upload_date = serializers.DateField(allow_null=True)
    field_sources = serializers.DictField(
        child=serializers.CharField(),
        help_text='Where each field came from: "site" (the site\'s metadata), "user" (set '
        'by hand: no automatic refresh changes it) or "provider:<name>"; a field not '
        "listed has no known source.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Video"


class VideoFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Video.Status.choices, required=False, allow_blank=True)
    artist = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An artist id."
    )
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the title or artist."
    )
    quality = serializers.ChoiceField(
        choices=listing.QUALITY_VALUES,
        required=False,
        allow_blank=True,
        help_text="The file's quality (its height's band, or audio only), or `below_cutoff`: "
        "the files below their quality profile's cutoff that may be upgraded (as "
        "`GET /api/wanted/cutoff/` lists them).",
    )
    video_type = serializers.ChoiceField(
        choices=Video.VideoType.choices, required=False, allow_blank=True
    )
    source = serializers.ChoiceField(
        choices=listing.SITE_VALUES,
        required=False,
        allow_blank=True,
        help_text="The site the video came from (by yt-dlp's extractor).",
    )
    ordering = serializers.ChoiceField(
        choices=listing.SORT_VALUES,
        required=False,
        allow_blank=True,
        help_text="The order: a sort name, `-` in front for the other way; newest added "
        "first (`-added`) by default. What a video lacks (no year, no file) comes last.",
    )

    class Meta:
        ref_name = "VideoFilter"


def video_filters(request) -> dict:
    """The query's filters as keyword arguments of ``videos.selectors.video_list``."""
    filters = VideoFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    return {
        "status": data.get("status", ""),
        "artist_id": data.get("artist"),
        "search": data.get("search", ""),
        "quality": data.get("quality", ""),
        "video_type": data.get("video_type", ""),
        "site": data.get("source", ""),
        "sort": data.get("ordering") or listing.DEFAULT_SORT,
    }
