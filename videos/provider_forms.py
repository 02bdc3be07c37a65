"""The forms of the metadata pages: searching IMVDb, adding what it found, and the
providers' settings (one field per setting the providers declare, typed by its default)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from preferences.registry import SettingSpec
from preferences.selectors import SettingState, setting_states
from videos.providers.search import SEARCH_TYPES
from videos.providers.settings import SETTINGS as PROVIDER_SETTINGS

TYPE_CHOICES = [(name, name.capitalize()) for name in SEARCH_TYPES]


class ImvdbSearchForm(forms.Form):
    q = forms.CharField(
        max_length=200,
        label="Search IMVDb",
        error_messages={"required": "Write an artist's name or a video's title to search for."},
    )
    type = forms.ChoiceField(choices=TYPE_CHOICES, initial="artists", required=False)
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)

    def clean_type(self) -> str:
        return self.cleaned_data.get("type") or "artists"

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1


class ProviderAddForm(ImvdbSearchForm):
    """Add an artist or a video from the results (the search travels along, to come back
    to it)."""

    id = forms.RegexField(
        regex=r"^[0-9]{1,20}$",
        error_messages={"invalid": "Give the IMVDb id (digits).", "required": "Give the IMVDb id."},
    )
    q = forms.CharField(max_length=200, required=False)


class ProviderSettingsForm(forms.Form):
    """A field per provider setting: a key is a password field that is never filled in
    (empty keeps it; "remove" clears it); a setting from the environment is shown disabled.
    Each value is checked by its setting's own rule, so every wrong field says why at once.
    A subclass with other ``specs`` is the same form for other settings (the settings page).
    """

    specs: tuple[SettingSpec, ...] = PROVIDER_SETTINGS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        states = {state.spec.key: state for state in setting_states()}
        # In the order the specs are declared (IMVDb's, then MusicBrainz', then the cache).
        self.states: dict[str, SettingState] = {spec.key: states[spec.key] for spec in self.specs}
        for spec in self.specs:
            state = self.states[spec.key]
            field = _field_for(state)
            if state.read_only:
                field.disabled = True
                field.help_text = f"Set in the {state.source}: change it there."
            self.fields[spec.key] = field
            if spec.secret and not state.read_only:
                self.fields[_remove(spec.key)] = forms.BooleanField(
                    required=False, label=f"Remove the {spec.label}"
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for key, state in self.states.items():
            if state.read_only or key not in cleaned:
                continue
            try:
                cleaned[key] = state.spec.validate(cleaned[key])
            except ValidationError as error:
                self.add_error(key, error)
        return cleaned

    def values(self) -> dict[str, Any]:
        """What to store: every setting not from the environment; a key only when one was
        written or its removal ticked."""
        values = {}
        for key, state in self.states.items():
            if state.read_only or key not in self.cleaned_data:
                continue
            if state.spec.secret:
                if self.cleaned_data.get(_remove(key)):
                    values[key] = ""
                elif self.cleaned_data[key]:
                    values[key] = self.cleaned_data[key]
                continue
            values[key] = self.cleaned_data[key]
        return values

    def rows(self) -> list[dict]:
        """The fields in the providers' order, each with its state (for the template)."""
        return [
            {
                "field": self[key],
                "state": state,
                "is_set": state.value not in ("", None),
                "remove": self[_remove(key)] if _remove(key) in self.fields else None,
            }
            for key, state in self.states.items()
        ]


def _remove(key: str) -> str:
    return f"{key}.remove"


def _field_for(state: SettingState) -> forms.Field:
    spec, value = state.spec, state.value
    common = {"label": spec.label, "help_text": spec.help, "required": False}
    required = {"required": f"{spec.label}: write a value; it cannot be empty."}
    if spec.secret:
        # Never rendered with its value: the page says only whether one is set.
        return forms.CharField(
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            max_length=500,
            strip=True,
            **common,
        )
    if isinstance(spec.default, bool):
        return forms.BooleanField(initial=bool(value), **common)
    if isinstance(spec.default, int):
        return forms.IntegerField(
            initial=value,
            error_messages={"invalid": "Write a whole number.", **required},
            **{**common, "required": True},
        )
    if isinstance(spec.default, float):
        return forms.FloatField(
            initial=value,
            error_messages={"invalid": "Write a number, such as 1 or 0.5.", **required},
            **{**common, "required": True},
        )
    return forms.CharField(
        initial=value, max_length=500, error_messages=required, **{**common, "required": True}
    )
