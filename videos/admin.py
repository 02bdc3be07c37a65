from django.contrib import admin
from django.db.models import Count

from videos.models import Artist, Video


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_name", "folder_name", "monitored", "video_count", "created_at"]
    list_filter = ["monitored"]
    search_fields = ["name", "sort_name"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_video_count=Count("videos"))

    @admin.display(description="Videos", ordering="_video_count")
    def video_count(self, obj: Artist) -> int:
        return obj._video_count


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "artist", "status", "height", "file_size", "extractor", "created_at"]
    list_filter = ["status", "extractor", "artist"]
    search_fields = ["title", "artist__name", "source_url", "source_id"]
    list_select_related = ["artist"]
    autocomplete_fields = ["artist"]
    readonly_fields = ["created_at", "updated_at", "file_path", "file_size", "width", "height"]
