"""Forms of the download actions on the pages and in the admin."""

from __future__ import annotations

from django import forms

from videos.models import Video
from videos.ytdlp import QUALITIES

MAX_BULK = 1000
QUALITY_LABELS = {"best": "Best available", "audio": "Audio only"}


def quality_choices() -> list[tuple[str, str]]:
    return [(quality, QUALITY_LABELS.get(quality, quality)) for quality in QUALITIES]


class DownloadForm(forms.Form):
    quality = forms.ChoiceField(
        choices=quality_choices, initial="best", required=False, label="Quality"
    )
    force = forms.BooleanField(required=False, label="Download again, replacing the file")

    def clean_quality(self) -> str:
        return self.cleaned_data["quality"] or "best"


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
