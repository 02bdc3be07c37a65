"""A fingerprint of a user's password, which changes whenever the password does.

JWTs (``mvidarr.tokens``), API keys and one-time passwords carry it: any change of password
by any path that calls ``set_password`` and saves (the pages, the admin, Django's password
change, ``ensure_admin --reset-password``) gives a new hash, so what was issued for the old
one stops counting, in the way Django ends a user's sessions on a password change.
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def password_version(user) -> str:
    """A fingerprint of ``user``'s current password that changes whenever it does."""
    return salted_hmac(
        "mvidarr.tokens.password_version", user.password, algorithm="sha256"
    ).hexdigest()[:32]
