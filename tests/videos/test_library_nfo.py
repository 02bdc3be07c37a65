"""videos.library.nfo: the ``<musicvideo>`` NFO, checked with an XML parser against the
issue's field list, for a video with two artists and a title holding unicode and ``&<>``."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from django.utils import timezone

from videos.library.nfo import artist_nfo, video_nfo, xml_text
from videos.library.streams import StreamDetails
from videos.models import Video

TITLE = 'Tom & Jerry <Live> "Ça va" — ★ 東京'
STREAMS = StreamDetails(
    video_codec="h264",
    width=1920,
    height=1080,
    aspect=1.78,
    duration=213.4,
    audio_codec="aac",
    channels=2,
)


@pytest.fixture
def video(make_artist):
    video = Video.objects.create(
        title=TITLE,
        artist=make_artist("Daft Punk & Friends"),
        source_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        extractor="youtube",
        source_id="dQw4w9WgXcQ",
        duration=213.4,
        featured_artists=["Pharrell <Williams>", "daft punk & friends"],
        album="Random Access Memories",
        genres=["Disco", "Funk & Soul"],
        directors=["Cyprien Gaillard", "Warren Fu"],
        studio="Columbia",
        plot="Line one.\nLine two with a control \x07 character.",
        year=2013,
        premiered=datetime.date(2013, 4, 19),
        video_type=Video.VideoType.LIVE,
        provider_ids={"imvdb": "121779770452", "musicbrainz": "b5b2b8c1-0000-4000-8000-1"},
    )
    Video.objects.filter(pk=video.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 5, 6, 7))
    )
    video.refresh_from_db()
    return video


def parse(data: bytes) -> ElementTree.Element:
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    data.decode("utf-8")  # UTF-8 throughout
    return ElementTree.fromstring(data)


def test_every_field_of_the_list_is_there_once_or_once_per_item(video):
    root = parse(video_nfo(video, streams=STREAMS, thumb="Title [x]-thumb.jpg"))
    assert root.tag == "musicvideo"
    texts = lambda tag: [element.text for element in root.findall(tag)]  # noqa: E731
    assert texts("title") == [TITLE]
    assert texts("artist") == ["Daft Punk & Friends", "Pharrell <Williams>"]  # main first, once
    assert texts("album") == ["Random Access Memories"]
    assert texts("genre") == ["Disco", "Funk & Soul"]
    assert texts("year") == ["2013"]
    assert texts("premiered") == ["2013-04-19"]
    assert texts("director") == ["Cyprien Gaillard", "Warren Fu"]
    assert texts("studio") == ["Columbia"]
    assert texts("plot") == ["Line one.\nLine two with a control  character."]
    assert texts("runtime") == ["4"]  # minutes
    assert texts("tag") == ["Live"]
    thumb = root.find("thumb")
    assert (thumb.text, thumb.get("aspect")) == ("Title [x]-thumb.jpg", "thumb")
    assert texts("dateadded") == [
        timezone.localtime(video.created_at).strftime("%Y-%m-%d %H:%M:%S")
    ]
    ids = [(e.get("type"), e.text, e.get("default")) for e in root.findall("uniqueid")]
    assert ids == [
        ("youtube", "dQw4w9WgXcQ", "true"),
        ("imvdb", "121779770452", None),
        ("musicbrainz", "b5b2b8c1-0000-4000-8000-1", None),
    ]
    video_stream = root.find("fileinfo/streamdetails/video")
    assert {e.tag: e.text for e in video_stream} == {
        "codec": "h264",
        "aspect": "1.78",
        "width": "1920",
        "height": "1080",
        "durationinseconds": "213",
    }
    audio_stream = root.find("fileinfo/streamdetails/audio")
    assert {e.tag: e.text for e in audio_stream} == {"codec": "aac", "channels": "2"}


def test_the_special_characters_are_escaped_in_the_text_itself(video):
    text = video_nfo(video, streams=STREAMS).decode()
    assert '<title>Tom &amp; Jerry &lt;Live&gt; "Ça va" — ★ 東京</title>' in text
    assert "<artist>Pharrell &lt;Williams&gt;</artist>" in text


def test_without_ids_of_its_own_the_first_id_is_the_default(video):
    video.extractor, video.source_id = "vimeo", "76979871"
    video.provider_ids = {"musicbrainz": "mbid-1"}
    ids = [(e.get("type"), e.get("default")) for e in parse(video_nfo(video)).findall("uniqueid")]
    assert ids == [("musicbrainz", "true"), ("vimeo", None)]


def test_a_bare_video_has_only_what_is_known(make_video):
    video = make_video("")
    root = parse(video_nfo(video))
    assert [element.tag for element in root] == ["dateadded"]


def test_control_characters_and_lone_surrogates_are_dropped():
    assert xml_text("a\x00b\x1bc\ud800d\ufffee\tf") == "abcde\tf"


def test_the_artist_nfo_names_the_artist_and_its_ids(make_artist):
    artist = make_artist(
        "The Chemical Brothers & Co",
        sort_name="Chemical Brothers & Co, The",
        provider_ids={"musicbrainz": "mb-1", "imvdb": "im-2"},
    )
    root = parse(artist_nfo(artist))
    assert root.tag == "artist"
    assert root.findtext("name") == "The Chemical Brothers & Co"
    assert root.findtext("sortname") == "Chemical Brothers & Co, The"
    assert root.findtext("musicBrainzArtistID") == "mb-1"
    assert [(e.get("type"), e.text) for e in root.findall("uniqueid")] == [
        ("imvdb", "im-2"),
        ("musicbrainz", "mb-1"),
    ]
