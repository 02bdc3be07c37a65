"""What to ask yt-dlp for: a ``FormatPlan`` built from a quality profile or a per-job quality.

A profile allows qualities (best first; :mod:`videos.quality` names them and their height
bands), prefers a container and may carry a raw yt-dlp format string that overrides the rest.
The plan says which format selector yt-dlp runs, how the result is merged or remuxed, whether
only the audio is kept, and which qualities the file may have (``allowed``; empty: any).
Pure data, no Django: the jobs store a plan in the job's options when it is submitted
(``as_options``), so editing a profile later does not change a queued job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yt_dlp

from videos import quality as q
from videos.ytdlp.config import format_selector

CONTAINERS = ("any", "mp4", "mkv")

# Audio-only: keep an opus stream as .opus, everything else becomes (or stays) .m4a.
AUDIO_MAPPING = "webm>opus/ogg>opus/opus>opus/m4a"


@dataclass(frozen=True)
class FormatPlan:
    format: str  # the yt-dlp format selector
    container: str = "any"  # mp4 / mkv: merged and single files end up in it; any: as they come
    audio_only: bool = False  # keep the audio alone (m4a or opus), whatever was downloaded
    allowed: tuple[str, ...] = field(default=())  # qualities the file may have; () = any
    profile_name: str = ""  # for the sentences a person reads

    def as_options(self) -> dict[str, Any]:
        """The plan as JSON for a job's options (read back by :func:`plan_from_options`)."""
        return {
            "format": self.format,
            "container": self.container,
            "audio_only": self.audio_only,
            "allowed": list(self.allowed),
            "profile_name": self.profile_name,
        }


def plan_for_quality(quality: str) -> FormatPlan:
    """The plan of a per-job quality (``best``, a height cap, ``audio``): as before profiles.

    Raises ValueError for an unknown quality.
    """
    return FormatPlan(format=format_selector(quality), audio_only=quality == "audio")


def plan_for_profile(
    *, name: str, qualities: Iterable[str], container: str = "any", raw_format: str = ""
) -> FormatPlan:
    """The plan of a quality profile; a raw format string overrides qualities and container."""
    if raw_format.strip():
        return FormatPlan(format=raw_format.strip(), profile_name=name)
    qualities = tuple(qualities)
    if container not in CONTAINERS:
        raise ValueError(f"Unknown container {container!r}: use one of {', '.join(CONTAINERS)}.")
    if q.AUDIO in qualities:
        return FormatPlan(format="ba/b", audio_only=True, allowed=(q.AUDIO,), profile_name=name)
    return FormatPlan(
        format=profile_selector(qualities, container),
        container=container,
        allowed=qualities,
        profile_name=name,
    )


def profile_selector(qualities: Iterable[str], container: str = "any") -> str:
    """The yt-dlp selector trying each quality's height band in order, then a format whose
    height the site does not say (a bare file: its real height is checked after download).

    In each band: separate video and audio merged, else a single file; for ``mp4``, MP4
    video with M4A audio first.
    """
    filters = []
    for quality in qualities:
        above, at_most = q.band(quality)
        height = f"[height>{above}]"
        if at_most is not None:
            height += f"[height<={at_most}]"
        filters.append(height)
    # "height<?1": only formats of unknown height pass (a known height is always >= 1).
    filters.append("[height<?1]")
    parts = []
    for height in filters:
        if container == "mp4":
            parts += [f"bv*{height}[ext=mp4]+ba[ext=m4a]", f"b{height}[ext=mp4]"]
        parts += [f"bv*{height}+ba", f"b{height}"]
    return "/".join(parts)


def plan_from_options(options: Mapping[str, Any]) -> FormatPlan:
    """The plan a job was submitted with; a job queued before profiles has only a quality.

    Raises ValueError for a quality that is not known.
    """
    if options.get("format"):
        return FormatPlan(
            format=str(options["format"]),
            container=str(options.get("container") or "any"),
            audio_only=bool(options.get("audio_only")),
            allowed=tuple(options.get("allowed") or ()),
            profile_name=str(options.get("profile_name") or ""),
        )
    return plan_for_quality(str(options.get("quality") or "best"))


def check_format(spec: str) -> str | None:
    """None when yt-dlp can parse ``spec`` as a format selector, else a sentence with its
    reason. Nothing is fetched."""
    ydl = yt_dlp.YoutubeDL({"quiet": True, "no_warnings": True}, auto_init=False)
    try:
        ydl.build_format_selector(spec)
    except (SyntaxError, ValueError) as error:
        reason = " ".join(str(error).split("\n")[0].split())
        reason = reason.removeprefix("Invalid format specification: ").rstrip(". ")
        return f"yt-dlp cannot read this format string: {reason}."
    finally:
        ydl.close()
    return None


def yt_dlp_options(plan: FormatPlan) -> dict[str, Any]:
    """The YoutubeDL options that carry out ``plan``: format, merging and postprocessors."""
    options: dict[str, Any] = {"format": plan.format}
    postprocessors = []
    if plan.audio_only:
        postprocessors.append({"key": "FFmpegExtractAudio", "preferredcodec": AUDIO_MAPPING})
    elif plan.container in ("mp4", "mkv"):
        options["merge_output_format"] = plan.container
        postprocessors.append({"key": "FFmpegVideoRemuxer", "preferedformat": plan.container})
    if postprocessors:
        options["postprocessors"] = postprocessors
    return options


# --- what a video offers ----------------------------------------------------------------------
def offered_qualities(formats: Iterable[Mapping[str, Any]]) -> list[str]:
    """The qualities of ``formats`` (yt-dlp's format dicts) whose quality is known, best first."""
    found = set()
    for fmt in formats:
        vcodec = fmt.get("vcodec")
        has_video = vcodec != "none"
        if not has_video and fmt.get("acodec") in (None, "none"):
            continue  # neither: a storyboard or a subtitle track
        quality = q.quality_of(height=fmt.get("height"), has_video=has_video)
        if quality is not None:
            found.add(quality)
    return sorted(found, key=q.rank, reverse=True)


def nothing_allowed(plan: FormatPlan, offered: Iterable[str]) -> str:
    """The sentence for a video none of whose qualities the plan allows."""
    offered = list(offered)
    offers = ", ".join(offered) if offered else "no format of a known quality"
    return (
        f"Nothing this video offers is allowed by the profile “{plan.profile_name}”: "
        f"it offers {offers}; "
        f"the profile allows {', '.join(plan.allowed)}."
    )
