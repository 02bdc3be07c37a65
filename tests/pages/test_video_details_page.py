"""The video page's details: the metadata with where each value came from, and a form any
signed-in user may use to change them (each change recorded as set by hand)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.urls import reverse

from tests.test_metadata_admin import change_form_data
from videos.metadata_forms import LIST_HINT
from videos.models import Artist, VideoFile


def page_of(client, video) -> str:
    return html.unescape(client.get(f"/videos/{video.pk}/").content.decode())


def test_the_page_shows_each_known_field_and_its_source(logged_in, alice, make_video):
    video = make_video(
        "Army of Me",
        album="Post",
        year=1995,
        directors=["Michel Gondry"],
        video_type="official",
        provider_ids={"youtube": "dQw4w9WgXcQ"},
        field_sources={
            "album": "site",
            "year": "site",
            "directors": "user",
            "video_type": "provider:imvdb",
        },
    )
    body = page_of(logged_in(alice), video)
    assert (
        'data-field="album">Post <span class="muted field-source" data-field-source="album"' in body
    )
    assert "(from the site)" in body and "(set by hand)" in body and "(from IMVDb)" in body
    assert "Michel Gondry" in body and "Official video" in body
    assert "youtube: dQw4w9WgXcQ" in body
    assert 'data-field="plot"' not in body  # nothing known: no row


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("user", "set by hand"),
        ("site", "from the site"),
        ("provider:imvdb", "from IMVDb"),
        ("provider:musicbrainz", "from MusicBrainz"),
    ],
)
def test_the_about_box_shows_the_title_and_artist_with_where_they_came_from(
    logged_in, alice, make_video, source, shown
):
    video = make_video(
        "Army of Me", artist="Björk", field_sources={"title": source, "artist": source}
    )
    body = page_of(logged_in(alice), video)
    about = body[body.index('id="about-panel"') : body.index('id="details-panel"')]
    title = re.search(r'<dd data-field="title">(.*?)</dd>', about, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", title) == f"Army of Me ({shown})"
    artist = re.search(r'<dd data-field="artist">(.*?)</dd>', about, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", artist) == f"Björk ({shown})"


def test_the_about_box_shows_the_title_without_a_known_source(logged_in, alice, make_video):
    body = page_of(logged_in(alice), make_video("Army of Me"))
    assert '<dd data-field="title">Army of Me</dd>' in body


def test_a_video_with_no_details_says_so(logged_in, alice, make_video):
    body = page_of(logged_in(alice), make_video("Bare"))
    assert "No album, year or other details known yet." in body


def test_a_user_changes_details_and_only_what_changed_is_by_hand(logged_in, alice, make_video):
    video = make_video("Army of Me", album="Post", field_sources={"album": "site"})
    client = logged_in(alice)
    form = {
        "details-title": "Army of Me",
        "details-artist": "Björk",
        "details-album": "Post",
        "details-year": "1995",
        "details-premiered": "1995-04-10",
        "details-genres": "Art pop; Trip hop",
        "details-featured_artists": "Earth, Wind & Fire\nSomeone",
        "details-video_type": "official",
        "details-youtube_id": "dQw4w9WgXcQ",
    }
    response = client.post(reverse("video-details", args=[video.pk]), form, follow=True)
    assert response.redirect_chain == [(f"/videos/{video.pk}/", 302)]
    assert "Details saved." in response.content.decode()
    video.refresh_from_db()
    assert video.artist == Artist.objects.get(name="Björk")
    assert (video.year, video.premiered) == (1995, datetime.date(1995, 4, 10))
    assert video.genres == ["Art pop", "Trip hop"]
    assert video.featured_artists == ["Earth, Wind & Fire", "Someone"]
    assert video.provider_ids == {"youtube": "dQw4w9WgXcQ"}
    assert video.field_sources == {
        "album": "site",  # sent unchanged: still the site's
        "artist": "user",
        "year": "user",
        "premiered": "user",
        "genres": "user",
        "featured_artists": "user",
        "video_type": "user",
        "provider_ids": "user",
    }


def test_bad_details_are_a_400_with_the_reason_and_nothing_is_saved(logged_in, alice, make_video):
    video = make_video("Army of Me")
    response = logged_in(alice).post(
        reverse("video-details", args=[video.pk]),
        {"details-title": "Army of Me", "details-year": "1700", "details-imvdb_id": "abc"},
    )
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "Enter a year between 1880 and" in body
    assert "The imvdb id must be an IMVDb id (digits), not 'abc'." in body
    assert "The details were not saved" in body
    video.refresh_from_db()
    assert (video.year, video.provider_ids, video.field_sources) == (None, {}, {})


def test_the_details_form_needs_a_login(client, make_video):
    video = make_video("Army of Me")
    response = client.post(reverse("video-details", args=[video.pk]), {"details-album": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    video.refresh_from_db()
    assert video.album == ""


LISTS_TYPED = "Art pop; Trip hop\n art pop \n\nElectronic;"
LISTS_READ = ["Art pop", "Trip hop", "Electronic"]


def test_each_list_field_says_how_to_type_its_names(logged_in, alice, make_video):
    body = page_of(logged_in(alice), make_video("Army of Me"))
    for name in ("genres", "directors", "featured_artists"):
        field = f'id="id_details-{name}"'
        assert re.search(rf'<textarea [^>]*aria-describedby="id_details-{name}_helptext"', body)
        hint = f'<span class="help" id="id_details-{name}_helptext">{LIST_HINT}</span>'
        assert hint in body and field in body
    assert LIST_HINT == "One per line, or separated by ; (a name may hold commas)."


def test_the_page_and_the_admin_read_a_typed_list_the_same_way(
    logged_in, alice, admin_client, make_video
):
    on_page = make_video("Army of Me")
    in_admin = make_video("Hyperballad")
    fields = {name: LISTS_TYPED for name in ("genres", "directors", "featured_artists")}

    logged_in(alice).post(
        reverse("video-details", args=[on_page.pk]),
        {"details-title": "Army of Me", **{f"details-{k}": v for k, v in fields.items()}},
    )
    url = reverse("admin:videos_video_change", args=[in_admin.pk])
    data = change_form_data(admin_client.get(url))
    response = admin_client.post(url, {**data, **fields})
    assert response.status_code == 302, response.context["adminform"].form.errors

    for video in (on_page, in_admin):
        video.refresh_from_db()
        assert (video.genres, video.directors, video.featured_artists) == (LISTS_READ,) * 3
        assert {video.field_sources[name] for name in fields} == {"user"}
    admin_page = html.unescape(admin_client.get(url).content.decode())
    assert LIST_HINT in admin_page and "Art pop; Trip hop; Electronic" in admin_page


def test_the_file_panel_tells_the_file_in_plain_words(logged_in, alice, make_video):
    video = make_video(
        "Army of Me",
        artist="Björk",
        source_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        extractor="youtube",
        file_path="Björk/Army of Me [dQw4w9WgXcQ].mp4",
        file_size=25_477_120,
        width=1920,
        height=1080,
        format="137+140 (mp4)",
    )
    VideoFile.objects.filter(video=video).update(
        container="mp4", video_codec="h264", audio_codec="aac"
    )
    body = page_of(logged_in(alice), video)
    panel = body[body.index('id="file-panel"') :]
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd data-file-fact=\"\w+\">([^<]+)</dd>", panel))
    assert shown == {
        "Kind of file": "MP4",
        "Picture": "1920 \u00d7 1080 (1080p)",
        "Picture codec": "H.264 (AVC)",
        "Sound codec": "AAC",
        "Size": "25.5 MB",
        "From": "YouTube",
    }
    assert "137+140" not in panel and "Format" not in panel
