"""The settings page's forms: the general settings (the providers' settings form with other
specs, plus the default quality profile) and the cookies file's upload."""

from __future__ import annotations

from typing import Any

from django import forms

from jobs import preferences as runner
from jobs.services.settings import DEFAULT_PROFILE
from videos import download_settings as downloads
from videos.models import QualityProfile
from videos.provider_forms import ProviderSettingsForm
from videos.selectors import profile_default


class GeneralSettingsForm(ProviderSettingsForm):
    specs = (*runner.SETTINGS, downloads.SETTINGS[0])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        proxy = self.fields[downloads.PROXY]
        proxy.required = False  # empty: no proxy
        proxy.widget.attrs["placeholder"] = "socks5://127.0.0.1:1080"
        self.fields[DEFAULT_PROFILE] = forms.ModelChoiceField(
            queryset=QualityProfile.objects.order_by("name"),
            initial=profile_default().pk,
            label="Default quality profile",
            help_text="What a video is downloaded with when its artist has no profile.",
            # No profile at all (the built-in "Any" stands in): nothing to choose, nothing
            # refused.
            required=False,
            empty_label=None,
            error_messages={"invalid_choice": "Choose one of the quality profiles."},
        )

    def values(self) -> dict[str, Any]:
        values = super().values()
        profile = self.cleaned_data.get(DEFAULT_PROFILE)
        if profile is not None:
            values[DEFAULT_PROFILE] = profile.pk
        return values


class CookiesUploadForm(forms.Form):
    file = forms.FileField(
        label="Cookies file to upload",
        help_text="A Netscape cookies.txt (as a browser extension exports it), at most 512 KB.",
        error_messages={"required": "Choose the cookies.txt file to upload."},
    )
