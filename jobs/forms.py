"""Forms of the download actions on the pages and in the admin."""

from __future__ import annotations

from django import forms

from videos.models import Video
from videos.selectors import profile_default, profile_for_artist
from videos.ytdlp import QUALITIES

MAX_BULK = 1000
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
        if value and len(value) > MAX_BULK:
            raise forms.ValidationError(f"Choose at most {MAX_BULK} videos at a time.")
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
