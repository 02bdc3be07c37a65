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


# A JWT issued while its user had a one-time password says so. It cannot outlive that state:
# the change of password that ends it also retires the token (mvidarr.tokens).
ONE_TIME_CLAIM = "otp"
# A session that found no one-time password remembers it: giving the user one later changes
# their password, which ends the session (Django's session hash), so it is never stale.
SESSION_CHECKED = "accounts.no_one_time_password"


def session_password_change_required(request, user) -> bool:
    """Whether ``user``, signed in by ``request``'s session, must change a one-time password
    first; a database read once per session, while the answer is no."""
    session = request.session
    if session.get(SESSION_CHECKED):
        return False
    if password_change_required(user):
        return True
    session[SESSION_CHECKED] = True
    return False


def refuse_until_password_changed(request, user, *, token=None) -> None:
    """Raise a 403 while ``user`` has a one-time password (by the JWT's claim, else by the
    session), except on the views that say ``allowed_before_password_change`` (the password
    change itself)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(view, "allowed_before_password_change", False):
        return
    if token is not None:
        required = bool(token.get(ONE_TIME_CLAIM, False))
    else:
        required = session_password_change_required(request, user)
    if required:
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
