"""Reading settings: the environment's value when its variable is set, else the database's,
else the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from mvidarr.config import ConfigError
from preferences import store
from preferences.models import UserPreference
from preferences.registry import SettingSpec, registry, spec_for

SOURCE_SETTINGS = "settings"
SOURCE_DEFAULT = "default"
REDACTED = "••••••"


def environment_value(spec: SettingSpec) -> str | None:
    """The raw text of ``spec``'s environment variable, or None when it is unset or empty."""
    if not spec.env:
        return None
    raw = os.environ.get(spec.env)
    return raw if raw is not None and raw.strip() != "" else None


def setting_get(key: str) -> Any:
    """The value of ``key`` in effect now.

    Raises UnknownSetting for a key no app declares, and ConfigError (a sentence naming the
    variable) when the environment gives a value the setting does not accept.
    """
    spec = spec_for(key)
    raw = environment_value(spec)
    if raw is not None:
        return spec.parse_env(raw)
    return store.stored_values().get(key, spec.default)


def environment_problems() -> list[str]:
    """A sentence for each setting whose environment variable holds a value the setting does
    not accept (``manage.py preflight`` stops a start with them)."""
    problems = []
    for spec in registry().values():
        raw = environment_value(spec)
        if raw is None:
            continue
        try:
            spec.parse_env(raw)
        except ConfigError as error:
            problems.append(str(error))
    return problems


def setting_source(key: str) -> str:
    """Where the value of ``key`` comes from: "environment (MVIDARR_X)", "settings" or
    "default"."""
    spec = spec_for(key)
    if environment_value(spec) is not None:
        return f"environment ({spec.env})"
    return SOURCE_SETTINGS if key in store.stored_values() else SOURCE_DEFAULT


@dataclass(frozen=True)
class SettingState:
    spec: SettingSpec
    value: Any
    source: str

    @property
    def read_only(self) -> bool:
        """Set in the environment: it can only be changed there."""
        return self.source.startswith("environment")

    @property
    def shown(self) -> Any:
        """The value to show a person: a secret's is never shown."""
        return REDACTED if self.spec.secret and self.value not in ("", None) else self.value

    @property
    def shown_text(self) -> str:
        """``shown`` written as a person would type it."""
        return REDACTED if self.shown == REDACTED else self.spec.as_text(self.value)


def setting_states() -> list[SettingState]:
    """Every declared setting with its value and source (one read of the store), by key."""
    values = store.stored_values()
    states = []
    for key, spec in sorted(registry().items()):
        if environment_value(spec) is not None:
            states.append(SettingState(spec, setting_get(key), f"environment ({spec.env})"))
        elif key in values:
            states.append(SettingState(spec, values[key], SOURCE_SETTINGS))
        else:
            states.append(SettingState(spec, spec.default, SOURCE_DEFAULT))
    return states


def user_preference_get(*, user, key: str, default: Any = None) -> Any:
    """What ``user`` chose for ``key``, else ``default`` (also for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return default
    row = UserPreference.objects.filter(user=user, key=key).values_list("value", flat=True)
    return next(iter(row), default)
