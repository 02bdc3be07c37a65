"""Weak secrets stop the services with a sentence: the secret key, the admin's password."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.test_config import ROOT, run_manage

STRONG_PASSWORD = "Vq7-harbour-lantern-91"


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string",  # .env.example
        "mvidarr-insecure-development-key-set-SECRET_KEY",  # the laptop fallback
        "django-insecure-" + "x" * 50,
        "k" * 49,
    ],
)
def test_preflight_refuses_a_placeholder_or_short_secret_key_in_one_sentence(key, tmp_path):
    result = run_manage(
        "preflight",
        "--skip-redis",
        SECRET_KEY=key,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert "SECRET_KEY" in message
    assert len(message.splitlines()) == 1


def test_preflight_accepts_a_long_random_secret_key(tmp_path):
    result = run_manage(
        "preflight",
        "--skip-redis",
        SECRET_KEY="q" * 20 + "Zx8-" * 10,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr


def test_build_steps_still_run_with_a_throwaway_key():
    """The Dockerfile runs collectstatic with SECRET_KEY=collectstatic-only."""
    result = run_manage("check", SECRET_KEY="collectstatic-only")
    assert result.returncode == 0, result.stderr


def test_the_generated_secret_key_file_is_readable_by_its_owner_only(tmp_path):
    key_file = tmp_path / "secret_key"
    subprocess.run([ROOT / "bin" / "secret-key", key_file], check=True, env=os.environ)
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    # An older install's key keeps its value and loses its group and world bits.
    key_file.chmod(0o644)
    subprocess.run([ROOT / "bin" / "secret-key", key_file], check=True, env=os.environ)
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.fixture
def admin_env(monkeypatch):
    def set_env(password: str | None, username: str = "root") -> None:
        monkeypatch.setenv("MVIDARR_ADMIN_USER", username)
        if password is None:
            monkeypatch.delenv("MVIDARR_ADMIN_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("MVIDARR_ADMIN_PASSWORD", password)

    return set_env


def admin():
    return get_user_model().objects.get(username="root")


@pytest.mark.parametrize("password", ["change-me-too", "password1", "12345678901", "root1"])
def test_ensure_admin_refuses_a_placeholder_or_weak_password_with_a_sentence(
    db, admin_env, password
):
    """A CommandError is a non-zero exit: the entrypoint (`set -e`) stops the web service."""
    admin_env(password)
    with pytest.raises(CommandError) as excinfo:
        call_command("ensure_admin")
    message = str(excinfo.value)
    assert message.startswith("MVIDARR_ADMIN_PASSWORD is too weak (")
    assert password not in message
    assert not get_user_model().objects.filter(username="root").exists()


def test_ensure_admin_creates_the_account_with_a_strong_password(db, admin_env):
    admin_env(STRONG_PASSWORD)
    call_command("ensure_admin")
    user = admin()
    assert user.is_superuser
    assert user.check_password(STRONG_PASSWORD)


def test_ensure_admin_leaves_a_changed_password_alone(db, admin_env):
    admin_env(STRONG_PASSWORD)
    call_command("ensure_admin")
    user = admin()
    user.set_password("changed-in-the-admin-42")
    user.save()

    call_command("ensure_admin")
    assert admin().check_password("changed-in-the-admin-42")


def test_ensure_admin_reset_password_sets_a_new_strong_password(db, admin_env):
    admin_env(STRONG_PASSWORD)
    call_command("ensure_admin")
    admin_env("another-Strong-passphrase-7")
    call_command("ensure_admin", "--reset-password")
    assert admin().check_password("another-Strong-passphrase-7")


def test_ensure_admin_reset_password_refuses_a_weak_one(db, admin_env):
    admin_env(STRONG_PASSWORD)
    call_command("ensure_admin")
    admin_env("qwerty123")
    with pytest.raises(CommandError, match="too weak"):
        call_command("ensure_admin", "--reset-password")
    assert admin().check_password(STRONG_PASSWORD)


def test_ensure_admin_refuses_to_start_while_the_account_still_has_the_placeholder(db, admin_env):
    """Earlier versions set the placeholder on every start: such an account is an open door."""
    get_user_model().objects.create_superuser("root", "", "change-me-too")
    admin_env("change-me-too")
    with pytest.raises(CommandError, match="ensure_admin --reset-password"):
        call_command("ensure_admin")


def test_ensure_admin_without_a_password_generates_one(db, admin_env, capsys):
    admin_env(None)
    call_command("ensure_admin")
    assert "shown once" in capsys.readouterr().out
    assert admin().has_usable_password()
