"""The fast index's feeds: which sources have one, and reading a feed through the guard."""

from __future__ import annotations

import datetime
import socket
from urllib.parse import quote

import pytest

from tests.media.server import MediaServer, YoutubeFeedEntry
from videos import feeds
from videos.feeds import FeedEntry, feed_entries, feed_url_for, parse_feed
from videos.ytdlp import PermanentError, TransientError, YtdlpConfig

pytestmark = pytest.mark.timeout(60)

BASE = "https://www.youtube.com/feeds/videos.xml"
CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"
PLAYLIST = "PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI"


# --- which URL has which feed ----------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/channel/{CHANNEL}",
        f"https://www.youtube.com/channel/{CHANNEL}/",
        f"https://www.youtube.com/channel/{CHANNEL}/videos",
        f"https://www.youtube.com/channel/{CHANNEL}/featured?view=0",
        f"https://youtube.com/channel/{CHANNEL}",
        f"https://m.youtube.com/channel/{CHANNEL}/videos",
        f"https://music.youtube.com/channel/{CHANNEL}",
        f"http://WWW.YOUTUBE.COM/channel/{CHANNEL}",
    ],
)
def test_a_channel_url_maps_to_the_feed_of_its_channel_id(url):
    assert feed_url_for(url, base=BASE) == f"{BASE}?channel_id={CHANNEL}"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/playlist?list={PLAYLIST}",
        f"https://m.youtube.com/playlist?list={PLAYLIST}&si=abc",
        f"https://music.youtube.com/playlist?list={PLAYLIST}",
        f"https://www.youtube.com/watch?v=dQw4w9WgXcQ&list={PLAYLIST}&index=3",
        f"https://youtu.be/dQw4w9WgXcQ?list={PLAYLIST}",
    ],
)
def test_a_playlist_url_or_a_watch_url_with_a_list_maps_to_the_playlist_feed(url):
    assert feed_url_for(url, base=BASE) == f"{BASE}?playlist_id={PLAYLIST}"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/@bjork",
        "https://www.youtube.com/@bjork/videos",
        "https://www.youtube.com/user/bjork",
        "https://www.youtube.com/c/bjork/videos",
    ],
)
def test_a_handle_user_or_custom_url_maps_through_the_channel_id_a_full_index_learnt(url):
    assert feed_url_for(url, channel_id=CHANNEL, base=BASE) == f"{BASE}?channel_id={CHANNEL}"
    assert feed_url_for(url, base=BASE) is None
    assert feed_url_for(url, channel_id="not-a-channel-id", base=BASE) is None


def test_the_channel_id_in_a_channel_url_wins_over_the_learnt_one():
    other = "UC" + "x" * 22
    url = f"https://www.youtube.com/channel/{CHANNEL}"
    assert feed_url_for(url, channel_id=other, base=BASE) == f"{BASE}?channel_id={CHANNEL}"


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/channels/staffpicks",
        "https://example.com/feed.xml",
        "https://www.youtube.com.evil.example/channel/" + CHANNEL,
        "https://notyoutube.com/channel/" + CHANNEL,
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/",
        "https://www.youtube.com/channel/",
        "https://www.youtube.com/channel/not-a-channel-id",
        "https://www.youtube.com/playlist",
        "https://www.youtube.com/playlist?list=RDdQw4w9WgXcQ",  # a mix: made up per person
        "https://www.youtube.com/playlist?list=WL",
        "https://www.youtube.com/playlist?list=bad%20id",
        f"ftp://www.youtube.com/channel/{CHANNEL}",
        "not a url at all",
        "http://[::1",
    ],
)
def test_a_url_without_a_youtube_channel_or_playlist_has_no_feed(url):
    assert feed_url_for(url, channel_id=CHANNEL if "@" in url else "", base=BASE) is None


def test_a_base_with_a_query_keeps_it_and_adds_the_id():
    base = "http://127.0.0.1:8080/ytfeed?token=a"
    url = f"https://www.youtube.com/channel/{CHANNEL}"
    assert feed_url_for(url, base=base) == f"{base}&channel_id={CHANNEL}"


# --- parsing ----------------------------------------------------------------------------------
def test_a_plain_atom_feed_gives_each_entrys_alternate_link_title_and_date():
    document = b"""<?xml version="1.0"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
      <entry><title> First   post </title><link rel="alternate" href="https://e.com/1"/>
        <link rel="enclosure" href="https://e.com/1.mp4"/><updated>2026-02-03T04:05:06Z</updated>
      </entry>
      <entry><title>Second</title><link href="javascript:alert(1)"/>
        <link rel="enclosure" href="https://e.com/2.mp4"/></entry>
      <entry><title>No link</title></entry>
    </feed>"""
    assert parse_feed(document, url="https://e.com/atom") == [
        FeedEntry(
            url="https://e.com/1",
            video_id="",
            title="First post",
            published=datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
            channel_id="",
        ),
        FeedEntry(
            url="https://e.com/2.mp4", video_id="", title="Second", published=None, channel_id=""
        ),
    ]


def test_an_rss_item_gives_its_link_else_its_enclosure_and_an_aware_date():
    document = b"""<rss version="2.0"><channel><title>Podcast</title>
      <item><title>One</title><link>https://e.com/one</link>
        <pubDate>Tue, 03 Feb 2026 04:05:06 +0100</pubDate></item>
      <item><title>Two</title><enclosure url="https://e.com/two.mp4"/>
        <pubDate>not a date</pubDate></item>
    </channel></rss>"""
    one, two = parse_feed(document, url="https://e.com/rss")
    assert (one.url, one.title) == ("https://e.com/one", "One")
    assert one.published == datetime.datetime(2026, 2, 3, 3, 5, 6, tzinfo=datetime.UTC)
    assert (two.url, two.published) == ("https://e.com/two.mp4", None)


def test_xml_that_is_not_a_feed_is_refused_with_a_sentence():
    with pytest.raises(PermanentError, match=r"is XML but not an RSS or Atom feed .*<html>"):
        parse_feed(b"<html><body/></html>", url="https://e.com/page")


def test_an_entity_expansion_attack_is_refused_as_not_xml():
    laughs = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    document = f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(laughs)}]><rss>&l9;</rss>'
    with pytest.raises(PermanentError, match="is not XML"):
        parse_feed(document.encode(), url="https://e.com/laughs")


# --- fetching from the media server -----------------------------------------------------------
@pytest.fixture
def config(media_server: MediaServer) -> YtdlpConfig:
    return YtdlpConfig(socket_timeout=5, allowed_private_hosts=(f"127.0.0.1:{media_server.port}",))


def test_a_youtube_channel_feed_gives_video_ids_titles_dates_and_the_channel(media_server, config):
    channel = "UC" + "feedtest0channel00000a"
    base = media_server.set_youtube_feed(
        channel,
        [
            YoutubeFeedEntry("vid00000002", "Newest & best", "2026-03-02T10:00:00+00:00"),
            YoutubeFeedEntry("vid00000001", "Older", "2026-03-01T10:00:00+01:00"),
        ],
    )
    url = feed_url_for(f"https://www.youtube.com/channel/{channel}/videos", base=base)

    entries = feed_entries(url, config=config)

    assert [(e.video_id, e.title, e.channel_id) for e in entries] == [
        ("vid00000002", "Newest & best", channel),
        ("vid00000001", "Older", channel),
    ]
    assert entries[0].url == "https://www.youtube.com/watch?v=vid00000002"
    assert entries[1].published == datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)


def test_a_playlist_feed_is_read_by_its_playlist_id(media_server, config):
    base = media_server.set_youtube_feed("PLfeedtest", [YoutubeFeedEntry("vid0000000p", "P")])
    url = feed_url_for("https://www.youtube.com/playlist?list=PLfeedtest", base=base)
    assert [entry.video_id for entry in feed_entries(url, config=config)] == ["vid0000000p"]


def test_an_rss_feed_gives_its_enclosures_and_leaves_out_links_that_are_not_http(
    media_server, config
):
    entries = feed_entries(media_server.url("feed/hostile.xml"), config=config)
    assert [entry.title for entry in entries] == ["Entry 1"]
    assert entries[0].url.startswith(media_server.url("clips/"))


def test_a_channel_the_server_does_not_know_is_a_gone_feed(media_server, config):
    with pytest.raises(PermanentError, match=r"^The feed is gone \(404\): http://127"):
        feed_entries(media_server.url("ytfeed?channel_id=UCnobody"), config=config)


def test_a_removed_feed_is_gone_too(media_server, config):
    with pytest.raises(PermanentError, match=r"The feed is gone \(410\)"):
        feed_entries(media_server.url("status/410/feed.xml"), config=config)


def test_a_document_that_is_not_xml_is_refused_with_the_parsers_reason(media_server, config):
    url = media_server.url("json/feed.xml")
    with pytest.raises(PermanentError, match=rf"^The feed at {url} is not XML: not well-formed"):
        feed_entries(url, config=config)


def test_a_rate_limited_feed_is_transient_with_the_servers_retry_after(media_server, config):
    url = media_server.url("ratelimit/1/feeds-429/feed/2.xml")
    with pytest.raises(TransientError, match="HTTP 429") as caught:
        feed_entries(url, config=config)
    assert caught.value.rate_limited
    assert caught.value.retry_after == 1.0
    assert caught.value.host == "127.0.0.1"
    assert len(feed_entries(url, config=config)) == 2  # the limit lifted, the feed reads


def test_a_server_error_is_transient(media_server, config):
    with pytest.raises(TransientError, match=r"HTTP 503 \(a server error\)"):
        feed_entries(media_server.url("status/503/feed.xml"), config=config)


def test_a_feed_that_trickles_in_past_the_deadline_is_transient(media_server):
    slow = YtdlpConfig(
        socket_timeout=0.25, allowed_private_hosts=(f"127.0.0.1:{media_server.port}",)
    )
    with pytest.raises(TransientError, match=r"did not send the feed .* in time"):
        feed_entries(media_server.url("slow/200/feed/50.xml"), config=slow)


def test_a_refused_connection_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    config = YtdlpConfig(socket_timeout=2, allowed_private_hosts=(f"127.0.0.1:{port}",))
    with pytest.raises(TransientError, match=r"The connection to 127\.0\.0\.1 failed"):
        feed_entries(f"http://127.0.0.1:{port}/feed.xml", config=config)


def test_a_feed_larger_than_the_cap_is_refused(media_server, config, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_FEED_BYTES", 1000)
    with pytest.raises(PermanentError, match="is larger than"):
        feed_entries(media_server.url("feed/100.xml"), config=config)


def test_a_private_address_not_allowed_is_refused_before_any_request(media_server):
    url = media_server.url("feed/2.xml?t=feeds-no-allow-list")
    with pytest.raises(PermanentError, match="MVIDARR_ALLOWED_PRIVATE_HOSTS"):
        feed_entries(url, config=YtdlpConfig())
    assert media_server.requests_for("feeds-no-allow-list") == []


def test_a_redirect_to_a_refused_address_is_not_followed(media_server, config, internal_service):
    target = f"http://127.0.0.1:{internal_service.server_address[1]}/feed.xml"
    url = media_server.url(f"redirect?to={quote(target, safe='')}")
    with pytest.raises(PermanentError, match="loopback address"):
        feed_entries(url, config=config)
    assert internal_service.hits == []


def test_a_redirect_to_another_scheme_is_not_followed(media_server, config):
    url = media_server.url(f"redirect?to={quote('ftp://127.0.0.1/feed.xml', safe='')}")
    with pytest.raises(PermanentError, match="follows http\\(s\\) redirects only"):
        feed_entries(url, config=config)


def test_a_redirect_within_the_allowed_server_is_followed(media_server, config):
    url = media_server.url(f"redirect?to={quote(media_server.url('feed/3.xml'), safe='')}")
    assert [entry.title for entry in feed_entries(url, config=config)] == [
        "Entry 1", "Entry 2", "Entry 3"
    ]  # fmt: skip


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "feed.xml"])
def test_an_address_that_is_not_http_is_refused(url, config):
    with pytest.raises(PermanentError, match="is not a feed address"):
        feed_entries(url, config=config)
