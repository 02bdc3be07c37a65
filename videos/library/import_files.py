"""What a manual import learns of one file before anything changes: what ffmpeg reads in
it, what an NFO beside it says, what its name says, and which video of the library it is.

Matching order (the first that names a video wins): an NFO's ``<uniqueid>`` beside the
file, a ``[source id]`` at the end of its name (the default template writes
``Title [id].ext``), then the artist and title from the NFO, the embedded tags (ffmpeg's
``title``/``artist``), else the name: ``Artist - Title.ext`` or ``Artist/Title.ext``.
"""

from __future__ import annotations

import datetime
import glob
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from videos.library.ffmpeg import FfmpegError
from videos.library.naming import without_bidi_controls
from videos.library.streams import StreamDetails, stream_check
from videos.metadata_rules import (
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    MIN_YEAR,
    PROVIDERS,
    clean_name_list,
    max_year,
    validate_provider_ids,
)
from videos.models import Video, VideoFile
from videos.selectors import video_find_by_name
from videos.ytdlp.info import split_artist_title

MAX_NFO_BYTES = 1024 * 1024
_SOURCE_ID = re.compile(r"\s*\[([A-Za-z0-9_-]{3,64})\]\s*$")
# The sidecars an import carries with a file, by the suffix after its stem.
IMPORTED_SIDECARS = (".nfo", "-thumb.jpg", ".jpg", ".srt")
# ".en.srt", ".pt-BR.srt", ".en.forced.srt": a language, then maybe what kind.
_SUBTITLE = re.compile(r"\.[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?(?:\.(?:forced|sdh|cc))?\.srt")


def media_read(path: Path) -> tuple[StreamDetails | None, str]:
    """What ffmpeg finds reading ``path`` to its end (:func:`stream_check`), and why it
    cannot be imported ("" when it can)."""
    try:
        details = stream_check(path)
    except FfmpegError as error:
        return None, f"not a video ({str(error).rstrip('.')})"
    if not details.has_video:
        return details, "not a video (ffmpeg finds no video stream in it)"
    if details.truncated:
        return details, f"truncated ({details.truncated})"
    return details, ""


@dataclass(frozen=True)
class FileMatch:
    """What a scan says of one file (nothing here is written anywhere yet)."""

    artist: str = ""
    title: str = ""
    source_id: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # the NFO's uniqueids by type
    video: Video | None = None
    source: str = ""  # what matched: "nfo", "name_id", "tags", "name"
    confidence: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Nfo:
    """What an NFO beside a file says (Kodi's ``<musicvideo>``, as MVidarr writes it)."""

    ids: dict[str, str]
    title: str = ""
    artists: tuple[str, ...] = ()  # the main artist first, then the featured ones
    album: str = ""
    year: int | None = None
    premiered: datetime.date | None = None
    genres: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    studio: str = ""
    plot: str = ""

    @property
    def artist(self) -> str:
        return self.artists[0] if self.artists else ""

    def fields(self) -> dict[str, Any]:
        """The video's metadata fields it gives (:data:`METADATA_FIELDS`), only those it
        holds and that fit the library's rules (a year out of range, an id of the wrong
        shape is left out)."""
        given: dict[str, Any] = {
            "album": self.album,
            "year": self.year,
            "premiered": self.premiered,
            "genres": list(self.genres),
            "directors": list(self.directors),
            "studio": self.studio,
            "plot": self.plot,
            "featured_artists": list(self.artists[1:]),
            "provider_ids": _provider_ids(self.ids),
        }
        return {name: value for name, value in given.items() if value not in (None, "", [], {})}


def read_nfo(media: Path) -> Nfo | None:
    """The ``<stem>.nfo`` beside ``media``: its uniqueids and fields; None when there is
    none, it is a link, too big, not XML, or declares a DOCTYPE (entities are never
    expanded, external ones never fetched)."""
    nfo = media.with_name(media.stem + ".nfo")
    try:
        if nfo.is_symlink() or not nfo.is_file() or nfo.stat().st_size > MAX_NFO_BYTES:
            return None
        data = nfo.read_bytes()
    except OSError:
        return None
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    ids = {}
    for element in root.iter("uniqueid"):
        value = (element.text or "").strip()
        if value and len(value) <= 255:
            ids.setdefault((element.get("type") or "youtube").strip().lower()[:32], value)
    return Nfo(
        ids=ids,
        title=_text(root, "title"),
        artists=_texts(root, "artist"),
        album=_text(root, "album"),
        year=_year(_text(root, "year")),
        premiered=_date(_text(root, "premiered") or _text(root, "aired")),
        genres=_texts(root, "genre"),
        directors=_texts(root, "director"),
        studio=_text(root, "studio")[:255],
        plot=_plot(root),
    )


def _text(root: ElementTree.Element, tag: str) -> str:
    element = root.find(tag)
    text = (element.text or "") if element is not None else ""
    return " ".join(without_bidi_controls(text).split())[:500]


def _texts(root: ElementTree.Element, tag: str) -> tuple[str, ...]:
    """Each ``<tag>`` of the document's top level, in order, each once; a Kodi NFO may
    also hold several in one, separated by " / "."""
    names = []
    for element in root.findall(tag)[:MAX_LIST_ITEMS]:
        text = " ".join(without_bidi_controls(element.text or "").split())
        names += [part.strip()[:MAX_NAME_LENGTH] for part in text.split(" / ")]
    return tuple(clean_name_list(names))


def _plot(root: ElementTree.Element) -> str:
    element = root.find("plot")
    return without_bidi_controls((element.text or "") if element is not None else "").strip()[
        :20_000
    ]


def _year(text: str) -> int | None:
    if not text.isdigit():
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= max_year() else None


def _date(text: str) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= max_year() else None


def _provider_ids(ids: dict[str, str]) -> dict[str, str]:
    """The uniqueids of the providers MVidarr knows, each of its provider's shape."""
    known = {}
    for kind in PROVIDERS:
        if kind in ids:
            try:
                validate_provider_ids({kind: ids[kind]})
            except ValidationError:
                continue
            known[kind] = ids[kind]
    return known


def import_sidecars(media: Path) -> dict[str, Path]:
    """The files beside ``media`` that describe it and go with it into the library, by the
    suffix they keep there: ``.nfo``, ``-thumb.jpg``, ``.jpg`` (a poster), ``.srt`` and
    ``.<language>.srt`` subtitles. Links and anything but regular files are left out."""
    candidates = [media.with_name(media.stem + suffix) for suffix in IMPORTED_SIDECARS]
    candidates += sorted(media.parent.glob(glob.escape(media.stem) + ".*.srt"))
    found = {}
    for path in candidates:
        suffix = path.name[len(media.stem) :]
        if suffix in found or not (suffix in IMPORTED_SIDECARS or _SUBTITLE.fullmatch(suffix)):
            continue
        try:
            if path.is_symlink() or not path.is_file():
                continue
        except OSError:
            continue
        found[suffix] = path
    return found


def names_from_path(path: Path, folder: Path) -> tuple[str, str, str]:
    """(artist, title, source id) the file's name says: ``Artist - Title [id].ext``, or
    ``Artist/Title [id].ext`` below the scanned folder; blanks for what it does not say."""
    stem = path.stem
    source_id = ""
    if match := _SOURCE_ID.search(stem):
        source_id = match.group(1)
        stem = stem[: match.start()]
    stem = " ".join(stem.replace("_", " ").split())
    if split := split_artist_title(stem):  # the one rule, as for a page's title
        return *split, source_id
    parent = path.parent
    if parent != folder and parent.is_relative_to(folder):
        return parent.name.strip(), stem, source_id
    return "", stem, source_id


def match_file(path: Path, *, folder: Path, real_path: Path) -> FileMatch:
    """Who the file at ``path`` (resolved: ``real_path``) is, and what is wrong with it."""
    details, problem = media_read(real_path)
    problems = [problem] if problem else []
    tags = {
        name: " ".join(without_bidi_controls(value).split())
        for name, value in (details.tags if details else {}).items()
    }
    nfo = read_nfo(path)
    name_artist, name_title, name_id = names_from_path(path, folder)
    video, source, confidence = None, "", 0.0
    ids = dict(nfo.ids) if nfo else {}
    if ids:
        video = _video_by_ids(ids)
        source, confidence = "nfo", 1.0
    source_id = ids.get("youtube", "") or name_id
    if video is None and name_id:
        video = Video.objects.filter(source_id=name_id).order_by("pk").first()
        source, confidence = ("name_id", 0.95) if video or not source else (source, confidence)
    if nfo and nfo.title:
        artist, title = nfo.artist or name_artist, nfo.title
        source = source or "nfo"
        confidence = confidence or 0.9
    elif tags.get("title"):
        artist, title = tags.get("artist") or name_artist, tags["title"]
        source = source or "tags"
        confidence = confidence or (0.8 if tags.get("artist") else 0.6)
    else:
        artist, title = name_artist, name_title
        source = source or "name"
        confidence = confidence or (0.6 if artist else 0.3)
    if video is None and artist and title:
        video = video_find_by_name(artist=artist, title=title)
    owner = VideoFile.objects.filter(path=_library_relative(real_path)).first()
    if owner is not None:
        problems.append(f"already in the library as #{owner.video_id}")
        video = video or owner.video
    elif video is not None and VideoFile.objects.filter(video=video).exists():
        problems.append(f"already in the library as #{video.pk}")
    return FileMatch(
        artist=artist[:255],
        title=title[:500],
        source_id=source_id[:255],
        ids=ids,
        video=video,
        source=source,
        confidence=confidence,
        problems=problems,
    )


def _video_by_ids(ids: dict[str, str]) -> Video | None:
    """The video an NFO's uniqueids name: a YouTube id is a source id; other types are
    looked up in the videos' provider ids."""
    for kind, value in ids.items():
        if kind == "youtube":
            found = Video.objects.filter(source_id=value).order_by("pk").first()
        elif kind in PROVIDERS:  # a known key only: never a lookup spelled by a file
            found = Video.objects.filter(**{f"provider_ids__{kind}": value}).order_by("pk").first()
        else:
            continue
        if found is not None:
            return found
    return None


def _library_relative(path: Path) -> str:
    root = Path(settings.LIBRARY_ROOT).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else ""
