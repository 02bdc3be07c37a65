"""The naming templates in force (the ``naming.artist_folder`` and ``naming.file`` settings),
changing them, and previewing them on a sample video.

The templates themselves (tokens, presets, rendering) are :mod:`videos.library.templates`;
renaming the files already in the library is the ``library_rename`` job's
(:mod:`videos.library.rename`, started by ``jobs.services.rename``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction

from preferences.selectors import setting_get, setting_source
from preferences.services import setting_set
from videos.library.templates import (
    NameValues,
    NamingTemplate,
    check_artist_folder_template,
    check_file_template,
    file_quality_name,
    name_values_for,
    relative_path,
    versions_warning,
)
from videos.models import Video, VideoFile

ARTIST_FOLDER = "naming.artist_folder"
FILE = "naming.file"
FIELDS = {
    "artist_folder": (ARTIST_FOLDER, check_artist_folder_template),
    "file": (FILE, check_file_template),
}

# The sample an empty library is previewed on: every token has a value.
EXAMPLE = NameValues(
    artist="Björk",
    artist_sort="Björk",
    title="Army of Me",
    featured="",
    year="1995",
    album="Post",
    video_type="Official video",
    plex_suffix="video",
    version="",
    quality="1080p",
    source_id="a1B2c3D4e5F",
)


def naming_template() -> NamingTemplate:
    """The templates new downloads are named by."""
    return NamingTemplate(artist_folder=setting_get(ARTIST_FOLDER), file=setting_get(FILE))


def naming_sources() -> dict[str, str]:
    """Where each template comes from: "default", "settings" or "environment (MVIDARR_X)"
    (a template set in the environment can only be changed there)."""
    return {field: setting_source(key) for field, (key, _check) in FIELDS.items()}


def naming_template_check(*, artist_folder: object, file: object) -> NamingTemplate:
    """Both templates checked; ValidationError ``{field: [sentence]}`` for those refused."""
    errors = {}
    for field, value in (("artist_folder", artist_folder), ("file", file)):
        try:
            FIELDS[field][1](value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    return NamingTemplate(artist_folder=artist_folder, file=file)


@transaction.atomic
def naming_template_set(*, artist_folder: object, file: object, user) -> NamingTemplate:
    """Store the templates (both or neither; one that is unchanged is left as it is, so a
    template the environment sets may be sent back as it is); return those in force.

    Raises ValidationError ``{field: [sentence]}``. Files already in the library keep their
    names until a rename (the ``library_rename`` job) moves them.
    """
    template = naming_template_check(artist_folder=artist_folder, file=file)
    current = naming_template()
    for field, (key, _check) in FIELDS.items():
        value = getattr(template, field)
        if value != getattr(current, field):
            try:
                setting_set(key, value, user=user)
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from None
    return naming_template()


@dataclass(frozen=True)
class NamingPreview:
    """Where the sample video's file goes under a template, and Jellyfin's warning if any."""

    path: str
    warning: str
    video: Video | None  # None: the built-in example (the library has no file yet)


def naming_preview(template: NamingTemplate) -> NamingPreview:
    """``template`` on the newest file of the library (or on a built-in example)."""
    video_file = (
        VideoFile.objects.select_related("video__artist").order_by("-created_at", "-pk").first()
    )
    if video_file is None:
        relative = relative_path(template, EXAMPLE, ext="mp4")
        return NamingPreview(
            path=relative.as_posix(), warning=versions_warning(relative), video=None
        )
    values = name_values_for(video_file.video, quality=file_quality_name(video_file))
    ext = PurePosixPath(video_file.path).suffix.lstrip(".") or video_file.container
    relative = relative_path(template, values, ext=ext)
    return NamingPreview(
        path=relative.as_posix(), warning=versions_warning(relative), video=video_file.video
    )
