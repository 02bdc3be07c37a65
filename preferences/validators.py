"""Validators for settings' specs: each returns the clean value or raises ValidationError
with a sentence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"Choose true or false, not {value!r}.", code="invalid")
    return value


def text(*, max_length: int, allow_blank: bool = False):
    """A validator for a string of at most ``max_length`` characters (not blank unless
    ``allow_blank``), returned stripped of surrounding spaces."""

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"Write text, not {value!r}.", code="invalid")
        cleaned = value.strip()
        if not cleaned and not allow_blank:
            raise ValidationError("This cannot be empty.", code="blank")
        if len(cleaned) > max_length:
            raise ValidationError(
                f"Write at most {max_length} characters (this has {len(cleaned)}).",
                code="too_long",
            )
        return cleaned

    return validate
