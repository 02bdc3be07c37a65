"""API keys: made, found by their hash, revoked.

A key is ``secrets.token_urlsafe(32)``: 256 random bits. It is stored as its SHA-256 only,
and looked up by that hash (an indexed, unique column), so the key itself is never kept and
no comparison of secrets runs in Python. A fast hash is right here: a slow password hash
(PBKDF2, Argon2) protects *guessable* secrets; nobody can guess 256 random bits, and a slow
hash would cost every request that a script makes.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiKey
from accounts.passwords import password_version
from mvidarr.errors import Invalid, NotFound

PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 200  # far longer than any key we make: longer is not worth hashing
MAX_NAME_LENGTH = 100
# last_used_at is written at most this often per key: not one write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _clean_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Give the key a name, such as the script that will use it.", field="name")
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"A key's name has at most {MAX_NAME_LENGTH} characters.", field="name")
    return name


def api_key_create(*, user, name: str) -> tuple[ApiKey, str]:
    """Make a key for ``user``; returns the row and the key, which is shown only now.

    Raises :class:`Invalid` (field ``name``) for an empty, long or already used name.
    """
    name = _clean_name(name)
    taken = f"You already have a key called “{name}”; choose another name."
    if ApiKey.objects.filter(user=user, name=name).exists():
        raise Invalid(taken, field="name")
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            api_key = ApiKey.objects.create(
                user=user,
                name=name,
                prefix=key[:PREFIX_LENGTH],
                key_hash=key_hash(key),
                password_version=password_version(user),
            )
    except IntegrityError:
        raise Invalid(taken, field="name") from None
    return api_key, key


def api_key_revoke(*, api_key: ApiKey, by) -> None:
    """Revoke ``api_key`` (its owner or staff); anyone else is told there is no such key."""
    if api_key.user_id != by.pk and not by.is_staff:
        raise NotFound("There is no such API key.")
    api_key.delete()


def api_keys_revoke_all(*, user) -> int:
    """Revoke every key of ``user``; returns how many there were."""
    count, _ = ApiKey.objects.filter(user=user).delete()
    return count


def api_key_use(*, key: str) -> ApiKey | None:
    """The key's row (with its user) when ``key`` may act now, else ``None``.

    A key whose user is inactive, or that was made before the user's password changed, does
    not; the second is removed on sight. Notes the use, at most once a minute per key: the
    UPDATE is conditional, so requests at the same moment write once.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    api_key = ApiKey.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    if api_key is None or not api_key.user.is_active:
        return None
    if api_key.password_version != password_version(api_key.user):
        api_key.delete()
        return None
    now = timezone.now()
    last = api_key.last_used_at
    if last is None or now - last >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
