"""JWTs that stop working when their user's password changes.

Every token carries a ``pwv`` claim: an HMAC (keyed with ``SECRET_KEY``) of the user's
password hash, in the way Django ends a user's sessions on a password change. Any change
of password, by any path that calls ``set_password`` and saves (the admin, Django's
password change, ``ensure_admin --reset-password``), gives a new hash and so retires every
access and refresh token issued before it, with no table of tokens to keep.

(simplejwt's own ``CHECK_REVOKE_TOKEN`` puts an unkeyed MD5 of the hash in the token and
checks access tokens only; its blacklist app needs a row per token issued.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework_simplejwt import authentication, serializers, tokens
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings

VERSION_CLAIM = "pwv"
STALE_TOKEN = "This token was issued before the password changed; log in again."


def password_version(user) -> str:
    """A fingerprint of ``user``'s current password that changes whenever it does."""
    return salted_hmac(
        "mvidarr.tokens.password_version", user.password, algorithm="sha256"
    ).hexdigest()[:32]


def is_current(token: tokens.Token, user) -> bool:
    """Whether ``token`` was issued for ``user``'s current password."""
    return constant_time_compare(str(token.get(VERSION_CLAIM, "")), password_version(user))


class RefreshToken(tokens.RefreshToken):
    """simplejwt's refresh token with the password version (its access tokens copy it)."""

    @classmethod
    def for_user(cls, user) -> RefreshToken:
        token = super().for_user(user)
        token[VERSION_CLAIM] = password_version(user)
        return token


class TokenObtainPairSerializer(serializers.TokenObtainPairSerializer):
    token_class = RefreshToken


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.get(api_settings.USER_ID_CLAIM)
        user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
        if user is None or not is_current(refresh, user):
            raise InvalidToken(STALE_TOKEN)
        return super().validate(attrs)


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication, refusing access tokens of an earlier password."""

    def get_user(self, validated_token: tokens.Token):
        user = super().get_user(validated_token)
        if not is_current(validated_token, user):
            raise AuthenticationFailed(STALE_TOKEN, code="password_changed")
        return user


def login_or_bearer_required(view: Callable) -> Callable:
    """A page view for a signed-in browser, or for a script with the API's access token
    (``Authorization: Bearer …``, as under ``/api/``): a token that is not valid is a 401
    with the reason; without one, the login page as for any page."""
    protected = login_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.headers.get("Authorization", "").startswith("Bearer "):
            try:
                found = JWTAuthentication().authenticate(request)
            except AuthenticationFailed as exc:
                detail = (
                    exc.detail.get("detail", "") if isinstance(exc.detail, dict) else exc.detail
                )
                return JsonResponse(
                    {"detail": str(detail) or "The token is not valid; log in again."},
                    status=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
            if found is not None:
                request.user = found[0]
        return protected(request, *args, **kwargs)

    return wrapped
