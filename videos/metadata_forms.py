"""The video page's form for its title, artist and descriptive fields."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from videos.metadata_rules import (
    LIST_FIELDS,
    METADATA_FIELDS,
    validate_name_list,
    validate_provider_ids,
    validate_year,
)
from videos.models import Video

# Names may hold commas ("Earth, Wind & Fire"), so lists are one name per line or ";"-separated.
_LIST_SEPARATORS = re.compile(r"[;\n]")
LIST_HINT = "One per line, or separated by ; (a name may hold commas)."
_PROVIDER_FIELDS = {
    "youtube_id": ("youtube", "YouTube id"),
    "imvdb_id": ("imvdb", "IMVDb id"),
    "musicbrainz_id": ("musicbrainz", "MusicBrainz id"),
}


class NameListField(forms.CharField):
    """A list of names typed as text: one per line, or separated by semicolons; the video
    page and the admin both use it, so a list typed in either is read the same way."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", LIST_HINT)
        kwargs.setdefault("validators", [validate_name_list])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "; ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [name.strip() for name in _LIST_SEPARATORS.split(text) if name.strip()]

    def has_changed(self, initial, data) -> bool:
        return (initial or []) != self.to_python(data)


class VideoDetailsForm(forms.Form):
    """What a signed-in user may change of a video: title, artist (a new name creates the
    artist) and the descriptive fields. Only the fields that changed are sent to the
    service, which records them as set by hand."""

    title = forms.CharField(max_length=500, required=False)
    artist = forms.CharField(
        max_length=255, required=False, help_text="A new name adds the artist; empty: none."
    )
    album = forms.CharField(max_length=500, required=False)
    year = forms.IntegerField(required=False, validators=[validate_year])
    premiered = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Premiered"
    )
    genres = NameListField()
    directors = NameListField()
    studio = forms.CharField(max_length=255, required=False, label="Studio / label")
    plot = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    featured_artists = NameListField(label="Featured artists")
    video_type = forms.ChoiceField(
        required=False, choices=[("", "Not known"), *Video.VideoType.choices], label="Video type"
    )
    version_name = forms.CharField(
        max_length=255, required=False, label="Version", help_text="Such as Director's cut."
    )
    youtube_id = forms.CharField(max_length=64, required=False, label="YouTube id")
    imvdb_id = forms.CharField(max_length=64, required=False, label="IMVDb id")
    musicbrainz_id = forms.CharField(max_length=64, required=False, label="MusicBrainz id")

    @classmethod
    def for_video(cls, video: Video, data=None) -> VideoDetailsForm:
        initial = {name: getattr(video, name) for name in METADATA_FIELDS if name != "provider_ids"}
        initial["title"] = video.title
        initial["artist"] = video.artist.name if video.artist else ""
        for field, (provider, _label) in _PROVIDER_FIELDS.items():
            initial[field] = video.provider_ids.get(provider, "")
        return cls(data, initial=initial, prefix="details")

    def clean(self):
        data = super().clean()
        ids = {}
        for field, (provider, _label) in _PROVIDER_FIELDS.items():
            value = (data.get(field) or "").strip()
            if not value:
                continue
            try:
                validate_provider_ids({provider: value})
            except ValidationError as error:
                self.add_error(field, error)
            ids[provider] = value
        data["provider_ids"] = ids
        return data

    def changes(self) -> dict:
        """The fields that differ from the video's, as ``video_update`` takes them."""
        changed = set(self.changed_data)
        data = {
            name: self.cleaned_data[name]
            for name in ("title", "artist", *METADATA_FIELDS)
            if name in changed
        }
        if changed & set(_PROVIDER_FIELDS):
            data["provider_ids"] = self.cleaned_data["provider_ids"]
        for name in LIST_FIELDS:
            if name in data and data[name] is None:
                data[name] = []
        return data
