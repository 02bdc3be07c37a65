"""A user with a one-time password changes it before any page opens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from accounts.authentication import session_password_change_required

CHANGE_IT_FIRST = "Your password is a one-time password: choose your own before going on."


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in user who must change a one-time password to the password page.

    Goes after the authentication and messages middleware. ``/api/`` is left to the API's
    authentication, which answers 403 with a sentence (``accounts.authentication``).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if (
            not self._exempt(request.path)
            and request.user.is_authenticated
            and session_password_change_required(request, request.user)
        ):
            messages.warning(request, CHANGE_IT_FIRST)
            return redirect("account-password")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("account-password"), reverse("logout"), "/api/", settings.STATIC_URL)
        return path.startswith(tuple(f"/{p.lstrip('/')}" for p in allowed))
