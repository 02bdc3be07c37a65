"""A setting's stored value: one row per key that someone changed from its default."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Setting(models.Model):
    """A value set in the database; the key's spec (``<app>/preferences.py``) says what it
    means, what it defaults to and what is valid. Written only by
    ``preferences.services.setting_set``."""

    key = models.CharField(max_length=100, primary_key=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class UserPreference(models.Model):
    """One person's choice of how a page looks to them (the library's grid or list), kept
    across sessions and devices. The app that shows the page names the key and checks the
    value; written only by ``preferences.services.user_preference_set``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_preferences"
    )
    key = models.CharField(max_length=100)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="user_preference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"
