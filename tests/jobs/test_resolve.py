"""Videos known by artist and title: a real worker looks for their source on the local search
service, scores the candidates, and real yt-dlp downloads the one taken or chosen."""

from __future__ import annotations

import pytest

from jobs import kinds
from jobs.models import HistoryEvent, Job
from jobs.services import source_choose, video_add_by_name
from tests.jobs.conftest import wait_for_job
from tests.support import wait_until
from videos.models import Video

ARTIST, TITLE = "Björk", "Army of Me"

# A search's answer as a site lists it: the official video among its lyric video, a live
# version, a cover and a reaction. Each candidate is a real clip on the media server.
OFFICIAL = "clips/720p.mp4?v=official"
SEARCH = [
    {"url": "clips/240p.mp4?v=lyrics", "title": "Björk - Army of Me (Lyrics)",
     "channel": "Lyric Vault"},
    {"url": "clips/360p.mp4?v=live", "title": "Björk - Army of Me (Live at Glastonbury)",
     "channel": "björk"},
    {"url": OFFICIAL, "title": "Björk - Army of Me (Official Music Video)", "channel": "björk"},
    {"url": "clips/360p.mp4?v=cover", "title": "Army of Me - Björk cover | Jane Doe",
     "channel": "Jane Doe Music"},
    {"url": "clips/240p.mp4?v=reaction", "title": "Björk - Army of Me | REACTION",
     "channel": "ReactCity"},
]  # fmt: skip


class Search:
    """The search service's answer for Björk's Army of Me, and how often it was asked since
    this test set it (the media server's log lives as long as the session)."""

    def __init__(self, settings, media_server) -> None:
        self.settings, self.media_server = settings, media_server
        self.before = media_server.searches_for(f"{ARTIST} {TITLE}")

    def __call__(self, results: list[dict]) -> None:
        self.settings.SEARCH_URL = self.media_server.set_search(f"{ARTIST} {TITLE}", results)

    def count(self) -> int:
        return self.media_server.searches_for(f"{ARTIST} {TITLE}") - self.before


@pytest.fixture
def search(settings, media_server) -> Search:
    return Search(settings, media_server)


def jobs_of(video: Video, kind: str) -> list[Job]:
    return list(Job.objects.filter(video=video, kind=kind).order_by("id"))


def events_of(video: Video) -> list[str]:
    return list(
        HistoryEvent.objects.filter(video=video).order_by("id").values_list("event", flat=True)
    )


def settled(video: Video) -> bool:
    """No job of the video waits or runs."""
    return not Job.objects.filter(video=video, status__in=Job.ACTIVE_STATUSES).exists()


def test_a_video_added_by_artist_and_title_is_resolved_to_the_official_video_and_downloaded(
    worker, alice, media_server, search, default_profile
):
    search(SEARCH)
    video, resolve = video_add_by_name(artist_name=ARTIST, title=TITLE, user=alice)
    assert video.status == "needs_source" and video.source_url == ""

    resolve = wait_for_job(resolve)
    assert resolve.status == "completed", resolve.error
    assert resolve.message.startswith("Found “Björk - Army of Me (Official Music Video)”")
    (download,) = jobs_of(video, kinds.VIDEO_DOWNLOAD)
    assert wait_for_job(download).status == "completed", download.error
    assert (download.user, download.options["profile"]) == (alice, default_profile.pk)

    video.refresh_from_db()
    assert video.source_url == media_server.url(OFFICIAL)
    assert video.source_resolved and video.status == "downloaded"
    assert video.file.height == 720
    assert video.source_candidates[0]["title"].endswith("(Official Music Video)")
    assert len(video.source_candidates) == len(SEARCH)
    assert events_of(video) == ["added", "resolved", "grabbed", "downloaded"]


def test_a_low_score_waits_for_a_person_and_is_downloaded_once_a_candidate_is_chosen(
    worker, alice, media_server, search
):
    search([item for item in SEARCH if item["url"] != OFFICIAL])
    video, resolve = video_add_by_name(artist_name=ARTIST, title=TITLE, user=alice)
    assert wait_for_job(resolve).status == "completed"
    video.refresh_from_db()
    assert video.status == "needs_source"
    assert jobs_of(video, kinds.VIDEO_DOWNLOAD) == []
    assert video.source_note.startswith("No candidate scored 0.70 or more: the best, “Björk -")
    scores = [candidate["score"] for candidate in video.source_candidates]
    assert scores == sorted(scores, reverse=True) and scores[0] < 0.7
    history = HistoryEvent.objects.get(video=video, event="failed")
    assert history.data == {"reason": video.source_note}

    live = next(c for c in video.source_candidates if "Live" in c["title"])
    download = source_choose(video=video, url=live["url"], user=alice)
    assert wait_for_job(download).status == "completed", download.error
    video.refresh_from_db()
    assert (video.status, video.source_url, video.source_resolved) == (
        "downloaded",
        live["url"],
        False,
    )
    assert video.file.height == 360
    assert search.count() == 1
    chosen = HistoryEvent.objects.get(video=video, event="resolved")
    assert chosen.user == alice
    assert chosen.data == {"url": live["url"], "score": live["score"], "automatic": False}


def test_a_dead_source_is_resolved_again_once_then_the_video_needs_a_source_with_the_reason(
    worker, alice, media_server, search
):
    # Two good candidates, both gone (404) by the time they are downloaded.
    first, second = "404/clips/720p.mp4?v=gone-1", "404/clips/720p.mp4?v=gone-2"
    search(
        [
            {"url": first, "title": "Björk - Army of Me (Official Video)", "channel": "björk"},
            {"url": second, "title": "Army of Me", "channel": "Björk - Topic"},
            SEARCH[0],  # the lyric video: never good enough
        ]
    )
    video, _resolve = video_add_by_name(artist_name=ARTIST, title=TITLE, user=alice)

    def both_died() -> bool:
        failed = Job.objects.filter(video=video, kind=kinds.VIDEO_DOWNLOAD, status="failed")
        return failed.count() == 2 and settled(video)

    wait_until(both_died, timeout=60, message="the two dead sources were not both tried")
    video.refresh_from_db()
    assert video.status == "needs_source" and video.source_url == ""
    assert video.dead_source_urls == [media_server.url(first), media_server.url(second)]
    assert "(HTTP 404)" in video.source_note
    assert "It was looked for again once already" in video.source_note
    resolves = jobs_of(video, kinds.SOURCE_RESOLVE)
    assert [(job.status, job.origin) for job in resolves] == [
        ("completed", "user"),
        ("completed", "system"),
    ]
    assert search.count() == 2
    assert events_of(video) == [
        "added", "resolved", "grabbed", "failed", "resolved", "grabbed", "failed",
    ]  # fmt: skip
    # What the page shows: no dead source among the candidates.
    assert [c["url"] for c in video.source_candidates] == [media_server.url(SEARCH[0]["url"])]


def test_a_dead_source_is_replaced_by_the_next_good_candidate_which_is_downloaded(
    worker, alice, media_server, search
):
    gone = "404/clips/720p.mp4?v=gone-first"
    search(
        [
            {"url": gone, "title": "Björk - Army of Me (Official Video)", "channel": "björk"},
            {"url": "clips/360p.mp4?v=topic", "title": "Army of Me", "channel": "Björk - Topic"},
        ]
    )
    video, _resolve = video_add_by_name(artist_name=ARTIST, title=TITLE, user=alice)

    def downloaded() -> bool:
        video.refresh_from_db()
        return video.status == "downloaded" and settled(video)

    wait_until(downloaded, timeout=60, message="the second candidate was not downloaded")
    assert video.source_url == media_server.url("clips/360p.mp4?v=topic")
    assert video.source_resolved and video.dead_source_urls == [media_server.url(gone)]
    assert video.file.height == 360
    downloads = jobs_of(video, kinds.VIDEO_DOWNLOAD)
    assert [job.status for job in downloads] == ["failed", "completed"]
