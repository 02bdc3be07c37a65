"""Forms of the library pages: filters, adding a video, importing, deleting."""

from __future__ import annotations

from django import forms

from videos.models import Artist, Video
from videos.selectors import artist_list, video_find_by_url

PAGE_SIZE = 24


def http_url(value: str) -> None:
    if not value.lower().startswith(("http://", "https://")):
        raise forms.ValidationError("Enter a web address that starts with http:// or https://.")


class VideoFilterForm(forms.Form):
    """The library grid's search and filters (GET); invalid values are ignored."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Video.Status.choices], label="Status"
    )
    artist = forms.ModelChoiceField(
        required=False, queryset=Artist.objects.none(), empty_label="Any artist", label="Artist"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["artist"].queryset = artist_list()

    def filters(self) -> dict:
        """Keyword arguments for ``videos.selectors.video_list``."""
        if not self.is_valid():
            return {}
        artist = self.cleaned_data.get("artist")
        return {
            "search": self.cleaned_data.get("q", "").strip(),
            "status": self.cleaned_data.get("status", ""),
            "artist_id": artist.pk if artist else None,
        }


class VideoAddForm(forms.Form):
    url = forms.URLField(
        max_length=2000,
        validators=[http_url],
        label="Video URL",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        error_messages={"required": "Enter the web address of the video to add."},
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Optional: found from the page if empty."
    )
    artist = forms.CharField(
        max_length=255, required=False, help_text="Optional: found from the page if empty."
    )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        existing = video_find_by_url(url)
        if existing is not None:
            raise forms.ValidationError(
                f"This URL is already in the library as video #{existing.pk} "
                f"({existing.title or 'untitled'})."
            )
        return url


class ImportForm(forms.Form):
    url = forms.URLField(
        max_length=2000,
        validators=[http_url],
        label="Playlist, channel or feed URL",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "autocomplete": "off"}),
        error_messages={"required": "Enter the web address of the playlist or feed to import."},
    )


class VideoDeleteForm(forms.Form):
    delete_file = forms.BooleanField(required=False, label="Also delete the file from disk")

    def __init__(self, *args, video: Video, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.video = video

    def clean(self) -> dict:
        if self.video.status in (Video.Status.QUEUED, Video.Status.DOWNLOADING):
            raise forms.ValidationError(
                "This video is being downloaded; cancel the download, then delete it."
            )
        return super().clean()
