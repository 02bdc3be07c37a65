"""API keys in the admin: listed (prefix, name, user, last used) and revocable (delete),
never the key, which is not stored. Deactivating a user in the admin revokes their keys,
as the Users page does."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.keys import api_keys_revoke_all
from accounts.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix_shown", "name", "user", "created_at", "last_used_at"]
    list_filter = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["name", "prefix_shown", "user", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_add_permission(self, request) -> bool:
        return False  # a key is made by its user, who alone sees it (Account page, API)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Key", ordering="prefix")
    def prefix_shown(self, obj: ApiKey) -> str:
        return f"{obj.prefix}…"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountUserAdmin(UserAdmin):
    """Django's user admin, revoking a user's API keys when it deactivates them."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            api_keys_revoke_all(user=obj)
