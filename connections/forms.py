"""The connection form of the page: one per kind, built from :data:`connections.kinds.KIND_FIELDS`.

A secret is never put back in the form: when set, its box reads "set" and stays empty; an
empty box keeps it, a value replaces it, "Clear" removes it. The service checks the rest.
"""

from __future__ import annotations

from django import forms

from connections.events import LABELS
from connections.kinds import KIND_FIELDS, Field, events_allowed
from connections.models import Connection

PREFIX = "s_"  # the settings' fields, apart from name, events and enabled


class ConnectionForm(forms.Form):
    name = forms.CharField(max_length=100)

    def __init__(self, data=None, *, kind: str, connection: Connection | None = None) -> None:
        self.kind = kind
        self.connection = connection
        stored = connection.settings if connection is not None else {}
        initial = {"enabled": True, "events": []}
        if connection is not None:
            initial.update(
                name=connection.name, enabled=connection.enabled, events=connection.events
            )
        for field in KIND_FIELDS[kind]:
            if not field.secret:
                value = stored.get(field.name, field.default)
                initial[PREFIX + field.name] = "" if value is None else value
        super().__init__(data, initial=initial)
        for field in KIND_FIELDS[kind]:
            self.fields[PREFIX + field.name] = self._field(
                field, is_set=bool(stored.get(field.name))
            )
            if field.secret and stored.get(field.name):
                self.fields[f"clear_{field.name}"] = forms.BooleanField(
                    required=False, label=f"Clear the {field.label.lower()}"
                )
        self.fields["events"] = forms.MultipleChoiceField(
            choices=[(name, LABELS[name]) for name in events_allowed(kind)],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label="Send these events",
        )
        self.fields["enabled"] = forms.BooleanField(required=False, label="Enabled")

    def _field(self, field: Field, *, is_set: bool) -> forms.Field:
        help_text = field.help
        if field.secret and is_set:
            help_text = "Set (not shown). Leave empty to keep it; write a new one to replace it."
        common = {"label": field.label, "required": False, "help_text": help_text}
        if field.kind == "choice":
            return forms.ChoiceField(choices=[(c, c) for c in field.choices], **common)
        if field.kind == "urls":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        if field.secret:
            return forms.CharField(widget=forms.PasswordInput(render_value=False), **common)
        return forms.CharField(max_length=2000, **common)

    def settings_data(self) -> dict:
        """The settings for the service: a secret left empty is None (kept), unless cleared."""
        data = {}
        for field in KIND_FIELDS[self.kind]:
            value = self.cleaned_data.get(PREFIX + field.name, "")
            if field.secret:
                if self.cleaned_data.get(f"clear_{field.name}"):
                    value = ""
                elif not value:
                    value = None
            data[field.name] = value
        return data

    def service_data(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "settings": self.settings_data(),
            "events": list(self.cleaned_data["events"]),
            "enabled": self.cleaned_data["enabled"],
        }

    def settings_fields(self) -> list:
        return [
            self[name]
            for name in self.fields
            if name.startswith(PREFIX) or name.startswith("clear_")
        ]
