"""Forms of the download actions on the pages and in the admin, and the history's filters."""

from __future__ import annotations

from django import forms

from jobs.models import HistoryEvent
from jobs.services.bulk import BULK_MAX
from videos.artist_fields import ArtistByName, artist_name_field
from videos.models import Artist, Video
from videos.selectors import profile_default, profile_for_artist, video_get
from videos.source_fields import SourceByName, source_name_field
from videos.wanted import WANTED_FILTERS
from videos.ytdlp import QUALITIES

QUALITY_LABELS = {"best": "Best available", "audio": "Audio only"}


def quality_choices(profile_name: str | None = None) -> list[tuple[str, str]]:
    """The choices of the quality menu; the first, "" (the profile), is the default."""
    name = profile_name or f"the artist's, else {profile_default().name}"
    first = ("", f"Profile ({name})")
    return [first, *((quality, QUALITY_LABELS.get(quality, quality)) for quality in QUALITIES)]


class DownloadForm(forms.Form):
    """``quality`` "" (or missing): the profile decides (cleaned to None)."""

    quality = forms.ChoiceField(
        choices=quality_choices, initial="", required=False, label="Quality"
    )
    force = forms.BooleanField(required=False, label="Download again, replacing the file")

    def __init__(self, *args, video: Video | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if video is not None:  # name the profile this video follows
            self.fields["quality"].choices = quality_choices(profile_for_artist(video.artist).name)

    def clean_quality(self) -> str | None:
        return self.cleaned_data["quality"] or None


class VideoChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if value and len(value) > BULK_MAX:
            raise forms.ValidationError(f"Choose at most {BULK_MAX:,} videos at a time.")
        return super().clean(value)


class BulkDownloadForm(DownloadForm):
    video_ids = VideoChoiceField(
        queryset=Video.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Choose at least one video to download.",
            "invalid_choice": "One of the chosen videos is no longer in the library; "
            "reload the page and choose again.",
            "invalid_pk_value": "“%(pk)s” is not a video; reload the page and choose again.",
        },
    )


class HistoryFilterForm(ArtistByName, SourceByName, forms.Form):
    """The history page's filters (GET). A value that is not valid (an unknown event, an
    artist's name the library does not have, a source no address or title names, a video
    that is not there) is an error the page shows, with no rows, as the API's 400. The artist
    and the source are typed (:mod:`videos.artist_fields`, :mod:`videos.source_fields`)."""

    unknown_artist_is_error = True

    event = forms.ChoiceField(
        required=False,
        choices=[("", "Any event"), *HistoryEvent.Event.choices],
        label="Event",
        error_messages={
            "invalid_choice": "Unknown event “%(value)s”; choose one of "
            f"{', '.join(HistoryEvent.Event.values)}."
        },
    )
    artist_name = artist_name_field()
    source_name = source_name_field()
    # Set by a link from a video's page, not chosen in the form: the page names the video.
    video = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": "A video is chosen by its number."},
    )

    def clean_video(self) -> Video | None:
        video_id = self.cleaned_data.get("video")
        if video_id is None:
            return None
        video = video_get(video_id=video_id)
        if video is None:
            raise forms.ValidationError(f"There is no video #{video_id}; it may have been deleted.")
        return video

    def filters(self) -> dict:
        """Keyword arguments for ``jobs.selectors.history_list``; {} when not valid."""
        if not self.is_valid():
            return {}
        artist = self.cleaned_data.get("artist")
        source = self.cleaned_data.get("source_name")
        video = self.cleaned_data.get("video")
        return {
            "event": self.cleaned_data.get("event", ""),
            "artist": artist.pk if artist else None,
            "source": source.pk if source else None,
            "video": video.pk if video else None,
        }


def _wanted_status_choices() -> list[tuple[str, str]]:
    labels = dict(Video.Status.choices)
    return [("", "Any status"), *((status, labels[status]) for status in WANTED_FILTERS)]


class WantedFilterForm(ArtistByName, forms.Form):
    """The wanted page's filters (GET); invalid values are ignored. The artist is typed
    (:mod:`videos.artist_fields`): a name the library does not have matches nothing."""

    artist_name = artist_name_field()
    status = forms.ChoiceField(required=False, choices=_wanted_status_choices, label="Status")

    def filters(self) -> dict:
        """Keyword arguments for ``videos.wanted.wanted_list``."""
        if not self.is_valid():
            return {}
        artist = self.cleaned_data.get("artist")
        return {
            "artist_id": artist.pk if artist else None,
            "status": self.cleaned_data.get("status", ""),
        }


class WantedDownloadForm(DownloadForm):
    """ "Download all shown" (staff): the wanted videos of the page's filters, one bulk job."""

    artist = forms.ModelChoiceField(
        required=False,
        queryset=Artist.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That artist is no longer in the library."},
    )
    status = forms.ChoiceField(
        required=False, choices=_wanted_status_choices, widget=forms.HiddenInput
    )
    force = None  # wanted videos have no file to replace


class CutoffFilterForm(ArtistByName, forms.Form):
    """The cutoff-unmet page's filter (GET); the artist is typed (:mod:`videos.artist_fields`):
    a name the library does not have matches nothing."""

    artist_name = artist_name_field()

    def filters(self) -> dict:
        """Keyword arguments for ``videos.wanted.cutoff_unmet_list``."""
        if not self.is_valid():
            return {}
        artist = self.cleaned_data.get("artist")
        return {"artist_id": artist.pk if artist else None}


class UpgradeCheckForm(forms.Form):
    """ "Check now" (staff): one video of the cutoff-unmet list, else every one that is due."""

    video = forms.ModelChoiceField(
        required=False,
        queryset=Video.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That video is no longer in the library."},
    )
