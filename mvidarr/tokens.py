"""JWTs that stop working when their user's password changes.

Every token carries a ``pwv`` claim: an HMAC (keyed with ``SECRET_KEY``) of the user's
password hash (``accounts.passwords.password_version``, which API keys carry too), in
the way Django ends a user's sessions on a password change. Any change
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
from django.utils.crypto import constant_time_compare
from rest_framework import exceptions
from rest_framework_simplejwt import authentication, serializers, tokens
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings

from accounts.authentication import (
    ONE_TIME_CLAIM,
    ApiKeyAuthentication,
    refuse_until_password_changed,
)
from accounts.passwords import password_version
from accounts.selectors import password_change_required

VERSION_CLAIM = "pwv"
STALE_TOKEN = "This token was issued before the password changed; log in again."


def is_current(token: tokens.Token, user) -> bool:
    """Whether ``token`` was issued for ``user``'s current password."""
    return constant_time_compare(str(token.get(VERSION_CLAIM, "")), password_version(user))


class RefreshToken(tokens.RefreshToken):
    """simplejwt's refresh token with the password version, and whether the password is a
    one-time one (its access tokens copy both)."""

    @classmethod
    def for_user(cls, user) -> RefreshToken:
        token = super().for_user(user)
        token[VERSION_CLAIM] = password_version(user)
        if password_change_required(user):
            token[ONE_TIME_CLAIM] = True  # checked on each request without a query
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
    """simplejwt's authentication, refusing access tokens of an earlier password (401), and
    a user who must change a one-time password first (403)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            refuse_until_password_changed(request, found[0], token=found[1])
        return found

    def get_user(self, validated_token: tokens.Token):
        user = super().get_user(validated_token)
        if not is_current(validated_token, user):
            raise AuthenticationFailed(STALE_TOKEN, code="password_changed")
        return user


def login_or_bearer_required(view: Callable) -> Callable:
    """A page view for a signed-in browser, or for a script with the API's access token
    (``Authorization: Bearer …``) or an API key (``Authorization: Token …``), as under
    ``/api/``: a token or key that is not valid is a 401 with the reason, a user who must
    change a one-time password first a 403; without one, the login page as for any page."""
    protected = login_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scheme = request.headers.get("Authorization", "").partition(" ")[0].lower()
        authenticator = {"bearer": JWTAuthentication, "token": ApiKeyAuthentication}.get(scheme)
        if authenticator is not None:
            try:
                found = authenticator().authenticate(request)
            except exceptions.AuthenticationFailed as exc:  # simplejwt's too
                detail = (
                    exc.detail.get("detail", "") if isinstance(exc.detail, dict) else exc.detail
                )
                return JsonResponse(
                    {"detail": str(detail) or "The token is not valid; log in again."},
                    status=401,
                    headers={"WWW-Authenticate": "Bearer" if scheme == "bearer" else "Token"},
                )
            except exceptions.PermissionDenied as exc:
                return JsonResponse({"detail": str(exc.detail)}, status=403)
            if found is not None:
                request.user = found[0]
        return protected(request, *args, **kwargs)

    return wrapped
