"""Forms of the library pages: filters, adding a video, importing, relinking, deleting."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from jobs.forms import quality_choices
from videos import listing
from videos.artist_fields import ArtistByName, artist_name_field
from videos.models import (
    MAX_URL_LENGTH,
    Artist,
    QualityProfile,
    Source,
    Video,
    source_url_check_order,
    validate_source_url,
)
from videos.selectors import artist_find_by_name, profile_default, profile_list

PAGE_SIZE = 24
MAX_ADD_LINES = 100  # jobs.services.adding.MAX_LINES: the page says it before the service does


class SourceUrlField(forms.URLField):
    """A web address the library stores (``validate_source_url``: http(s) only).

    A refused address gets one sentence, the first rule's: a ``javascript:`` link is not
    told both "Enter a valid URL." and that it must start with http:// or https://.
    """

    default_validators = [validate_source_url, URLValidator()]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.sort(key=source_url_check_order)

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


class VideoFilterForm(forms.Form):
    """The library grid's search and filters (GET); invalid values are ignored.

    The artist is typed, not chosen from a list: a library of thousands of artists would put
    every name in every library page. ``artist_name`` is what the page's field sends (the
    browser suggests names from ``GET /api/artists/?search=``; any case matches, as
    everywhere); ``artist`` (an id) is what links to the page send.
    """

    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Video.Status.choices], label="Status"
    )
    artist = forms.ModelChoiceField(required=False, queryset=Artist.objects.all())
    artist_name = forms.CharField(required=False, max_length=255, label="Artist")
    quality = forms.ChoiceField(
        required=False, choices=[("", "Any quality"), *listing.QUALITY_CHOICES], label="Quality"
    )
    type = forms.ChoiceField(
        required=False, choices=[("", "Any type"), *listing.TYPE_CHOICES], label="Type"
    )
    source = forms.ChoiceField(
        required=False, choices=[("", "Any site"), *listing.SITE_CHOICES], label="Source"
    )
    sort = forms.ChoiceField(required=False, choices=listing.SORT_CHOICES, label="Sort by")

    def clean(self) -> dict:
        data = super().clean()
        name = (data.get("artist_name") or "").strip()
        if data.get("artist") is None and name:
            # No artist of that name: the filter matches nothing (not everything).
            data["artist"] = artist_find_by_name(name) or Artist(pk=0, name=name)
        return data

    def filters(self) -> dict:
        """Keyword arguments for ``videos.selectors.video_list``."""
        if not self.is_valid():
            return {}
        artist = self.cleaned_data.get("artist")
        return {
            "search": self.cleaned_data.get("q", "").strip(),
            "status": self.cleaned_data.get("status", ""),
            "artist_id": artist.pk if artist else None,
            "quality": self.cleaned_data.get("quality", ""),
            "video_type": self.cleaned_data.get("type", ""),
            "site": self.cleaned_data.get("source", ""),
        }

    def chosen_sort(self) -> str:
        """The sort asked for (``videos.listing``), else the default: newest first."""
        if self.is_valid() and self.cleaned_data.get("sort"):
            return self.cleaned_data["sort"]
        return listing.DEFAULT_SORT

    def artist_shown(self) -> str:
        """The artist's name for the page's field: the one filtered by, else as typed."""
        if self.is_valid() and self.cleaned_data.get("artist") is not None:
            return self.cleaned_data["artist"].name
        return (self.data.get("artist_name") or "").strip()


class VideoAddForm(forms.Form):
    """Adding one video: by its URL (artist and title found from the page when empty), or
    by artist and title alone (its source is then looked for)."""

    url = SourceUrlField(
        max_length=2000,
        required=False,
        label="Video URL",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        help_text="Without one, give the artist and the title: its source is looked for.",
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Found from the page if empty and a URL is given."
    )
    artist = forms.CharField(
        max_length=255, required=False, help_text="Found from the page if empty and a URL is given."
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("url") or "url" in self.errors:
            return data
        for field in ("artist", "title"):
            if not (data.get(field) or "").strip() and field not in self.errors:
                self.add_error(field, f"Give the video's {field}, or its URL.")
        return data


class VideoSourceForm(forms.Form):
    """Choosing a video's source: a candidate's "Use this" button."""

    url = SourceUrlField(
        max_length=2000,
        error_messages={"required": "Choose a source (its web address is missing)."},
    )


class ImportForm(forms.Form):
    url = SourceUrlField(
        max_length=2000,
        label="Playlist, channel or feed URL",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        error_messages={"required": "Enter the web address of the playlist or feed to import."},
    )


class ArtistRenameForm(forms.Form):
    """Renaming an artist (staff); ``artist_update`` refuses another artist's name."""

    name = forms.CharField(
        max_length=255,
        label="New name",
        error_messages={"required": "Enter the artist's new name."},
    )


class ArtistMergeForm(forms.Form):
    """Merging an artist into another (staff), named as the library spells it."""

    into = forms.CharField(
        max_length=255,
        label="Merge into",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-artist-suggest": ""}),
        help_text="The artist kept, with its name; this one's videos, sources and history move "
        "there, its files follow, and this artist is deleted.",
        error_messages={"required": "Name the artist to merge this one into."},
    )


class VideoUrlForm(forms.Form):
    url = SourceUrlField(
        max_length=2000,
        label="Video URL",
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the corrected web address of the video."},
    )


class VideoDeleteForm(forms.Form):
    delete_file = forms.BooleanField(required=False, label="Also delete the file from disk")
    ignore = forms.BooleanField(
        required=False,
        label="Don't download again",
        help_text="It goes on the ignore list: no index adds it again.",
    )
    reason = forms.CharField(
        required=False,
        max_length=255,
        label="Why (optional)",
        widget=forms.TextInput(attrs={"placeholder": "Why it is ignored", "autocomplete": "off"}),
    )


class ArtistMonitorForm(forms.Form):
    """The artists list's monitor toggle (staff): the state the button asks for."""

    monitored = forms.BooleanField(required=False)


class ArtistMonitoringForm(forms.Form):
    """An artist's monitoring settings (staff): monitored, what to do with new videos, and
    the quality profile (none: the default profile)."""

    monitored = forms.BooleanField(required=False, label="Monitored")
    monitor_new = forms.ChoiceField(
        choices=Artist.MonitorNew.choices,
        label="Newly found videos",
        help_text="Which videos a source's index downloads when it finds them.",
        error_messages={"invalid_choice": "Choose what to do with newly found videos."},
    )
    quality_profile = forms.ModelChoiceField(
        required=False,
        queryset=QualityProfile.objects.none(),
        label="Quality profile",
        error_messages={"invalid_choice": "Choose one of the quality profiles."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        default = profile_default()
        field = self.fields["quality_profile"]
        field.queryset = profile_list()
        # "Follow the default" and the default profile itself download alike today; their
        # labels say what happens when the default changes.
        field.empty_label = f"Follow the default (currently {default.name})"
        field.label_from_instance = lambda profile: (
            f"{profile.name} (always, even if the default changes)"
            if profile.pk == default.pk
            else profile.name
        )

    @classmethod
    def for_artist(cls, artist: Artist) -> ArtistMonitoringForm:
        return cls(
            initial={
                "monitored": artist.monitored,
                "monitor_new": artist.monitor_new,
                "quality_profile": artist.quality_profile_id,
            }
        )


class SourceForm(forms.Form):
    """Adding a source to an artist (staff); ``videos.sources`` checks the rest (the
    interval, a URL that is already a source, the patterns, the durations together)."""

    url = SourceUrlField(
        max_length=2000,
        label="Channel, playlist or feed URL",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        error_messages={"required": "Enter the web address of a channel, playlist or feed."},
    )
    monitored = forms.BooleanField(
        required=False, initial=True, label="Monitored: index it on a schedule"
    )
    auto_download = forms.BooleanField(
        required=False, label="Download everything it finds, whatever the artist's monitoring"
    )
    # The minimum (and maximum) are the service's to check, so the page says its sentence.
    index_interval_minutes = forms.IntegerField(
        initial=Source.DEFAULT_INTERVAL_MINUTES,
        label="Index every (minutes)",
        help_text=f"At least {Source.MIN_INTERVAL_MINUTES}.",
        widget=forms.NumberInput(attrs={"min": Source.MIN_INTERVAL_MINUTES}),
    )
    title_include = forms.CharField(
        max_length=500,
        required=False,
        label="Titles must match",
        help_text="A regular expression, ignoring case: only matching titles are added.",
    )
    title_exclude = forms.CharField(
        max_length=500,
        required=False,
        label="Titles must not match",
        help_text="A regular expression, ignoring case: matching titles are skipped.",
    )
    min_duration = forms.IntegerField(min_value=0, required=False, label="Shortest (seconds)")
    max_duration = forms.IntegerField(min_value=0, required=False, label="Longest (seconds)")
    published_after = forms.DateField(
        required=False,
        label="Only videos published after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SourceEditForm(ArtistByName, SourceForm):
    """Changing a source (staff): the fields of :class:`SourceForm` and its artist, typed
    (:mod:`videos.artist_fields`; empty: none, each video's artist comes from its metadata,
    else its uploader; a name the library does not have is an error)."""

    unknown_artist_is_error = True

    artist_name = artist_name_field(placeholder="None: from each video's metadata")

    field_order = ["url", "artist_name"]

    def __init__(self, *args, source: Source, **kwargs) -> None:
        initial = {
            name: getattr(source, name)
            for name in (
                "url",
                "monitored",
                "auto_download",
                "index_interval_minutes",
                "title_include",
                "title_exclude",
                "min_duration",
                "max_duration",
                "published_after",
            )
        }
        artist = source.artist.name if source.artist_id else ""
        super().__init__(*args, initial={**initial, "artist_name": artist}, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        data.pop("artist_name", None)  # the service sets the artist, found by its name
        return data


class AddManyForm(forms.Form):
    """Adding many videos in one step: one address a line, an artist for all (optional) and
    the quality of their download; which button was pressed says whether to download."""

    urls = forms.CharField(
        max_length=MAX_ADD_LINES * (MAX_URL_LENGTH + 2),
        label="Addresses, one a line",
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "https://…", "spellcheck": "false"}),
        help_text=f"Up to {MAX_ADD_LINES} video pages or files. A playlist, channel or feed is "
        "offered to import or to follow as a source.",
        error_messages={"required": "Paste at least one address, one a line."},
    )
    performer = forms.CharField(
        max_length=255,
        required=False,
        label="Performer",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-artist-suggest": ""}),
        help_text="The artist of every video added; left empty, each one's is found from its page.",
    )
    quality = forms.ChoiceField(choices=(), required=False, label="Download quality")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quality"].choices = quality_choices()

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls = [line for line in lines if line]
        if not urls:
            raise ValidationError("Paste at least one address, one a line.")
        if len(urls) > MAX_ADD_LINES:
            raise ValidationError(
                f"Paste at most {MAX_ADD_LINES} addresses at a time (there are {len(urls)}); "
                "add the rest in a second step."
            )
        return urls

    def clean_quality(self) -> str | None:
        return self.cleaned_data["quality"] or None


class CollectionForm(forms.Form):
    """ "Import all" or "Follow as a source" of an address that holds many videos; ``replaces``
    is the video added for it before its probe found a playlist."""

    url = SourceUrlField(max_length=MAX_URL_LENGTH)
    performer = forms.CharField(max_length=255, required=False)
    replaces = forms.ModelChoiceField(
        queryset=Video.objects.all(),
        required=False,
        error_messages={"invalid_choice": "That video is no longer in the library."},
    )


def add_page_forms(**given: forms.Form) -> dict[str, forms.Form]:
    """The add page's forms: those given (bound, with their errors), new ones for the rest."""
    return {
        "add_form": VideoAddForm(),
        "import_form": ImportForm(),
        "many_form": AddManyForm(),
        **given,
    }
