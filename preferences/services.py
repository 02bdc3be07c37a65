"""Changing settings: validated by their spec, stored, and every process told."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from preferences import store
from preferences.models import Setting, UserPreference
from preferences.registry import SettingSpec, spec_for
from preferences.selectors import environment_value


def _refuse_if_from_environment(spec: SettingSpec) -> None:
    if environment_value(spec) is not None:
        raise ValidationError(
            f"{spec.label} is set in the environment ({spec.env}), whose value wins; "
            "change it there.",
            code="from_environment",
        )


@transaction.atomic
def setting_set(key: str, value: Any, *, user) -> Any:
    """Store ``value`` for ``key`` and return it as validated (the spec may clean it).

    Raises UnknownSetting for an undeclared key, and ValidationError (a sentence) for a value
    the spec refuses or a setting that the environment sets. Every process sees the new value
    at its next read once the transaction commits.
    """
    spec = spec_for(key)
    _refuse_if_from_environment(spec)
    cleaned = spec.validate(value)
    Setting.objects.update_or_create(key=key, defaults={"value": cleaned, "updated_by": user})
    _invalidate_now_and_on_commit()
    return cleaned


@transaction.atomic
def setting_reset(key: str, *, user) -> None:
    """Forget the stored value of ``key``: its default applies again (``user``: who did it,
    for symmetry with ``setting_set``; the row that would record it is gone)."""
    spec = spec_for(key)
    _refuse_if_from_environment(spec)
    Setting.objects.filter(key=key).delete()
    _invalidate_now_and_on_commit()


def _invalidate_now_and_on_commit() -> None:
    # Now: this transaction's own reads stop using the cached copy. On commit: a copy that
    # another process cached from the old rows meanwhile is dropped too.
    store.invalidate()
    transaction.on_commit(store.invalidate)


def user_preference_set(*, user, key: str, value: Any) -> None:
    """Remember ``value`` for ``user`` under ``key`` (the caller checked it)."""
    UserPreference.objects.update_or_create(user=user, key=key, defaults={"value": value})
