"""The account and users pages' forms: they read the input; the services judge it."""

from __future__ import annotations

from django import forms


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Type your current password."},
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type a new password."},
        help_text="At least 8 characters, not only digits, not a common password.",
    )
    new_password_again = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the new password a second time."},
    )

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The two new passwords differ; type them again.")
        return data


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use it, to tell your keys apart (for example “backup script”).",
        error_messages={"required": "Give the key a name, such as the script that will use it."},
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Give the user a username."},
    )
    is_staff = forms.BooleanField(
        label="Staff (may change the library, users and settings)", required=False
    )
