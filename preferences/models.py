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
