"""Changing accounts: staff create users with a one-time password, make them staff or not,
deactivate and reactivate them; every user changes their own password.

Deactivating a user or changing their password revokes their API keys (their JWTs are
refused by ``mvidarr.tokens``, their sessions by Django).
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.keys import api_keys_revoke_all
from accounts.models import OneTimePassword
from accounts.passwords import password_version
from mvidarr.errors import Invalid, PermissionDenied

MAX_USERNAME_LENGTH = 150


def _require_staff(by) -> None:
    if not by.is_staff:
        raise PermissionDenied("Only staff can add and change users.")


def _require_may_change(user, *, by) -> None:
    _require_staff(by)
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied("Only a superuser can change a superuser's account.")


def _clean_username(username) -> str:
    if not isinstance(username, str) or not username.strip():
        raise Invalid("Give the user a username.", field="username")
    username = username.strip()
    if len(username) > MAX_USERNAME_LENGTH:
        raise Invalid(f"A username has at most {MAX_USERNAME_LENGTH} characters.", field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise Invalid(
            "A username may hold letters, digits and @ . + - _ only (no spaces).",
            field="username",
        ) from None
    return username


def _give_one_time_password(user, *, by) -> str:
    """Set a new random password that ``user`` must change at their next login."""
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    OneTimePassword.objects.update_or_create(
        user=user, defaults={"password_version": password_version(user), "created_by": by}
    )
    return password


@transaction.atomic
def user_create(*, username: str, is_staff: bool = False, by) -> tuple[object, str]:
    """Add a user (staff only) with a one-time password; returns the user and the password,
    which is shown only now and must be changed at the first login."""
    _require_staff(by)
    username = _clean_username(username)
    users = get_user_model().objects
    taken = f"There is already a user called “{username}”; choose another username."
    if users.filter(username__iexact=username).exists():
        raise Invalid(taken, field="username")
    try:
        with transaction.atomic():
            user = users.create_user(username, is_staff=bool(is_staff))
    except IntegrityError:
        raise Invalid(taken, field="username") from None
    return user, _give_one_time_password(user, by=by)


@transaction.atomic
def user_password_reset(*, user, by) -> str:
    """Give ``user`` a new one-time password (staff only; not one's own) and revoke their
    keys; returns the password, shown only now."""
    _require_may_change(user, by=by)
    if user.pk == by.pk:
        raise PermissionDenied("Change your own password on the Account page.")
    api_keys_revoke_all(user=user)
    return _give_one_time_password(user, by=by)


def user_set_staff(*, user, is_staff: bool, by) -> None:
    """Make ``user`` staff or not (staff only); nobody takes their own staff status away."""
    _require_may_change(user, by=by)
    if user.pk == by.pk and not is_staff:
        raise PermissionDenied(
            "You cannot take away your own staff status; ask another member of staff."
        )
    user.is_staff = bool(is_staff)
    user.save(update_fields=["is_staff"])


@transaction.atomic
def user_set_active(*, user, is_active: bool, by) -> None:
    """Deactivate (revoking every API key; sessions and tokens stop working) or reactivate
    ``user`` (staff only); nobody deactivates themselves."""
    _require_may_change(user, by=by)
    if user.pk == by.pk and not is_active:
        raise PermissionDenied(
            "You cannot deactivate your own account; ask another member of staff."
        )
    user.is_active = bool(is_active)
    user.save(update_fields=["is_active"])
    if not user.is_active:
        api_keys_revoke_all(user=user)


@transaction.atomic
def password_change(*, user, old_password: str, new_password: str) -> None:
    """Change ``user``'s own password; revokes their API keys and ends a one-time password.

    Raises :class:`Invalid` on ``old_password`` when it is wrong, on ``new_password`` when
    it is the same or too weak (Django's password validators say why).
    """
    if not isinstance(old_password, str) or not user.check_password(old_password):
        raise Invalid("The current password is wrong.", field="old_password")
    if not isinstance(new_password, str) or not new_password:
        raise Invalid("Type a new password.", field="new_password")
    if new_password == old_password:
        raise Invalid("Choose a new password, not the current one.", field="new_password")
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="new_password") from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    OneTimePassword.objects.filter(user=user).delete()
    api_keys_revoke_all(user=user)
