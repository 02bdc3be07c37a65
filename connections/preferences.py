"""The connections' settings (preferences app)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from preferences.registry import SettingSpec
from preferences.validators import text

MAX_WINDOW_SECONDS = 3600


def window_seconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"Give a whole number of seconds, not {value!r}.", code="invalid")
    if not 0 <= value <= MAX_WINDOW_SECONDS:
        raise ValidationError(
            f"Give between 0 and {MAX_WINDOW_SECONDS} seconds (this is {value}).", code="range"
        )
    return value


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        key="connections.refresh_window_seconds",
        label="Media-server refresh window (seconds)",
        default=30,
        validate=window_seconds,
        env="MVIDARR_REFRESH_WINDOW_SECONDS",
        help="Changes to one folder within this many seconds make one media-server refresh.",
    ),
)
SETTINGS += (
    SettingSpec(
        key="connections.instance_name",
        label="This instance's name in notifications",
        default="MVidarr",
        validate=text(max_length=100),
        env="MVIDARR_INSTANCE_NAME",
    ),
    SettingSpec(
        key="connections.application_url",
        label="This instance's address in notifications",
        default="",
        validate=text(max_length=500, allow_blank=True),
        env="MVIDARR_APPLICATION_URL",
        help="How a person reaches MVidarr, e.g. https://mvidarr.example; sent as applicationUrl.",
    ),
)
