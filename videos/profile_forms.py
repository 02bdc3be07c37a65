"""The profiles page's form: a quality profile's fields, checked by ``videos.profiles``."""

from __future__ import annotations

from django import forms

from videos import quality
from videos.models import QualityProfile

QUALITY_CHOICES = [
    (q, "Audio only (m4a or opus)" if q == quality.AUDIO else q) for q in quality.PROFILE_QUALITIES
]


class ProfileForm(forms.Form):
    """Adding or changing a profile (staff). The qualities are ticked; they are kept best
    first, or in the profile's own order when the same ones are ticked again."""

    name = forms.CharField(max_length=100, error_messages={"required": "Give the profile a name."})
    qualities = forms.MultipleChoiceField(
        choices=QUALITY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Qualities allowed",
        error_messages={"required": "Choose at least one quality."},
    )
    cutoff = forms.ChoiceField(
        required=False,
        choices=[("", "No cutoff"), *QUALITY_CHOICES],
        help_text="A file at or above this quality is good enough.",
    )
    upgrade_allowed = forms.BooleanField(required=False, label="Upgrade files below the cutoff")
    container = forms.ChoiceField(
        choices=QualityProfile.Container.choices, label="Preferred container"
    )
    format = forms.CharField(
        max_length=500,
        required=False,
        label="yt-dlp format",
        help_text="Optional: a yt-dlp format string that overrides everything above.",
    )

    def __init__(self, *args, profile: QualityProfile | None = None, **kwargs) -> None:
        self.profile = profile
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": profile.name,
                "qualities": profile.qualities,
                "cutoff": profile.cutoff,
                "upgrade_allowed": profile.upgrade_allowed,
                "container": profile.container,
                "format": profile.format,
            }
        super().__init__(*args, **kwargs)

    def clean_qualities(self) -> list[str]:
        ticked = self.cleaned_data["qualities"]
        own = list(self.profile.qualities) if self.profile is not None else []
        if sorted(own) == sorted(ticked):
            return own
        return [q for q in quality.PROFILE_QUALITIES if q in ticked]
