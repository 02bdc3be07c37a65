"""The general settings (the settings page and ``/api/settings/``): the runner's limits,
the minimum free space, retention, the housekeeping schedule, the proxy, the cookies file and
the default quality profile; each applies without a restart.

The values live in the settings store (``jobs/preferences.py``,
``videos/download_settings.py``), except the default profile, which is the profile marked
default (``videos.profiles``). Here because it spans both apps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jobs import preferences as runner
from mvidarr import errors
from preferences.models import Setting
from preferences.registry import spec_for
from preferences.selectors import SettingState, setting_states
from preferences.services import setting_reset, setting_set
from videos import download_settings as downloads
from videos.models import QualityProfile
from videos.profiles import profile_update
from videos.selectors import profile_default

# In the page's order; the cookies file is uploaded, not written (COOKIES).
KEYS = (
    runner.PER_WORKER,
    runner.PER_SITE,
    runner.MIN_FREE_MB,
    runner.RETENTION_DAYS,
    runner.HOUSEKEEPING_CRON,
    downloads.PROXY,
)
DEFAULT_PROFILE = "default_profile"
COOKIES = downloads.COOKIES


def general_setting_states() -> list[SettingState]:
    """The general settings' states, in the page's order (one read of the store)."""
    states = {state.spec.key: state for state in setting_states()}
    return [states[key] for key in KEYS]


@dataclass(frozen=True)
class CookiesState:
    is_set: bool
    updated_at: datetime | None
    source: str  # "settings", "default" or "environment (YTDLP_COOKIES_FILE)"

    @property
    def read_only(self) -> bool:
        return self.source.startswith("environment")


def cookies_state() -> CookiesState:
    """Whether a cookies file is in effect and since when; never its content."""
    if downloads.cookies_from_environment():
        return CookiesState(True, None, "environment (YTDLP_COOKIES_FILE)")
    row = Setting.objects.filter(key=COOKIES).first()
    if row is None:
        return CookiesState(False, None, "default")
    return CookiesState(bool(row.value), row.updated_at, "settings")


@transaction.atomic
def general_settings_set(*, values: Any, user) -> None:
    """Store each ``{key: value}`` of the general settings (``default_profile``: a profile's
    id); Invalid (a 400 naming the key, with the spec's sentence) for something that is not
    an object, an unknown key, a value refused or a setting the environment gives — and then
    nothing is stored."""
    if not isinstance(values, dict) or not values:
        raise errors.Invalid("Send an object of setting → value.", field="non_field_errors")
    for key, value in values.items():
        if key == DEFAULT_PROFILE:
            _default_profile_set(value)
            continue
        if key not in KEYS:
            known = ", ".join((*KEYS, DEFAULT_PROFILE))
            hint = " (upload the cookies file instead)" if key == COOKIES else ""
            raise errors.Invalid(
                f"There is no general setting {key!r}{hint}; they are: {known}.", field=key
            )
        try:
            setting_set(key, value, user=user)
        except ValidationError as error:
            raise errors.Invalid(" ".join(error.messages), field=key) from None


def _default_profile_set(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.Invalid(
            f"Give the id of a quality profile, not {value!r}.", field=DEFAULT_PROFILE
        )
    profile = QualityProfile.objects.filter(pk=value).first()
    if profile is None:
        raise errors.Invalid(
            f"There is no quality profile #{value}; choose one from the profiles.",
            field=DEFAULT_PROFILE,
        )
    if profile.pk != profile_default().pk:
        profile_update(profile=profile, data={"is_default": True})


def cookies_upload(*, content: bytes, user) -> CookiesState:
    """Store an uploaded cookies file (Netscape format, at most MAX_COOKIES_BYTES); Invalid
    (a 400 with a sentence) for one that is too large, not text or not a cookies file, or
    while YTDLP_COOKIES_FILE sets it. Workers use it from their next download."""
    _refuse_if_cookies_from_environment()
    if len(content) > downloads.MAX_COOKIES_BYTES:
        raise errors.Invalid(
            f"The cookies file is larger than {downloads.MAX_COOKIES_BYTES // 1024} KB; export "
            "the cookies of the sites you download from only.",
            field="file",
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.Invalid(
            "This is not a text file; export the cookies in the Netscape (cookies.txt) format.",
            field="file",
        ) from None
    if not text.strip():
        raise errors.Invalid("The file is empty; choose the exported cookies.txt.", field="file")
    try:
        setting_set(COOKIES, text, user=user)
    except ValidationError as error:
        raise errors.Invalid(" ".join(error.messages), field="file") from None
    return cookies_state()


def cookies_remove(*, user) -> CookiesState:
    """Forget the uploaded cookies file: downloads go without cookies from the next one."""
    _refuse_if_cookies_from_environment()
    setting_reset(COOKIES, user=user)
    return cookies_state()


def _refuse_if_cookies_from_environment() -> None:
    if downloads.cookies_from_environment():
        raise errors.Invalid(
            f"The {spec_for(COOKIES).label.lower()} is set in the environment "
            "(YTDLP_COOKIES_FILE), which wins; change it there.",
            field="file",
        )
