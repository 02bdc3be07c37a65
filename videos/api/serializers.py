"""The library's representations and filters, shared by the artist and video endpoints."""

from __future__ import annotations

from rest_framework import serializers

from mvidarr.api_docs import MAX_ID, documented_errors, error_responses
from videos.models import Artist, Video

_ERRORS = error_responses()


def errors(*codes: int):
    """The documented error answers of an operation: 401 and ``codes``."""
    return documented_errors(_ERRORS, *codes)


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
    video_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Artist"


class FileTextField(serializers.CharField):
    """A text field of the video's file (``source`` names it); "" for a video without one,
    as before the file had a record of its own."""

    def get_attribute(self, instance: Video) -> str:
        video_file = instance.current_file
        return getattr(video_file, self.source) if video_file is not None else ""


class VideoOutputSerializer(serializers.Serializer):
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
    thumbnail_url = serializers.CharField()
    upload_date = serializers.DateField(allow_null=True)
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
    }
