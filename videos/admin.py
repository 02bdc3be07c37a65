from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from jobs.forms import DownloadForm
from jobs.services import (
    artist_edit,
    download_submit,
    ignore_remove_and_refresh,
)
from jobs.services.rename import video_file_submit
from jobs.services.sources import source_index_submit
from mvidarr.errors import ServiceError
from mvidarr.page_errors import told
from mvidarr.units import format_bytes
from videos import profiles, sources
from videos.forms import SourceUrlField
from videos.library.naming import safe_component
from videos.metadata import mark_by_hand, video_metadata_update
from videos.metadata_forms import NameListField
from videos.metadata_rules import LIST_FIELDS, METADATA_FIELDS
from videos.models import Artist, IgnoredEntry, QualityProfile, Source, Video, VideoFile
from videos.services import artist_update


class QualityProfileForm(forms.ModelForm):
    """The service's checks (qualities, cutoff, yt-dlp's reading of the format string),
    shown next to the field they are about."""

    class Meta:
        model = QualityProfile
        fields = list(profiles.FIELDS)

    def clean(self):
        data = super().clean()
        candidate = QualityProfile(pk=self.instance.pk, **{k: data.get(k) for k in data})
        candidate.format = (candidate.format or "").strip()
        candidate.cutoff = candidate.cutoff or ""
        try:
            profiles.profile_check(profile=candidate, was_default=self.instance.is_default)
        except profiles.ProfileInvalid as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def _get_validation_exclusions(self):
        # profile_check checks the name; the one-default constraint is kept by the service,
        # which unsets the old default when this one becomes it (the model's check refuses).
        return {*super()._get_validation_exclusions(), "name", "is_default"}


@admin.register(QualityProfile)
class QualityProfileAdmin(admin.ModelAdmin):
    form = QualityProfileForm
    list_display = ["name", "qualities", "cutoff", "container", "format", "is_default"]
    list_filter = ["is_default", "container"]
    search_fields = ["name"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        """Through the services: a new default unsets the old one in the same transaction."""
        data = {
            name: form.cleaned_data[name] for name in profiles.FIELDS if name in form.cleaned_data
        }
        if change:
            profiles.profile_update(profile=QualityProfile.objects.get(pk=obj.pk), data=data)
        else:
            obj.pk = profiles.profile_create(data=data).pk

    def delete_model(self, request, obj) -> None:
        try:
            profiles.profile_delete(profile=obj)
        except profiles.ProfileInUse as error:
            messages.error(request, error.message)

    def delete_queryset(self, request, queryset) -> None:
        for profile in queryset:
            self.delete_model(request, profile)


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "sort_name",
        "folder_name",
        "monitored",
        "monitor_new",
        "quality_profile",
        "video_count",
        "created_at",
    ]
    list_filter = ["monitored", "monitor_new", "quality_profile"]
    list_select_related = ["quality_profile"]
    search_fields = ["name", "sort_name"]
    # monitored_since is set when monitoring starts (videos.services), not by hand; the
    # folder follows the name.
    readonly_fields = ["folder_name", "monitored_since", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        """Monitoring is switched by the service, which dates its start; a rename goes
        through the service that moves the artist's files (a job)."""
        wanted = obj.monitored
        wanted_name = obj.name
        obj.monitored = bool(form.initial.get("monitored")) if change else False
        if change:
            obj.name = form.initial.get("name", obj.name)
        else:
            obj.folder_name = safe_component(obj.name, fallback="Unknown Artist")
        super().save_model(request, obj, form, change)
        if wanted != obj.monitored:
            artist_update(artist=obj, data={"monitored": wanted})
        if change and wanted_name != obj.name:
            with told(request):
                _, job = artist_edit(artist=obj, user=request.user, data={"name": wanted_name})
                if job is not None:
                    messages.info(request, f"Its files follow the new name (job #{job.pk}).")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_video_count=Count("videos"))

    @admin.display(description="Videos", ordering="_video_count")
    def video_count(self, obj: Artist) -> int:
        return obj._video_count


class VideoFileInline(admin.StackedInline):
    """The video's file, shown only: files are stored, moved and deleted with their
    sidecars by ``videos.library``, never by editing the row."""

    model = VideoFile
    can_delete = False
    extra = 0
    max_num = 1
    fields = readonly_fields = [
        "path",
        "size_display",
        "width",
        "height",
        "video_codec",
        "audio_codec",
        "container",
        "format",
        "sidecars",
        "updated_at",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Size")
    def size_display(self, obj: VideoFile) -> str:
        return format_bytes(obj.size)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "artist", "status", "height", "file_size", "extractor", "created_at"]
    list_filter = ["status", "extractor", "artist"]
    search_fields = ["title", "artist__name", "source_url", "source_id"]
    list_select_related = ["artist", "file"]
    autocomplete_fields = ["artist"]
    # The status follows from the video's downloads and its file (jobs.transitions.video).
    # What the resolver keeps (jobs.services.resolve) is changed through it, not by hand;
    # field_sources from who changed each field (save_model).
    readonly_fields = [
        "status",
        "added_without_url",
        "source_resolved",
        "source_note",
        "source_candidates",
        "dead_source_urls",
        "field_sources",
        "created_at",
        "updated_at",
    ]
    inlines = [VideoFileInline]
    actions = ["download_selected"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The lists are typed as on the video page: one name per line, or separated by ;."""
        if db_field.name in LIST_FIELDS:
            return NameListField(label=capfirst(db_field.verbose_name))
        if db_field.name == "source_url":  # one sentence for a refused address, as elsewhere
            return SourceUrlField(
                label=capfirst(db_field.verbose_name),
                max_length=db_field.max_length,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        """The fields changed here are a person's: no probe changes them again."""
        by_hand = [
            name for name in form.changed_data if name in ("title", "artist", *METADATA_FIELDS)
        ]
        if by_hand:
            mark_by_hand(obj, *by_hand)
        # Cleaned as the page and the API clean them (no repeats, no stray spaces).
        video_metadata_update(
            video=obj,
            data={name: form.cleaned_data[name] for name in by_hand if name in METADATA_FIELDS},
        )
        super().save_model(request, obj, form, change)
        if change and by_hand:  # a downloaded video's file and sidecars follow, by a job
            video_file_submit(video=obj, user=request.user)

    @admin.display(description="Height", ordering="file__height")
    def height(self, obj: Video) -> int | None:
        return obj.current_file.height if obj.current_file else None

    @admin.display(description="File size", ordering="file__size")
    def file_size(self, obj: Video) -> str:
        return format_bytes(obj.current_file.size) if obj.current_file else ""

    @admin.action(description="Download selected videos")
    def download_selected(self, request, queryset):
        """Ask for a quality on an intermediate page, then start one download per video."""
        form = DownloadForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            videos = list(queryset.select_related("artist"))
            context = {
                **self.admin_site.each_context(request),
                "title": f"Download {len(videos)} selected video{'s' if len(videos) != 1 else ''}",
                "opts": self.model._meta,
                "videos": videos,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/videos/video/download_selected.html", context)
        started = already = 0
        for video in queryset.order_by("id"):
            with told(request, prefix=f"“{video}”: ") as outcome:
                _job, created = download_submit(
                    video=video,
                    user=request.user,
                    quality=form.cleaned_data["quality"],
                    force=form.cleaned_data["force"],
                )
            if outcome.queue_down:
                break
            if not outcome.ok:
                continue
            started += created
            already += not created
        if started:
            quality = form.cleaned_data["quality"] or "each artist's profile"
            messages.success(
                request, f"Started {started} download{'s' if started != 1 else ''} ({quality})."
            )
        if already:
            messages.info(request, f"{already} of them you were already downloading.")
        return None


class SourceForm(forms.ModelForm):
    """The service's checks (URL, patterns, durations, interval), next to their field."""

    class Meta:
        model = Source
        fields = list(sources.EDITABLE)

    def clean(self):
        data = super().clean()
        try:
            sources.source_check(
                source=self.instance if self.instance.pk else None,
                data={name: data[name] for name in sources.EDITABLE if name in data},
            )
        except ServiceError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def _get_validation_exclusions(self):
        # The service says which source has the URL already; the model would only say "exists".
        return {*super()._get_validation_exclusions(), "url"}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = [
        "url",
        "title",
        "artist",
        "monitored",
        "auto_download",
        "next_index_at",
        "last_error",
    ]
    list_filter = ["monitored", "auto_download", "artist"]
    list_select_related = ["artist"]
    search_fields = ["url", "title", "channel_id", "artist__name"]
    autocomplete_fields = ["artist"]
    # What indexing learns and records, and when the scheduler indexes next.
    readonly_fields = [
        "title",
        "channel_id",
        "last_indexed_at",
        "last_full_index_at",
        "next_index_at",
        "last_error",
        "failures",
        "last_counts",
        "created_at",
        "updated_at",
    ]

    actions = ["index_now"]

    @admin.action(description="Index now")
    def index_now(self, request, queryset) -> None:
        """One source_index job per source; a source already being indexed is said so."""
        started = 0
        for source in queryset.order_by("id"):
            with told(request, prefix=f"“{source}”: ") as outcome:
                source_index_submit(source=source, user=request.user, origin="user")
            if outcome.queue_down:
                break
            started += outcome.ok
        if started:
            messages.success(
                request, f"Started indexing {started} source{'s' if started != 1 else ''}."
            )

    def save_model(self, request, obj, form, change) -> None:
        """Through the services, which schedule the source's next index."""
        data = {
            name: form.cleaned_data[name] for name in sources.EDITABLE if name in form.cleaned_data
        }
        if change:
            sources.source_update(source=Source.objects.get(pk=obj.pk), data=data)
        else:
            obj.pk = sources.source_create(data=data).pk

    def delete_model(self, request, obj) -> None:
        sources.source_delete(source=obj)


@admin.register(IgnoredEntry)
class IgnoredEntryAdmin(admin.ModelAdmin):
    """The ignore list. Entries are added by ignoring a video (its page, the API), where a
    running download refuses it; deleting one here un-ignores its video, as the API does."""

    list_display = [
        "__str__",
        "extractor",
        "source_id",
        "artist",
        "video",
        "reason",
        "user",
        "created_at",
    ]
    list_filter = ["extractor"]
    search_fields = ["title", "url", "source_id", "reason", "artist__name"]
    list_select_related = ["artist", "video", "user"]
    fields = [
        "title",
        "extractor",
        "source_id",
        "url",
        "artist",
        "video",
        "reason",
        "user",
        "created_at",
    ]
    readonly_fields = [field for field in fields if field != "reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj: IgnoredEntry) -> None:
        ignore_remove_and_refresh(entry=obj)

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset.order_by("id"):
            ignore_remove_and_refresh(entry=entry)
