"""Quality profiles: adding, changing and deleting them, and the plan yt-dlp follows for one.

Services, keyword-only; they refuse with :mod:`mvidarr.errors` (a bad quality or format string
is ``Invalid`` with the field it is about; deleting the default is a ``Conflict``). Reading is
in :mod:`videos.selectors` (``profile_default``, ``profile_for_artist``). Imports nothing
from ``jobs``.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower

from mvidarr import errors
from videos import quality, ytdlp
from videos.library.naming import without_bidi_controls
from videos.models import QualityProfile

FIELDS = ("name", "qualities", "cutoff", "upgrade_allowed", "container", "format", "is_default")


class ProfileInvalid(errors.Invalid):
    """A profile's field does not make sense (``field`` names it)."""


class ProfileInUse(errors.Conflict):
    """The default profile cannot be deleted."""


def profile_plan(profile: QualityProfile) -> ytdlp.FormatPlan:
    """What yt-dlp is asked for when a video is downloaded with ``profile``."""
    return ytdlp.plan_for_profile(
        name=profile.name,
        qualities=profile.qualities,
        container=profile.container,
        raw_format=profile.format,
    )


def profile_check(*, profile: QualityProfile, was_default: bool = False) -> None:
    """Raise :class:`ProfileInvalid` (with the field) for the first field of an unsaved
    ``profile`` that is wrong: name (empty or taken), qualities, cutoff, container, format,
    or the default (``was_default``) no longer being one."""
    if was_default and not profile.is_default:
        raise ProfileInvalid(
            "One profile is always the default; make another profile the default instead.",
            field="is_default",
        )
    if not profile.name:
        raise ProfileInvalid("Give the profile a name.", field="name")
    taken = (
        QualityProfile.objects.annotate(lname=Lower("name"))
        .filter(lname=Lower(Value(profile.name)))
        .exclude(pk=profile.pk)
        .first()
    )
    if taken is not None:
        raise ProfileInvalid(
            f"A profile named “{taken.name}” already exists; choose another name.", field="name"
        )
    problems = quality.check_qualities(profile.qualities, profile.cutoff)
    if problems:
        field = "cutoff" if problems[0].startswith("The cutoff") else "qualities"
        raise ProfileInvalid(" ".join(problems), field=field)
    if profile.container not in QualityProfile.Container.values:
        choices = ", ".join(QualityProfile.Container.values)
        raise ProfileInvalid(
            f"Unknown container {profile.container!r}; choose one of {choices}.",
            field="container",
        )
    if profile.format:
        reason = ytdlp.check_format(profile.format)
        if reason is not None:
            raise ProfileInvalid(reason, field="format")


def _apply(profile: QualityProfile, data: dict) -> None:
    for name in FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    profile.name = " ".join(without_bidi_controls(profile.name or "").split())[:100]
    profile.format = (profile.format or "").strip()
    profile.cutoff = profile.cutoff or ""
    if isinstance(profile.qualities, tuple):
        profile.qualities = list(profile.qualities)


@transaction.atomic
def _save(profile: QualityProfile) -> QualityProfile:
    """Save, unsetting the old default first when this one becomes the default."""
    if profile.is_default:
        QualityProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(
            is_default=False
        )
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # the same name taken at the same moment
        raise ProfileInvalid(
            "A profile with this name already exists; choose another name.", field="name"
        ) from None
    return profile


def profile_create(*, data: dict) -> QualityProfile:
    """Add a profile from ``data`` (the model's fields); raises :class:`ProfileInvalid`.

    With ``is_default``, it becomes the default and the old default stops being one, in the
    same transaction.
    """
    profile = QualityProfile()
    _apply(profile, data)
    profile_check(profile=profile)
    return _save(profile)


def profile_update(*, profile: QualityProfile, data: dict) -> QualityProfile:
    """Change the fields in ``data``. Queued jobs keep the plan they were submitted with.

    Raises :class:`ProfileInvalid`; clearing ``is_default`` on the default is refused (make
    another profile the default instead).
    """
    was_default = profile.is_default
    _apply(profile, data)
    profile_check(profile=profile, was_default=was_default)
    return _save(profile)


@transaction.atomic
def profile_delete(*, profile: QualityProfile) -> None:
    """Delete a profile; its artists follow the default from now on.

    Raises :class:`ProfileInUse` for the default profile.
    """
    locked = QualityProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if locked is None:
        return
    if locked.is_default:
        raise ProfileInUse(
            f"“{locked.name}” is the default profile and cannot be deleted; make another "
            "profile the default first."
        )
    locked.delete()  # Artist.quality_profile is SET_NULL: those artists follow the default
