"""Media servers: after a download, a rename or a deletion, Jellyfin/Emby, Plex and Kodi are
asked to look at the folder again, as they see it (the connection's path mapping), and the
changes to a folder within the refresh window become one refresh."""

from __future__ import annotations

import base64
import time

import dramatiq
import pytest
from dramatiq.common import dq_name

from connections.models import Connection, PendingRefresh
from jobs.deliveries import connection_test_submit
from jobs.history import Event, history_record
from jobs.models import Job
from jobs.services import download_submit, video_remove
from jobs.worker import run_download
from jobs.worker.notify import run_media_refresh, run_notify
from preferences.services import setting_set

FILE_EVENTS = ["Download", "Rename", "VideoDelete"]


def media_server(kind: str, url: str, **settings) -> Connection:
    return Connection.objects.create(
        kind=kind, name=kind.title(), settings={"url": url, **settings}, events=FILE_EVENTS
    )


def refresh_jobs() -> list[Job]:
    return list(Job.objects.filter(kind="media_refresh").order_by("pk"))


def run_refreshes(context) -> list[Job]:
    jobs = [job for job in refresh_jobs() if job.status == "queued"]
    for job in jobs:
        run_media_refresh(job.pk, context=context)
    return [Job.objects.get(pk=job.pk) for job in jobs]


def test_five_downloads_into_one_folder_within_the_window_make_one_refresh(
    context, fake_server, alice, make_video, make_artist
):
    media_server("jellyfin", fake_server.url, api_key="k", path_to="/media/music-videos")
    artist = make_artist("Portishead")
    for n in range(5):
        video = make_video(f"Track {n}", clip="clips/240p.mp4", artist=artist)
        job, _ = download_submit(video=video, user=alice)
        run_download(job.pk, context=context)
        assert Job.objects.get(pk=job.pk).status == "completed"

    assert PendingRefresh.objects.count() == 1
    [job] = run_refreshes(context)

    assert job.status == "completed", job.error
    [received] = fake_server.received
    assert received.method == "POST" and received.path == "/Library/Media/Updated"
    assert received.json() == {
        "Updates": [{"Path": "/media/music-videos/Portishead", "UpdateType": "Created"}]
    }
    assert received.headers["x-emby-token"] == "k"
    assert received.headers["authorization"] == 'MediaBrowser Token="k"'
    assert not PendingRefresh.objects.exists()


def test_a_change_after_the_refresh_was_taken_starts_another(
    context, fake_server, boss, make_video
):
    media_server("emby", fake_server.url, api_key="k")
    first = make_video("One", artist="Air", file_path="Air/One.mp4")
    second = make_video("Two", artist=first.artist, file_path="Air/Two.mp4")
    video_remove(video=first, delete_file=True, user=boss)
    run_refreshes(context)
    video_remove(video=second, delete_file=True, user=boss)
    run_refreshes(context)

    assert len(refresh_jobs()) == 2 and len(fake_server.received) == 2


def test_different_changes_to_a_folder_in_the_window_are_one_modified(
    context, fake_server, boss, make_video, library_root
):
    media_server("jellyfin", fake_server.url, api_key="k")
    gone = make_video("Gone", artist="Air", file_path="Air/Gone.mp4")
    video_remove(video=gone, delete_file=True, user=boss)
    kept = make_video("Kept", artist=gone.artist, file_path="Air/Kept.mp4")
    history_record(Event.DOWNLOADED, video=kept)

    run_refreshes(context)

    [received] = fake_server.received
    assert received.json()["Updates"] == [{"Path": f"{library_root}/Air", "UpdateType": "Modified"}]


def test_jellyfin_full_refresh_mode(context, fake_server, boss, make_video):
    media_server("jellyfin", fake_server.url, api_key="k", mode="full")
    video_remove(
        video=make_video("X", artist="Air", file_path="Air/X.mp4"), delete_file=True, user=boss
    )
    run_refreshes(context)
    [received] = fake_server.received
    assert (received.method, received.path) == ("POST", "/Library/Refresh")


def test_plex_is_asked_to_scan_the_mapped_folder_of_a_deleted_file(
    context, fake_server, boss, make_video, library_root
):
    media_server(
        "plex",
        fake_server.url,
        token="plex-token",
        section_id=3,
        path_from=str(library_root),
        path_to="/data/music videos",
    )
    video = make_video("Joga", artist="Björk", file_path="Björk/Joga.mp4")
    video_remove(video=video, delete_file=True, user=boss)

    [job] = run_refreshes(context)

    assert job.status == "completed", job.error
    [received] = fake_server.received
    assert (received.method, received.path) == ("GET", "/library/sections/3/refresh")
    assert received.query == {"path": ["/data/music videos/Björk"]}
    assert received.headers["x-plex-token"] == "plex-token"


def test_kodi_scans_both_folders_of_a_rename_with_basic_auth(context, kodi_server, make_video):
    media_server(
        "kodi",
        f"{kodi_server.url}/jsonrpc",
        username="kodi",
        password="pw",
        path_to="/mnt/mv",
    )
    video = make_video("Song", artist="New", file_path="New/Song.mp4")
    history_record(Event.RENAMED, video=video, data={"old": "Old/Song.mp4", "new": "New/Song.mp4"})

    jobs = run_refreshes(context)

    assert [job.status for job in jobs] == ["completed", "completed"]
    calls = sorted(
        (r.json()["method"], r.json()["params"]["directory"]) for r in kodi_server.received
    )
    assert calls == [("VideoLibrary.Scan", "/mnt/mv/New/"), ("VideoLibrary.Scan", "/mnt/mv/Old/")]
    assert all(r.path == "/jsonrpc" for r in kodi_server.received)
    expected = "Basic " + base64.b64encode(b"kodi:pw").decode()
    assert all(r.headers["authorization"] == expected for r in kodi_server.received)


def test_a_kodi_json_rpc_error_fails_the_refresh_with_its_message(context, fake_server, make_video):
    fake_server.default_reply = (200, b'{"id":1,"jsonrpc":"2.0","error":{"code":-32602,'
                                      b'"message":"Invalid params."}}')  # fmt: skip
    connection = media_server("kodi", f"{fake_server.url}/jsonrpc")
    video = make_video("Song", artist="New", file_path="New/Song.mp4")
    history_record(Event.DOWNLOADED, video=video)

    [job] = run_refreshes(context)

    connection.refresh_from_db()
    assert job.status == "failed" and job.error == "Kodi refused VideoLibrary.Scan: Invalid params."
    assert connection.last_outcome == "failed" and connection.last_event == "Refresh"


def test_a_server_error_retries_the_refresh_with_what_it_had_taken(
    context, fake_server, make_video
):
    media_server("plex", fake_server.url, token="t", section_id=1)
    fake_server.reply(503)
    history_record(Event.DOWNLOADED, video=make_video("S", artist="A", file_path="A/S.mp4"))

    [job] = run_refreshes(context)
    assert job.status == "queued"
    [job] = run_refreshes(context)

    assert job.status == "completed"
    assert [r.path for r in fake_server.received] == ["/library/sections/1/refresh"] * 2


@pytest.mark.parametrize(
    "kind,given,method,path",
    [
        ("jellyfin", {"api_key": "k"}, "GET", "/System/Info"),
        ("plex", {"token": "t", "section_id": 2}, "GET", "/library/sections/2"),
        ("kodi", {}, "POST", "/"),
    ],
)
def test_a_test_asks_the_media_server_something_harmless(
    context, kodi_server, boss, kind, given, method, path
):
    connection = media_server(kind, f"{kodi_server.url}/", **given)
    job = connection_test_submit(connection=connection, user=boss)
    run_notify(job.pk, context=context)
    job.refresh_from_db()
    assert job.status == "completed", job.error
    [received] = kodi_server.received
    assert (received.method, received.path) == (method, path)


def test_the_refresh_waits_in_the_broker_for_the_window_setting(
    context, fake_server, make_video, boss
):
    setting_set("connections.refresh_window_seconds", 120, user=boss)
    media_server("plex", fake_server.url, token="t", section_id=1)
    before = int(time.time() * 1000)
    history_record(Event.DOWNLOADED, video=make_video("S", artist="A", file_path="A/S.mp4"))

    [job] = refresh_jobs()
    broker = dramatiq.get_broker()
    delayed = [
        dramatiq.Message.decode(raw)
        for raw in broker.client.hvals(f"{broker.namespace}:{dq_name('interactive')}.msgs")
    ]
    [message] = [m for m in delayed if m.args == [job.pk] or m.args == (job.pk,)]
    assert message.actor_name == "refresh_media_server"
    assert message.options["eta"] >= before + 120_000
    assert not fake_server.received
