"""How the API knows who is asking: API keys (``Authorization: Token <key>``) beside JWTs and
sessions, and the rule that a one-time password is changed before anything else."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from accounts.keys import api_key_use
from accounts.selectors import password_change_required

INVALID_KEY = (
    "The API key is not valid: it was revoked or never existed. Make a new one on the Account page."
)
CHANGE_PASSWORD_FIRST = (
    "Your password is a one-time password: change it first "
    "(POST /api/auth/password/ with old_password and new_password, or the Account page)."
)


def refuse_until_password_changed(request, user) -> None:
    """Raise a 403 while ``user`` has a one-time password, except on the views that say
    ``allowed_before_password_change`` (the password change itself)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(view, "allowed_before_password_change", False):
        return
    if password_change_required(user):
        raise exceptions.PermissionDenied(CHANGE_PASSWORD_FIRST)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>``: a revoked or unknown key is a 401.

    No one-time password check: a user with one has no key (giving it revokes them, and
    nothing else can be done before it is changed).
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the key as “Authorization: Token <key>”, the key without spaces."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(INVALID_KEY) from None
        api_key = api_key_use(key=key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        return api_key.user, api_key

    def authenticate_header(self, request) -> str:
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (a logged-in browser, with its CSRF check), refusing a
    user who must change a one-time password first."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            refuse_until_password_changed(request, found[0])
        return found
