"""Editing a downloaded video renames its file: a ``library_rename`` job scoped to the video
moves its bundle to the name the naming templates now give it (a new artist: that artist's
folder) and writes its sidecars again. End to end with a real download (yt-dlp from the
local media server), the files checked by parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from django.urls import reverse

from jobs import kinds
from jobs.models import HistoryEvent, Job
from jobs.services import video_edit
from jobs.titles import job_link, job_title
from tests.jobs.test_artist_rename import (
    api_for,
    download,  # noqa: F401 (a fixture)
    files_in,
    run_rewrites,
    run_to_the_end,
)
from tests.jobs.test_sidecars import downloaded  # noqa: F401 (a fixture)
from tests.test_metadata_admin import change_form_data
from videos.models import VideoFile


def test_a_new_title_and_artist_move_the_file_and_rewrite_its_sidecars(
    download,  # noqa: F811
    library_root,
    context,
    alice,
):
    video, _ = download(title="Jóga", artist="Björk & Sons", source_id="v1")
    assert VideoFile.objects.get(video=video).path == "Björk & Sons/Jóga [v1].mp4"

    response = api_for(alice).patch(
        f"/api/videos/{video.pk}/", {"title": "Jóga (Live)", "artist": "Björk"}, format="json"
    )

    assert response.status_code == 200, response.content
    job = Job.objects.get(kind=kinds.LIBRARY_RENAME)
    assert (job.user, job.options["video"]) == (alice, video.pk)
    assert job_title(job) == "The file of Jóga (Live)"
    assert job_link(job) == f"/videos/{video.pk}/"
    assert (library_root / "Björk & Sons/Jóga [v1].mp4").is_file()  # nothing moved in the request

    job = run_to_the_end(job, context)
    run_rewrites(context)

    assert (job.status, job.message) == ("completed", "Renamed 1 file")
    assert VideoFile.objects.get(video=video).path == "Björk/Jóga (Live) [v1].mp4"
    # The old artist's folder goes with its last file; the new one gets its artist.nfo.
    assert files_in(library_root) == {
        "Björk/Jóga (Live) [v1].mp4",
        "Björk/Jóga (Live) [v1].nfo",
        "Björk/Jóga (Live) [v1]-thumb.jpg",
        "Björk/artist.nfo",
    }
    nfo = ElementTree.parse(library_root / "Björk/Jóga (Live) [v1].nfo").getroot()
    assert (nfo.findtext("title"), nfo.findtext("artist")) == ("Jóga (Live)", "Björk")
    event = HistoryEvent.objects.get(event="renamed", job=job)
    assert event.data == {"old": "Björk & Sons/Jóga [v1].mp4", "new": "Björk/Jóga (Live) [v1].mp4"}


def test_a_change_that_keeps_the_name_moves_nothing_and_still_rewrites_the_sidecars(
    download,  # noqa: F811
    library_root,
    context,
    boss,
):
    video, _ = download(title="Jóga", artist="Björk", source_id="v2")
    path = VideoFile.objects.get(video=video).path

    video_edit(video=video, user=boss, data={"album": "Homogenic"})
    job = run_to_the_end(Job.objects.get(kind=kinds.LIBRARY_RENAME), context)
    [rewrite] = run_rewrites(context)

    assert (job.status, job.message) == ("completed", "Renamed 0 files")
    assert rewrite.video_id == video.pk
    assert VideoFile.objects.get(video=video).path == path
    nfo = ElementTree.parse((library_root / path).with_suffix(".nfo")).getroot()
    assert nfo.findtext("album") == "Homogenic"


def test_two_edits_before_the_job_runs_share_it_and_other_files_stay(
    download,  # noqa: F811
    library_root,
    context,
    boss,
):
    mine, _ = download(title="Jóga", artist="Björk", source_id="v3")
    other, _ = download(title="Roads", artist="Portishead", source_id="v4")
    before = VideoFile.objects.get(video=other).path

    video_edit(video=mine, user=boss, data={"title": "Joga"})
    video_edit(video=mine, user=boss, data={"title": "Jóga!"})
    job = Job.objects.get(kind=kinds.LIBRARY_RENAME)
    assert job.options["video_title"] == "Jóga!"
    job = run_to_the_end(job, context)

    assert (job.options["total"], job.message) == (1, "Renamed 1 file")
    assert VideoFile.objects.get(video=mine).path == "Björk/Jóga! [v3].mp4"
    assert VideoFile.objects.get(video=other).path == before


def test_a_video_without_a_file_starts_no_rename(make_video, boss):
    video = make_video("Jóga", artist="Björk")
    video_edit(video=video, user=boss, data={"title": "Joga"})
    assert not Job.objects.filter(kind=kinds.LIBRARY_RENAME).exists()


def test_an_edit_in_the_admin_starts_the_same_rename(download, admin_client, context):  # noqa: F811
    video, _ = download(title="Jóga", artist="Björk", source_id="v5")
    url = reverse("admin:videos_video_change", args=[video.pk])
    page = admin_client.get(url)
    data = change_form_data(page)
    for inline in page.context["inline_admin_formsets"]:  # the file's inline, sent back as is
        for form in inline.formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is not None:
                    data[form.add_prefix(name)] = field.prepare_value(value)
    data.update(title="Joga")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    job = run_to_the_end(Job.objects.get(kind=kinds.LIBRARY_RENAME), context)
    assert (job.options["video"], job.message) == (video.pk, "Renamed 1 file")
    assert VideoFile.objects.get(video=video).path == "Björk/Joga [v5].mp4"
