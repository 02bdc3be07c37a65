"""The settings every installed app declares: ``SETTINGS`` in ``<app>/preferences.py``.

A spec says what a setting is called, its default, what is valid (``validate`` returns the
clean value or raises Django's ValidationError with a sentence), the environment variable
that overrides it (if any) and whether its value is a secret (never shown).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import module_has_submodule

from mvidarr.config import ConfigError


class UnknownSetting(LookupError):
    """No installed app declares this key."""

    def __init__(self, key: str, known: list[str]) -> None:
        self.key = key
        super().__init__(
            f"There is no setting {key!r}; the settings are: {', '.join(sorted(known)) or 'none'}."
        )

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Any
    validate: Callable[[Any], Any]
    env: str | None = None
    secret: bool = False
    help: str = ""

    def from_text(self, raw: str) -> Any:
        """Text (from the environment or a form) read as the setting's type and validated.

        A boolean is true/false (1/0, yes/no, on/off), a number a whole number, text is taken
        as it is, anything else is JSON. Raises ValidationError with a sentence.
        """
        try:
            value = _typed(raw, self.default)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None
        return self.validate(value)

    def parse_env(self, raw: str) -> Any:
        """The environment variable's text as the setting's value; ConfigError (a sentence
        naming the variable) when the setting does not accept it."""
        try:
            return self.from_text(raw)
        except ValidationError as error:
            raise ConfigError(f"{self.env} ({self.label}): {' '.join(error.messages)}") from None

    def as_text(self, value: Any) -> str:
        """``value`` written the way ``from_text`` reads it."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | str):
            return str(value)
        return json.dumps(value, ensure_ascii=False)


def _typed(raw: str, default: Any) -> Any:
    """``raw`` read as the type of ``default``: a boolean, a whole number, text, or JSON."""
    if isinstance(default, bool):
        return _boolean(raw)
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"Write a whole number, not {raw!r}.") from None
    if isinstance(default, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        raise ValueError(f"Write the value as JSON, not {raw!r}.") from None


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"Write true or false (1/0, yes/no), not {raw!r}.")


@functools.cache
def registry() -> dict[str, SettingSpec]:
    """Every installed app's specs by key (read once per process: they are code)."""
    found: dict[str, SettingSpec] = {}
    for app in apps.get_app_configs():
        if not module_has_submodule(app.module, "preferences"):
            continue
        module = import_module(f"{app.name}.preferences")
        for spec in getattr(module, "SETTINGS", ()):
            if spec.key in found:
                raise ImproperlyConfigured(
                    f"The setting {spec.key!r} is declared twice ({app.name} and another app)."
                )
            found[spec.key] = spec
    return found


def spec_for(key: str) -> SettingSpec:
    """The spec of ``key``; UnknownSetting (a sentence listing the known keys) otherwise."""
    specs = registry()
    try:
        return specs[key]
    except KeyError:
        raise UnknownSetting(key, list(specs)) from None
