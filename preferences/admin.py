"""The settings in the admin: each value checked by its spec and stored by the service, the
value of a secret never shown, a setting that the environment gives shown with its source."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from preferences.models import Setting
from preferences.registry import UnknownSetting, registry, spec_for
from preferences.selectors import (
    REDACTED,
    environment_value,
    setting_source,
    setting_states,
)
from preferences.services import setting_reset, setting_set


class SettingForm(forms.ModelForm):
    key = forms.ChoiceField(choices=())
    value = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="true/false for a switch, a whole number for a number, the text itself for "
        "text, JSON for anything else.",
    )

    class Meta:
        model = Setting
        fields = ["key"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        specs = registry()
        self.fields["key"].choices = [
            (key, f"{key} — {spec.label}") for key, spec in sorted(specs.items())
        ]
        if self.instance.pk:
            self.fields["key"].disabled = True
            spec = specs.get(self.instance.pk)
            if spec is not None and spec.secret:
                self.fields["value"].widget = forms.PasswordInput(render_value=False)
                self.fields["value"].help_text = "A secret: leave empty to keep the stored one."
            elif spec is not None:
                self.initial["value"] = spec.as_text(self.instance.value)

    def clean(self):
        data = super().clean()
        key = data.get("key") or self.instance.pk
        if not key:
            return data
        try:
            spec = spec_for(key)
        except UnknownSetting as error:
            raise ValidationError(str(error)) from None
        if environment_value(spec) is not None:
            raise ValidationError(
                f"{spec.label} is set in the environment ({spec.env}), whose value wins; "
                "change it there."
            )
        raw = data.get("value") or ""
        if spec.secret and self.instance.pk and raw == "":
            data["parsed"] = self.instance.value
            return data
        try:
            data["parsed"] = spec.from_text(raw)
        except ValidationError as error:
            self.add_error("value", error)
        return data


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin):
    form = SettingForm
    list_display = ["key", "label", "shown_value", "source", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
    search_fields = ["key"]

    @admin.display(description="setting")
    def label(self, obj: Setting) -> str:
        spec = registry().get(obj.key)
        return spec.label if spec else "(no app declares this key any more)"

    @admin.display(description="value")
    def shown_value(self, obj: Setting) -> str:
        spec = registry().get(obj.key)
        if spec is not None and spec.secret:
            return REDACTED
        return spec.as_text(obj.value) if spec else repr(obj.value)

    @admin.display(description="in effect")
    def source(self, obj: Setting) -> str:
        if obj.key not in registry():
            return "ignored"
        return setting_source(obj.key)

    def changelist_view(self, request, extra_context=None):
        """Above the stored rows: every declared setting, its value and where it comes from."""
        context = {"setting_states": setting_states(), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def save_model(self, request, obj, form, change) -> None:
        """Through the service: validated again, and every process told."""
        setting_set(form.cleaned_data["key"], form.cleaned_data["parsed"], user=request.user)

    def delete_model(self, request, obj) -> None:
        if obj.key in registry():
            setting_reset(obj.key, user=request.user)
        else:
            obj.delete()

    def delete_queryset(self, request, queryset) -> None:
        for setting in queryset:
            self.delete_model(request, setting)
