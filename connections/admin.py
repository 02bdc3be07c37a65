"""The connections in the admin: secrets never shown (each reads "set"); changed through the
page or the API, where each kind's settings are checked."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from connections.kinds import redacted
from connections.models import Connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "enabled", "events_shown", "last_outcome", "last_at"]
    list_filter = ["kind", "enabled", "last_outcome"]
    search_fields = ["name"]
    fields = [
        "name",
        "kind",
        "enabled",
        "events",
        "settings_shown",
        "last_outcome",
        "last_event",
        "last_message",
        "last_at",
    ]
    readonly_fields = [
        "kind",
        "events",
        "settings_shown",
        "last_outcome",
        "last_event",
        "last_message",
        "last_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # each kind's settings are checked by the page and the API

    @admin.display(description="Events")
    def events_shown(self, obj: Connection) -> str:
        return ", ".join(obj.events or []) or "—"

    @admin.display(description="Settings (secrets hidden)")
    def settings_shown(self, obj: Connection) -> str:
        text = json.dumps(redacted(obj.kind, obj.settings or {}), indent=2, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)
