"""The secrets an operator sets: the ``SECRET_KEY`` and the first admin's password.

Each check returns ``None`` when the value is fit for use, or one sentence saying what is
wrong and what to do. ``manage.py preflight`` checks the key (not the settings module, so
build steps such as ``collectstatic`` work with a throwaway key); ``ensure_admin`` checks
the password.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

MIN_SECRET_KEY_LENGTH = 50
GENERATE_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
GENERATE_PASSWORD = "python3 -c 'import secrets; print(secrets.token_urlsafe(18))'"

# Values that were ever shipped as examples or defaults: anyone can read them.
PLACEHOLDERS = frozenset(
    {
        "change-me-to-a-long-random-string",  # .env.example's SECRET_KEY
        "mvidarr-insecure-development-key-set-SECRET_KEY",  # settings.py's laptop fallback
        "collectstatic-only",  # the Dockerfile's build-time key
        "change-me",  # .env.example's POSTGRES_PASSWORD
        "change-me-too",  # .env.example's MVIDARR_ADMIN_PASSWORD
        "changeme",
        "secret",
        "password",
        "admin",
    }
)


def is_placeholder(value: str) -> bool:
    normalised = value.strip()
    return normalised in PLACEHOLDERS or normalised.lower().startswith(
        ("change-me", "changeme", "django-insecure")
    )


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` must not sign sessions and tokens, or ``None`` when it may."""
    if is_placeholder(key):
        return (
            "SECRET_KEY is a published placeholder, so anyone could forge an admin token; "
            f"set it to a long random string ({GENERATE_KEY}) and start again."
        )
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (
            f"SECRET_KEY has {len(key)} characters, fewer than the {MIN_SECRET_KEY_LENGTH} "
            f"it needs to resist guessing; set a long random one ({GENERATE_KEY}) and start again."
        )
    return None


def admin_password_weakness(password: str, *, username: str) -> str | None:
    """Why ``password`` must not guard the admin account (a clause), or ``None`` when it may.

    Placeholders are refused, then Django's validators (``AUTH_PASSWORD_VALIDATORS``) judge
    it as they would for a person changing their password.
    """
    if is_placeholder(password):
        return "it is a published placeholder"
    try:
        validate_password(password, user=get_user_model()(username=username))
    except ValidationError as exc:
        return " ".join(exc.messages).rstrip(".")
    return None
