"""Make sure an administrator account exists (idempotent)."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the admin account from MVIDARR_ADMIN_USER/PASSWORD unless one exists."

    def handle(self, *args, **options) -> None:
        users = get_user_model()
        username = os.environ.get("MVIDARR_ADMIN_USER", "admin")
        password = os.environ.get("MVIDARR_ADMIN_PASSWORD", "")
        user = users.objects.filter(username=username).first()
        if user is not None:
            if password and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
                self.stdout.write(f"Updated the password of admin account {username!r}.")
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        if generated:
            self.stdout.write(
                f"Created admin account {username!r} with password {password!r} "
                "(shown once: change it in the admin, or set MVIDARR_ADMIN_PASSWORD)."
            )
        else:
            self.stdout.write(f"Created admin account {username!r}.")
