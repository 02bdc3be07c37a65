"""Naming templates: where a video's file goes, from the staff's two templates.

``artist_folder`` names the folder(s) inside the library (``{artist}``; ``/`` nests folders;
empty puts every file in the library's top folder) and ``file`` names the media file without
its extension (``{title} [{source_id}]``). Both are text with ``{token}`` fields
(:data:`TOKENS`). Each token's value is made safe on its own (:func:`safe_component`, as
names always were), then each path component again, so nothing a title holds can add a
folder or leave the library. A token with no value collapses with what only framed it:
``{title} ({year})`` without a year is ``Title``, ``{artist} - {title}`` without an artist
never starts with `` - ``, and a folder that comes out empty is left out.

The default templates reproduce the layout from before they existed byte for byte
(``<Artist>/<Title> [<source id>].<ext>``), so upgrading renames nothing. Pure: no model,
no setting, no file is touched here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError

from videos import quality
from videos.library.naming import MAX_COMPONENT_BYTES, safe_component, safe_text
from videos.library.sidecars import MAX_SUFFIX_BYTES

# Every token, with what it stands for (the settings page and the API list them).
TOKENS: dict[str, str] = {
    "artist": "The artist's name (Unknown Artist when there is none).",
    "artist_sort": "The artist's sort name (The Cure → Cure, The).",
    "title": "The video's title.",
    "featured": "The featured artists, separated by commas.",
    "year": "The year the video was released.",
    "album": "The album.",
    "video_type": "The kind of video: Official video, Lyric video, Live, Behind the scenes…",
    "plex_suffix": "Plex's music-video suffix for the kind: video, live, lyrics, "
    "behindthescenes, interview or concert.",
    "version": "The version's name (Director's cut, Remastered…).",
    "quality": "The file's quality (1080p, 720p, audio).",
    "source_id": "The id of the video on its site.",
}
MAX_TEMPLATE_LENGTH = 255
UNKNOWN_ARTIST = "Unknown Artist"
UNTITLED = "Untitled"
# Plex's local music-video suffixes (the file name ends with -<suffix>), by video type.
PLEX_SUFFIXES = {
    "lyric": "lyrics",
    "live": "live",
    "performance": "live",
    "behind_the_scenes": "behindthescenes",
    "interview": "interview",
    "concert": "concert",
}
PLEX_DEFAULT_SUFFIX = "video"
# Tokens a name gives up bytes from first when it is too long (the title, as always did).
_SHRINK_ORDER = ("title", "album", "version", "featured", "artist", "artist_sort", "video_type")
# A taken name gets a number, up to this: "Title (2)" … "Title (999)".
MAX_NUMBER = 1000
# Most bytes a folder name, a token's value and a source id may take (as they always did).
FOLDER_MAX_BYTES = 180
VALUE_MAX_BYTES = 180
SOURCE_ID_MAX_BYTES = 64
# What a token without a value stands for instead of collapsing.
_FALLBACKS = {
    "artist": UNKNOWN_ARTIST,
    "artist_sort": UNKNOWN_ARTIST,
    "title": UNTITLED,
    "source_id": "unknown",
}


@dataclass(frozen=True)
class NamingTemplate:
    artist_folder: str
    file: str


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    template: NamingTemplate
    help: str


DEFAULT_TEMPLATE = NamingTemplate(artist_folder="{artist}", file="{title} [{source_id}]")
PRESETS: tuple[Preset, ...] = (
    Preset(
        "default",
        "MVidarr (default)",
        DEFAULT_TEMPLATE,
        "Artist/Title [id]: every file named by its site's id, as MVidarr always did.",
    ),
    Preset(
        "jellyfin",
        "Jellyfin / Kodi / Emby",
        NamingTemplate("{artist}", "{title} ({year})"),
        "Artist/Title (year): what Jellyfin, Kodi and Emby match; with the .nfo sidecar "
        "they show the artist, year and artwork.",
    ),
    Preset(
        "plex",
        "Plex",
        NamingTemplate("{artist}", "{title}-{plex_suffix}"),
        "Artist/Title-video: Plex's local music-video names (-video, -live, -lyrics, "
        "-behindthescenes, -interview, -concert by the video's type).",
    ),
    Preset(
        "flat",
        "Flat",
        NamingTemplate("", "{artist} - {title}"),
        "Artist - Title, every file in the library's top folder.",
    ),
)

_FIELD = re.compile(r"\{([^{}]*)\}")
# Stand-ins while a name is rendered: a value's start and end, and a token without a value.
# They are private-use characters that appear nowhere in the template or the values of that
# render (a title may hold any character, private-use ones too, and must keep it).
_SEP = r"[\s\-\u2013\u2014_,.:;|\u00b7+&]*"


@dataclass(frozen=True)
class _Markers:
    open: str
    close: str
    empty: str
    brackets: re.Pattern
    run: re.Pattern
    at_start: re.Pattern
    at_end: re.Pattern
    inside: re.Pattern

    @property
    def table(self) -> dict[int, None]:
        return dict.fromkeys(map(ord, (self.open, self.close, self.empty)))


@functools.lru_cache(maxsize=8)
def _markers_from(first: int) -> _Markers:
    o, c, e = chr(first), chr(first + 1), chr(first + 2)
    return _Markers(
        open=o,
        close=c,
        empty=e,
        brackets=re.compile(rf"\s*(?:\([^(){o}]*{e}[^(){o}]*\)|\[[^\[\]{o}]*{e}[^\[\]{o}]*\])"),
        run=re.compile(rf"{e}(?:{_SEP}{e})+"),
        at_start=re.compile(rf"^{_SEP}{e}{_SEP}"),
        at_end=re.compile(rf"{_SEP}{e}{_SEP}$"),
        inside=re.compile(rf"({_SEP}){e}({_SEP})"),
    )


def _markers(template: str, values: NameValues) -> _Markers:
    """Three private-use characters that neither ``template`` nor any value holds."""
    used = set(template)
    for name in TOKENS:
        used.update(str(getattr(values, name)))
    for first in range(0xE000, 0xF8FD, 3):
        if not used.intersection((chr(first), chr(first + 1), chr(first + 2))):
            return _markers_from(first)
    raise ValueError("A name's values use every private-use character.")  # 6,400 of them


@dataclass(frozen=True)
class NameValues:
    """What a video's tokens stand for, as it has them (not yet made safe)."""

    artist: str = ""
    artist_sort: str = ""
    title: str = ""
    featured: str = ""
    year: str = ""
    album: str = ""
    video_type: str = ""
    plex_suffix: str = PLEX_DEFAULT_SUFFIX
    version: str = ""
    quality: str = ""
    source_id: str = ""
    # Cleaned values, filled by render (one cleaning per value, however many components).
    _safe: dict = field(default_factory=dict, compare=False, repr=False)


def check_template(value: object, *, folder: bool) -> str:
    """``value`` if it is a template of known tokens; ValidationError with a sentence naming
    what is wrong otherwise. An artist folder template may be empty (no artist folders) and
    may nest folders with ``/``; a file template may do neither."""
    what = "The artist folder template" if folder else "The file name template"
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text.", code="invalid")
    if len(value) > MAX_TEMPLATE_LENGTH:
        raise ValidationError(
            f"{what} is {len(value)} characters long; keep it to {MAX_TEMPLATE_LENGTH}.",
            code="too_long",
        )
    if not folder and not value.strip():
        raise ValidationError(f"{what} cannot be empty: use {{title}} at least.", code="empty")
    if not folder and ("/" in value or "\\" in value):
        raise ValidationError(
            f"{what} cannot hold a folder separator (/ or \\); put folders in the artist "
            "folder template.",
            code="separator",
        )
    for name in _FIELD.findall(value):
        if name not in TOKENS:
            known = ", ".join(f"{{{token}}}" for token in TOKENS)
            shown = "{}" if not name else f"{{{name}}}"
            raise ValidationError(
                f"{what} uses {shown}, which is not a token; the tokens are {known}.",
                code="unknown_token",
            )
    rest = _FIELD.sub("", value)
    if "{" in rest or "}" in rest:
        raise ValidationError(
            f"{what} has a {{ or }} that does not enclose a token name; write tokens as {{title}}.",
            code="syntax",
        )
    return value


def check_artist_folder_template(value: object) -> str:
    """The ``naming.artist_folder`` setting's check."""
    return check_template(value, folder=True)


def check_file_template(value: object) -> str:
    """The ``naming.file`` setting's check."""
    return check_template(value, folder=False)


def relative_path(template: NamingTemplate, values: NameValues, *, ext: str) -> PurePosixPath:
    """Where a file with ``values`` goes under ``template``, relative to the library root:
    folders, then ``<name>.<ext>``, every component safe and the name short enough that
    every sidecar's name (``<stem><suffix>``) fits in 255 bytes too."""
    clean_ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10] or "bin"
    folders = []
    for segment in template.artist_folder.replace("\\", "/").split("/"):
        name = _render(segment, values, max_bytes=FOLDER_MAX_BYTES)
        if name:
            folders.append(name)
    ending = max(len(clean_ext) + 1, MAX_SUFFIX_BYTES)
    stem = _render(template.file, values, max_bytes=MAX_COMPONENT_BYTES - ending)
    return PurePosixPath(*folders, f"{stem or UNTITLED}.{clean_ext}")


def versions_warning(path: PurePosixPath) -> str:
    """A sentence when Jellyfin would group the file with others as versions of one video
    (its name starts with its folder's name, as ``Artist/Artist - Title`` does); "" else."""
    if len(path.parts) < 2:
        return ""
    folder = path.parts[-2]
    if not PurePosixPath(path.parts[-1]).stem.casefold().startswith(folder.casefold()):
        return ""
    return (
        f"“{path.parts[-1]}” starts with its folder's name “{folder}”: Jellyfin groups such "
        "files as versions of one video. Leave the artist out of the file name template, or "
        "the artist folder out of the path."
    )


def path_key(relative: str | PurePosixPath) -> str:
    """What two paths that collide have in common: no extension, no case."""
    text = str(relative)
    dot = text.rfind(".")
    if dot > text.rfind("/") + 1:  # an extension (a name that starts with "." has none)
        text = text[:dot]
    return text.casefold()


def numbered(path: PurePosixPath, number: int) -> PurePosixPath:
    """``path`` with `` (number)`` after its stem, the stem shortened so that it and every
    sidecar's name still fit in 255 bytes."""
    counter = f" ({number})"
    budget = MAX_COMPONENT_BYTES - max(len(path.suffix), MAX_SUFFIX_BYTES) - len(counter)
    stem = safe_text(path.stem, max_bytes=budget) or "_"
    return path.with_name(f"{stem}{counter}{path.suffix}")


def plex_suffix_for(video_type: str) -> str:
    return PLEX_SUFFIXES.get(video_type or "", PLEX_DEFAULT_SUFFIX)


def name_values_for(video, *, info: dict | None = None, quality: str = "") -> NameValues:
    """A video's token values: its fields, else what a download's ``info`` says (the title
    and artist of a video stored for the first time), else what names always fell back to.
    ``quality`` is its file's (:func:`quality_name`). Reads ``video.artist``: select it."""
    info = info or {}
    artist = video.artist if video.artist_id else None
    artist_name = artist.name if artist is not None else (info.get("artist") or "")
    year = video.year or (video.premiered.year if video.premiered else None)
    return NameValues(
        artist=str(artist_name),
        artist_sort=(artist.sort_name or artist.name) if artist is not None else str(artist_name),
        title=video.title or str(info.get("title") or "") or UNTITLED,
        featured=", ".join(str(name) for name in video.featured_artists or []),
        year=str(year) if year else "",
        album=video.album,
        video_type=video.get_video_type_display() if video.video_type else "",
        plex_suffix=plex_suffix_for(video.video_type),
        version=video.version_name,
        quality=quality,
        source_id=video.source_id or str(info.get("source_id") or info.get("id") or video.pk),
    )


def quality_name(*, height, width, video_codec, audio_codec) -> str:
    """A file's quality for ``{quality}``: "1080p", "audio" for audio alone, "" unknown."""
    has_video = bool(video_codec or height or width) or not audio_codec
    return quality.quality_of(height=height, has_video=has_video) or ""


def file_quality_name(video_file) -> str:
    """:func:`quality_name` of a ``VideoFile`` ("" for None)."""
    if video_file is None:
        return ""
    return quality_name(
        height=video_file.height,
        width=video_file.width,
        video_codec=video_file.video_codec,
        audio_codec=video_file.audio_codec,
    )


def _safe_value(values: NameValues, name: str, *, max_bytes: int) -> str:
    """The token's value as safe text of at most ``max_bytes``, or its fallback ("" for
    most tokens: they collapse)."""
    key = (name, max_bytes)
    if key not in values._safe:
        if name == "source_id":
            max_bytes = min(max_bytes, SOURCE_ID_MAX_BYTES)
        raw = str(getattr(values, name))
        clean = safe_text(raw, max_bytes=max_bytes)
        if not clean and name in _FALLBACKS:
            clean = safe_component(_FALLBACKS[name], fallback="_", max_bytes=max_bytes)
        values._safe[key] = clean
    return values._safe[key]


def _render(template: str, values: NameValues, *, max_bytes: int) -> str:
    """One path component: the tokens filled in, empty ones collapsed with what framed them,
    the whole made safe in ``max_bytes``; "" when nothing is left."""
    limits = dict.fromkeys(_FIELD.findall(template), VALUE_MAX_BYTES)
    markers = _markers(template, values)
    while True:
        text = _collapse(_fill(template, values, limits, markers), markers)
        name = safe_text(text, max_bytes=MAX_COMPONENT_BYTES)
        overflow = len(name.encode()) - max_bytes
        if overflow <= 0:
            return name
        longest = _longest_shrinkable(values, limits)
        if longest is None:  # only fixed tokens and literals: cut the whole name
            return safe_text(text, max_bytes=max_bytes)
        current = len(_safe_value(values, longest, max_bytes=limits[longest]).encode())
        limits[longest] = max(1, current - overflow)


def _fill(template: str, values: NameValues, limits: dict[str, int], markers: _Markers) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        text = _safe_value(values, name, max_bytes=limits[name])
        return f"{markers.open}{text}{markers.close}" if text else markers.empty

    return _FIELD.sub(value, template)


def _collapse(text: str, markers: _Markers) -> str:
    """Drop the tokens without a value, with the brackets that held only them and the
    separator that led to them; then the stand-ins."""
    if markers.empty in text:
        text = markers.brackets.sub(markers.empty, text)
        text = markers.run.sub(markers.empty, text)
        text = markers.at_start.sub("", text)
        text = markers.at_end.sub("", text)
        text = markers.inside.sub(_keep_one_separator, text)
    return text.translate(markers.table)


def _keep_one_separator(match: re.Match) -> str:
    before, after = match.group(1), match.group(2)
    if before.strip() or not after.strip():
        return before or after
    return after


def _longest_shrinkable(values: NameValues, limits: dict[str, int]) -> str | None:
    candidates = [
        name
        for name in _SHRINK_ORDER
        if name in limits and len(_safe_value(values, name, max_bytes=limits[name]).encode()) > 1
    ]
    if not candidates:
        return None
    if "title" in candidates:
        return "title"  # the title gives first, as names always did
    return max(candidates, key=lambda name: len(_safe_value(values, name, max_bytes=limits[name])))
