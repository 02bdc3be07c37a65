"""The wanted page: what is not downloaded yet, filtered by artist and status; staff download
one video or every one shown (one bulk job)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from jobs.models import Job
from videos.models import QualityProfile, Video


@pytest.fixture
def wanted(make_video, make_artist):
    bjork = make_artist("Björk")
    return {
        "bjork": bjork,
        "army": make_video("Army of Me", artist=bjork),
        "failed": make_video("Hyperballad", artist=bjork, status=Video.Status.FAILED),
        "roads": make_video("Roads", artist=make_artist("Portishead")),
        "joga": make_video(
            "Joga", artist=bjork, status=Video.Status.DOWNLOADED, file_path="Björk/Joga.mp4"
        ),
    }


def test_everyone_signed_in_sees_the_wanted_videos_and_follows_them_live(logged_in, alice, wanted):
    page = logged_in(alice).get("/wanted/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-current="page">Wanted</a>' in html
    for title in ("Army of Me", "Hyperballad", "Roads"):
        assert title in html
    assert "Joga" not in html
    army = wanted["army"].pk
    assert f'data-video-id="{army}" data-video-field="status"' in html
    assert f'data-video-id="{army}" data-video-field="progress"' in html
    # Downloading is for staff: no buttons for others.
    assert "Download all shown" not in html
    assert f"/videos/{army}/download/" not in html


def test_the_page_is_filtered_by_artist_and_status(logged_in, alice, wanted):
    html = (
        logged_in(alice)
        .get("/wanted/", {"artist": wanted["bjork"].pk, "status": "failed"})
        .content.decode()
    )
    assert "Hyperballad" in html
    assert "Army of Me" not in html
    assert "Roads" not in html
    assert "1 video matches these filters" in html


def test_staff_download_all_shown_as_one_bulk_job_of_the_filters(logged_in, boss, wanted):
    client = logged_in(boss)
    page = client.get("/wanted/", {"artist": wanted["bjork"].pk})
    assert "Download all shown" in page.content.decode()
    assert f"/videos/{wanted['army'].pk}/download/" in page.content.decode()

    response = client.post(
        "/wanted/download/",
        {
            "artist": wanted["bjork"].pk,
            "status": "",
            "quality": "",
            "next": f"/wanted/?artist={wanted['bjork'].pk}",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/wanted/?artist={wanted['bjork'].pk}"
    assert "Bulk download started: 2 videos to download." in response.content.decode()
    bulk = Job.objects.get(kind=Job.Kind.BULK_VIDEO_DOWNLOAD)
    assert set(bulk.children.values_list("video_id", flat=True)) == {
        wanted["army"].pk,
        wanted["failed"].pk,
    }


def test_nothing_to_download_is_said_on_the_page(logged_in, boss, make_artist):
    response = logged_in(boss).post(
        "/wanted/download/", {"artist": make_artist("Nobody").pk}, follow=True
    )
    assert "Nothing to download: no wanted video by Nobody" in response.content.decode()
    assert not Job.objects.exists()


def test_only_staff_download_from_the_wanted_page(logged_in, alice, wanted):
    response = logged_in(alice).post("/wanted/download/", {})
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_the_page_needs_a_login(client):
    response = client.get("/wanted/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- cutoff unmet --------------------------------------------------------------------------
@pytest.fixture
def below(make_video, make_artist):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    artist = make_artist("Björk", quality_profile=hd)
    return make_video("Army of Me", artist=artist, status="downloaded", file_path="a", height=360)


def test_the_cutoff_page_lists_files_below_their_cutoff_for_everyone(logged_in, alice, below):
    html = logged_in(alice).get("/wanted/cutoff/").content.decode()

    assert "Army of Me" in html
    assert "360p" in html and "HD" in html and "Never" in html
    assert f'data-refresh-for="video:{below.pk}"' in html
    assert "Check now" not in html and "Check due videos now" not in html


def test_staff_check_one_video_or_every_due_one_from_the_cutoff_page(logged_in, boss, below):
    client = logged_in(boss)
    assert "Check due videos now" in client.get("/wanted/cutoff/").content.decode()

    one = client.post("/wanted/cutoff/check/", {"video": below.pk}, follow=True)
    assert "Checking “Army of Me” for an upgrade. Its check is on the jobs page." in (
        one.content.decode()
    )
    Job.objects.all().delete()
    due = client.post("/wanted/cutoff/check/", {}, follow=True)
    assert "cutoff is due for an upgrade check" in due.content.decode()
    assert not Job.objects.exists()


def test_checking_the_due_videos_says_check_or_checks_by_their_number(
    logged_in, boss, below, make_video
):
    client = logged_in(boss)
    one = client.post("/wanted/cutoff/check/", {}, follow=True).content.decode()
    assert "Checking 1 video for an upgrade. Its check is on the jobs page." in one
    Video.objects.filter(pk=below.pk).update(upgrade_checked_at=None)
    Job.objects.all().delete()
    make_video("Joga", artist=below.artist, status="downloaded", file_path="b", height=360)
    two = client.post("/wanted/cutoff/check/", {}, follow=True).content.decode()
    assert "Checking 2 videos for an upgrade. Their checks are on the jobs page." in two


def test_the_cutoff_page_says_when_each_video_was_checked_and_what_was_found(
    logged_in, alice, below, make_video
):
    checked = timezone.now() - datetime.timedelta(days=2)
    Video.objects.filter(pk=below.pk).update(upgrade_checked_at=checked)
    found = "No better source: nothing above its 360p is on offer (it offers 360p)."
    Job.objects.create(kind="upgrade_check", video=below, status="failed", error="Old news.")
    Job.objects.create(kind="upgrade_check", video=below, status="completed", message=found)
    gone = make_video("Joga", artist=below.artist, status="downloaded", file_path="b", height=360)
    Video.objects.filter(pk=gone.pk).update(upgrade_checked_at=checked)
    Job.objects.create(
        kind="upgrade_check", video=gone, status="failed", error="The video was removed (404)."
    )

    html = logged_in(alice).get("/wanted/cutoff/").content.decode()
    row = html.split(f'data-cutoff="{below.pk}"', 1)[1].split("</tr>", 1)[0]
    assert checked.isoformat() in row
    assert found in row and "Old news." not in row
    other = html.split(f'data-cutoff="{gone.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "The last check failed: The video was removed (404)." in other


def test_only_staff_check_for_upgrades(logged_in, alice, below):
    assert logged_in(alice).post("/wanted/cutoff/check/", {"video": below.pk}).status_code == 403
    assert not Job.objects.exists()


def test_a_video_without_a_source_is_sent_to_its_page_to_find_one(logged_in, boss, make_video):
    video = make_video("Pagan Poetry", source_url="", status=Video.Status.NEEDS_SOURCE)
    html = logged_in(boss).get("/wanted/", {"status": "needs_source"}).content.decode()
    assert "Pagan Poetry" in html and "Needs a source" in html
    link = html.split('data-video-field="find-source">Find a source', 1)[0].rsplit("<a ", 1)[1]
    assert f'href="/videos/{video.pk}/"' in link
    assert f"/videos/{video.pk}/download/" not in html


def test_the_pages_script_names_every_video_status_as_the_server_does():
    script = (settings.BASE_DIR / "mvidarr/static/mvidarr/js/live.js").read_text()
    labels = script.split("var VIDEO_LABELS = {", 1)[1].split("};", 1)[0]
    for value, label in Video.Status.choices:
        assert f'{value}: "{label}"' in labels, value
