"""Reading accounts: users, their API keys, and whether a one-time password must change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils.crypto import constant_time_compare

from accounts.models import ApiKey, OneTimePassword
from accounts.passwords import password_version


def password_change_required(user) -> bool:
    """Whether ``user`` still has the one-time password staff gave them (one indexed read)."""
    given = (
        OneTimePassword.objects.filter(user_id=user.pk)
        .values_list("password_version", flat=True)
        .first()
    )
    return given is not None and constant_time_compare(given, password_version(user))


def api_key_list(*, user) -> QuerySet[ApiKey]:
    """``user``'s keys that work (those of an earlier password are left out), by name."""
    return ApiKey.objects.filter(user=user, password_version=password_version(user)).order_by(
        "name", "pk"
    )


def api_key_get(*, key_id: int, by) -> ApiKey | None:
    """The key ``by`` may see: their own, or anyone's for staff; ``None`` otherwise."""
    keys = ApiKey.objects.select_related("user")
    if not by.is_staff:
        keys = keys.filter(user=by)
    return keys.filter(pk=key_id).first()


def user_list() -> QuerySet:
    """Every user by username, with ``key_count``."""
    return get_user_model().objects.annotate(key_count=Count("api_keys")).order_by("username", "pk")


def user_get(*, user_id: int):
    return get_user_model().objects.filter(pk=user_id).first()
