"""NFO documents: ``<musicvideo>`` for a video and ``<artist>`` for an artist's folder.

The Kodi schema, which Jellyfin and Emby read too. Built with ElementTree, so every value is
escaped (``&``, ``<``, ``>``, quotes); characters XML 1.0 cannot hold at all (control
characters, lone surrogates) are dropped first, so the document always parses. UTF-8, with
the declaration Kodi itself writes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable

from django.utils import timezone

from videos.library.streams import StreamDetails
from videos.models import Artist, Video

DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# The ids a media server knows, in the order one of them is chosen as the default.
ID_TYPES = ("youtube", "imvdb", "musicbrainz")
# XML 1.0's Char production, negated: what no XML document may contain.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text an XML document can hold (nothing dropped but what XML refuses)."""
    return _NOT_XML.sub("", str(value))


def video_nfo(video: Video, *, streams: StreamDetails | None = None, thumb: str = "") -> bytes:
    """The ``<musicvideo>`` NFO of ``video``; ``thumb`` names its ``-thumb.jpg`` sidecar (a
    file name next to the NFO) when there is one, ``streams`` are its file's."""
    root = ElementTree.Element("musicvideo")
    _add(root, "title", video.title)
    for name in video_artists(video):
        _add(root, "artist", name)
    _add(root, "album", video.album)
    _add(root, "plot", video.plot)
    duration = (streams.duration if streams else None) or video.duration
    if duration:
        _add(root, "runtime", max(1, round(duration / 60)))
    if thumb:
        _add(root, "thumb", thumb, aspect="thumb")
    for index, (kind, value) in enumerate(video_unique_ids(video)):
        extra = {"default": "true"} if index == 0 else {}
        _add(root, "uniqueid", value, type=kind, **extra)
    _add_each(root, "genre", video.genres or ())
    _add(root, "tag", _video_type_label(video))
    _add_each(root, "director", video.directors or ())
    premiered = video.premiered
    _add(root, "year", video.year or (premiered.year if premiered else ""))
    _add(root, "premiered", premiered.isoformat() if premiered else "")
    _add(root, "studio", video.studio)
    _add(root, "dateadded", timezone.localtime(video.created_at).strftime("%Y-%m-%d %H:%M:%S"))
    if streams is not None and (streams.has_video or streams.has_audio):
        _add_stream_details(root, streams)
    return _document(root)


def artist_nfo(artist: Artist) -> bytes:
    """The ``<artist>`` NFO of an artist's folder: name, sort name, provider ids, thumb."""
    root = ElementTree.Element("artist")
    _add(root, "name", artist.name)
    _add(root, "sortname", artist.sort_name)
    ids = artist.provider_ids or {}
    if ids.get("musicbrainz"):
        _add(root, "musicBrainzArtistID", ids["musicbrainz"])
    for kind in sorted(ids):
        if ids[kind]:
            _add(root, "uniqueid", ids[kind], type=str(kind))
    return _document(root)


def video_artists(video: Video) -> list[str]:
    """The video's artists, the main one first, then the featured ones (each once)."""
    names: list[str] = []
    main = video.artist.name if video.artist_id and video.artist else ""
    for name in [main, *(video.featured_artists or ())]:
        name = str(name).strip()
        if name and name.casefold() not in {known.casefold() for known in names}:
            names.append(name)
    return names


def video_unique_ids(video: Video) -> list[tuple[str, str]]:
    """``(type, id)`` pairs: the provider ids, and the site's own id (a YouTube video's id
    is its ``youtube`` id), the first of ``ID_TYPES`` first (the default one)."""
    ids: dict[str, str] = {}
    for kind, value in (video.provider_ids or {}).items():
        if value:
            ids[str(kind)] = str(value)
    if video.extractor and video.extractor != "generic" and video.source_id:
        ids.setdefault(video.extractor, video.source_id)
    rank = {kind: index for index, kind in enumerate(ID_TYPES)}
    return sorted(ids.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def _video_type_label(video: Video) -> str:
    return str(video.get_video_type_display()) if video.video_type else ""


def _add_stream_details(root: ElementTree.Element, streams: StreamDetails) -> None:
    details = ElementTree.SubElement(ElementTree.SubElement(root, "fileinfo"), "streamdetails")
    if streams.has_video:
        video = ElementTree.SubElement(details, "video")
        _add(video, "codec", streams.video_codec)
        _add(video, "aspect", f"{streams.aspect:.2f}" if streams.aspect else "")
        _add(video, "width", streams.width or "")
        _add(video, "height", streams.height or "")
        _add(video, "durationinseconds", round(streams.duration) if streams.duration else "")
    if streams.has_audio:
        audio = ElementTree.SubElement(details, "audio")
        _add(audio, "codec", streams.audio_codec)
        _add(audio, "channels", streams.channels or "")


def _add(parent: ElementTree.Element, tag: str, value: object, **attributes: str) -> None:
    """A child element holding ``value``; nothing for an empty value."""
    text = xml_text(value).strip() if value is not None else ""
    if text:
        element = ElementTree.SubElement(
            parent, tag, {key: xml_text(item) for key, item in attributes.items()}
        )
        element.text = text


def _add_each(parent: ElementTree.Element, tag: str, values: Iterable[object]) -> None:
    for value in values:
        _add(parent, tag, value)


def _document(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root, space="  ")
    return DECLARATION + ElementTree.tostring(root, encoding="unicode").encode() + b"\n"
