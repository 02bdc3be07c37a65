"""People's accounts beside Django's ``User``: their API keys, and the one-time passwords
that staff gave them and that they must change before anything else."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    """A named key a script sends as ``Authorization: Token <key>``, acting as its user.

    Only the SHA-256 of the key is kept (``key_hash``) and the key is shown once, when it is
    made. ``prefix`` is its first characters, shown in lists so a person can tell keys
    apart. ``password_version`` is the user's password fingerprint when it was made: a key
    of an earlier password is refused, whichever way the password changed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    password_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user_id", "name"]
        verbose_name = "API key"
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_key_name_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OneTimePassword(models.Model):
    """The user's password was set by staff and must be changed at the next login.

    It holds while the user's password is the one staff set (``password_version``): a change
    by any path ends it, and the row is removed when the user changes it here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="one_time_password",
    )
    password_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "one-time password"

    def __str__(self) -> str:
        return f"One-time password of user #{self.user_id}"
