"""The versions an operator asks about first: MVidarr's and yt-dlp's."""

from __future__ import annotations

import importlib.metadata
import tomllib

from django.conf import settings


def app_version() -> str:
    """MVIDARR_VERSION when set (a build may stamp it), else pyproject.toml's version."""
    if settings.MVIDARR_VERSION:
        return settings.MVIDARR_VERSION
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def ytdlp_version() -> str:
    """The installed yt-dlp's version (read from its metadata: only videos.ytdlp imports it)."""
    try:
        return importlib.metadata.version("yt-dlp")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
