"""The player's file: whole, or one byte range, and only from inside the library."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from django.urls import reverse

from videos.views import UNSATISFIABLE, parse_range

DATA = bytes(range(256)) * 40  # 10 240 bytes, each position recognisable
SIZE = len(DATA)


@pytest.fixture
def video(make_video, library_root):
    folder = library_root / "Björk"
    folder.mkdir()
    (folder / "Army of Me [x1].mp4").write_bytes(DATA)
    return make_video("Army of Me", status="downloaded", file_path="Björk/Army of Me [x1].mp4")


@pytest.fixture
def get(logged_in, alice, video):
    client = logged_in(alice)
    url = reverse("video-file", args=[video.pk])

    def fetch(range_header: str | None = None, **headers):
        if range_header is not None:
            headers["Range"] = range_header
        return client.get(url, headers=headers)

    return fetch


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_file_is_served_with_accept_ranges(get):
    response = get()
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA


def test_the_first_hundred_bytes_come_as_partial_content(get):
    response = get("bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Content-Length"] == "100"
    assert body(response) == DATA[:100]


def test_an_open_range_runs_to_the_end_of_the_file(get):
    response = get("bytes=10000-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10000-{SIZE - 1}/{SIZE}"
    assert body(response) == DATA[10000:]


def test_a_suffix_range_gives_the_last_bytes(get):
    response = get("bytes=-500")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {SIZE - 500}-{SIZE - 1}/{SIZE}"
    assert body(response) == DATA[-500:]


def test_a_suffix_longer_than_the_file_gives_all_of_it(get):
    response = get(f"bytes=-{SIZE * 3}")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{SIZE - 1}/{SIZE}"
    assert body(response) == DATA


def test_a_range_past_the_end_is_cut_to_the_file(get):
    response = get(f"bytes=10200-{SIZE * 2}")
    assert response.status_code == 206
    assert body(response) == DATA[10200:]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 10}", "bytes=-0"])
def test_a_range_with_no_byte_in_the_file_is_416_naming_the_size(get, header):
    response = get(header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize(
    "header", ["bytes=" + "9" * 60_000 + "-1", "bytes=0-" + "9" * 60_000, "bytes=-" + "9" * 5000]
)
def test_an_absurdly_long_position_is_416_not_a_crash(get, header):
    response = get(header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-10", "bytes=0-1,5-9", "bytes=9-3"])
def test_a_range_it_does_not_understand_is_ignored_and_the_whole_file_sent(get, header):
    response = get(header)
    assert response.status_code == 200
    assert body(response) == DATA


def test_a_changed_file_answers_an_if_range_with_all_of_it(get):
    response = get("bytes=0-9", **{"If-Range": '"an-old-etag"'})
    assert response.status_code == 200
    etag = response["ETag"]
    assert get("bytes=0-9", **{"If-Range": etag}).status_code == 206


def test_head_answers_the_headers_without_the_body(logged_in, alice, video):
    response = logged_in(alice).head(
        reverse("video-file", args=[video.pk]), headers={"Range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response.content == b""


def test_under_asgi_the_range_is_streamed_too(alice, video):
    async def fetch():
        client = AsyncClient()
        await client.aforce_login(alice)
        response = await client.get(
            reverse("video-file", args=[video.pk]), headers={"Range": "bytes=100-199"}
        )
        return response, b"".join([chunk async for chunk in response.streaming_content])

    response, content = async_to_sync(fetch)()
    assert response.status_code == 206
    assert content == DATA[100:200]


def test_a_file_outside_the_library_is_refused(get, make_video, logged_in, alice, tmp_path):
    outside = tmp_path / "secret.mp4"
    outside.write_bytes(b"not yours")
    for relative in ["../secret.mp4", str(outside)]:
        sneaky = make_video("Sneaky", status="downloaded", file_path=relative)
        response = logged_in(alice).get(reverse("video-file", args=[sneaky.pk]))
        assert response.status_code == 404


def test_a_symlink_that_leaves_the_library_is_refused(make_video, logged_in, alice, library_root):
    outside = library_root.parent / "elsewhere.mp4"
    outside.write_bytes(b"not yours")
    (library_root / "link.mp4").symlink_to(outside)
    sneaky = make_video("Linked", status="downloaded", file_path="link.mp4")
    assert logged_in(alice).get(reverse("video-file", args=[sneaky.pk])).status_code == 404


def test_a_video_without_a_file_is_404(make_video, logged_in, alice):
    wanted = make_video("Not yet")
    assert logged_in(alice).get(reverse("video-file", args=[wanted.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, video):
    response = client.get(reverse("video-file", args=[video.pk]), headers={"Range": "bytes=0-9"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=5-", 10, (5, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("BYTES=2-4", 10, (2, 4)),  # the unit is case-insensitive
        ("bytes=2-4", 10, (2, 4)),
        ("bytes= 2 - 4 ", 10, (2, 4)),
        ("bytes=0-", 0, UNSATISFIABLE),
        ("bytes=-5", 0, UNSATISFIABLE),
        ("bytes=-", 10, None),
        ("bytes=", 10, None),
        ("bytes=1-2-3", 10, None),
    ],
)
def test_parse_range_reads_one_byte_range(header, size, expected):
    assert parse_range(header, size) == expected
