"""Make sure an administrator account exists (idempotent).

The password is set only when the account is created, or with ``--reset-password``: a
password changed in the admin is never put back by the next start. A placeholder or weak
``MVIDARR_ADMIN_PASSWORD`` is refused with a sentence (a non-zero exit, which stops the web
service) whenever it would be, or already is, the account's password.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mvidarr.config import env_str
from mvidarr.credentials import GENERATE_PASSWORD, admin_password_weakness


class Command(BaseCommand):
    help = (
        "Create the admin account MVIDARR_ADMIN_USER with MVIDARR_ADMIN_PASSWORD unless it "
        "exists; --reset-password sets the password of an existing one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="set the existing account's password to MVIDARR_ADMIN_PASSWORD",
        )

    def handle(self, *args, reset_password: bool, **options) -> None:
        users = get_user_model()
        username = env_str("MVIDARR_ADMIN_USER", "admin")
        password = env_str("MVIDARR_ADMIN_PASSWORD")
        user = users.objects.filter(username=username).first()
        weakness = admin_password_weakness(password, username=username) if password else None
        refusal = (
            f"MVIDARR_ADMIN_PASSWORD is too weak ({weakness}); set a long random one "
            f"({GENERATE_PASSWORD}) and start again."
        )

        if user is None:
            if weakness:
                raise CommandError(refusal)
            generated = not password
            password = password or secrets.token_urlsafe(18)
            users.objects.create_superuser(username=username, email="", password=password)
            if generated:
                self.stdout.write(
                    f"Created admin account {username!r} with password {password!r} "
                    "(shown once: change it in the admin, or set MVIDARR_ADMIN_PASSWORD)."
                )
            else:
                self.stdout.write(f"Created admin account {username!r}.")
            return

        if reset_password:
            if not password:
                raise CommandError(
                    "--reset-password needs the new password in MVIDARR_ADMIN_PASSWORD; "
                    "set it and run the command again."
                )
            if weakness:
                raise CommandError(refusal)
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Set the password of admin account {username!r}.")
            return

        # Earlier versions put MVIDARR_ADMIN_PASSWORD back on every start, so an account
        # created from the placeholder still has it: that door must not stay open.
        if weakness and user.check_password(password):
            raise CommandError(
                f"The admin account {username!r} still has the password in "
                f"MVIDARR_ADMIN_PASSWORD, which is too weak ({weakness}); put a long random one "
                f"there ({GENERATE_PASSWORD}) and run manage.py ensure_admin --reset-password."
            )
