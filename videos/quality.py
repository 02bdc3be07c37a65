"""The qualities a profile speaks of, and how a file's quality compares with a cutoff.

Pure functions, no Django: the profile model, the yt-dlp format builder, completeness and
(later) upgrades all read these. A video quality is a band of heights: ``1080p`` is a file
taller than 720 and at most 1080 lines; ``2160p`` is anything taller than 1440.
"""

from __future__ import annotations

# Best first. "audio" is an audio-only file (m4a or opus).
PROFILE_QUALITIES = ("2160p", "1440p", "1080p", "720p", "480p", "360p", "audio")
VIDEO_QUALITIES = PROFILE_QUALITIES[:-1]
AUDIO = "audio"


def height_of(quality: str) -> int:
    """The tallest height in a video quality's band: ``"720p"`` → 720."""
    if quality not in VIDEO_QUALITIES:
        raise ValueError(f"{quality!r} is not a video quality")
    return int(quality.removesuffix("p"))


def band(quality: str) -> tuple[int, int | None]:
    """A video quality's heights as ``(above, at_most)``: ``"720p"`` → (480, 720).

    The best quality has no upper bound (``None``); the lowest starts above 0.
    """
    index = VIDEO_QUALITIES.index(quality)
    at_most = None if index == 0 else height_of(quality)
    above = height_of(VIDEO_QUALITIES[index + 1]) if index + 1 < len(VIDEO_QUALITIES) else 0
    return above, at_most


def quality_of(*, height: int | None, has_video: bool = True) -> str | None:
    """The quality a file is: the band its height falls in, ``"audio"`` for audio only.

    None when a video file's height is unknown.
    """
    if not has_video:
        return AUDIO
    if not height:
        return None
    for quality in reversed(VIDEO_QUALITIES):
        above, at_most = band(quality)
        if above < height and (at_most is None or height <= at_most):
            return quality
    return None


def rank(quality: str) -> int:
    """Higher is better: 2160p ranks above 360p, audio below every video quality."""
    return len(PROFILE_QUALITIES) - PROFILE_QUALITIES.index(quality)


def meets_cutoff(quality: str | None, cutoff: str) -> bool:
    """Whether a file of ``quality`` is good enough for ``cutoff`` ("" = any file is)."""
    if not cutoff:
        return True
    if quality is None:
        return False
    return rank(quality) >= rank(cutoff)


def check_qualities(qualities: list, cutoff: str) -> list[str]:
    """Sentences for what is wrong with a profile's qualities and cutoff; empty when valid."""
    problems = []
    if not isinstance(qualities, list) or not qualities:
        return ["Choose at least one quality."]
    unknown = [q for q in qualities if q not in PROFILE_QUALITIES]
    if unknown:
        known = ", ".join(PROFILE_QUALITIES)
        problems.append(f"Unknown qualities: {', '.join(map(str, unknown))} (use {known}).")
    if len(set(map(str, qualities))) != len(qualities):
        problems.append("Each quality may be listed once.")
    if AUDIO in qualities and len(qualities) > 1:
        problems.append("An audio profile allows audio only; make a separate profile for it.")
    if cutoff and cutoff not in qualities:
        problems.append(f"The cutoff {cutoff!r} must be one of the profile's qualities.")
    return problems


def better_on_offer(*, allowed: list[str], offered_heights: list[int], have: str | None) -> list:
    """The qualities of ``allowed`` (a profile's, best first) that a video offers
    (``offered_heights``: the heights of its video formats) and that rank above ``have``, the
    quality of its file (None: a file of unknown height, below every quality); best first.

    Empty when nothing better is on offer: an upgrade would fetch no better file.
    """
    offered = {quality_of(height=height) for height in offered_heights} - {None}
    return [q for q in above(allowed, have) if q in offered]


def above(allowed: list[str], have: str | None) -> list[str]:
    """The qualities of ``allowed`` (best first) that rank above ``have`` (None: a file of
    unknown height, below every quality): what an upgrade of that file may fetch."""
    floor = rank(have) if have is not None else 0
    return [q for q in allowed if rank(q) > floor]
