"""Changing the providers' settings at once: all or nothing, each checked by its spec."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mvidarr import errors
from preferences.services import setting_set
from videos.providers.settings import SETTINGS

KEYS = tuple(spec.key for spec in SETTINGS)


@transaction.atomic
def provider_settings_set(*, values: Any, user) -> None:
    """Store each ``{key: value}`` of the providers' settings; Invalid (a 400 naming the
    key) for an object that is not one, an unknown key or a value its spec refuses, and
    then nothing is stored."""
    if not isinstance(values, dict) or not values:
        raise errors.Invalid("Send an object of setting → value.", field="non_field_errors")
    for key, value in values.items():
        if key not in KEYS:
            raise errors.Invalid(
                f"There is no provider setting {key!r}; they are: {', '.join(KEYS)}.", field=key
            )
        try:
            setting_set(key, value, user=user)
        except ValidationError as error:
            raise errors.Invalid(" ".join(error.messages), field=key) from None
