"""videos.library.poststore: the steps after a download is stored run in order, and one that
fails is told, not raised."""

from __future__ import annotations

import logging

import pytest

from videos.library import POST_STORE_STEPS, PostStoreStep, StepFailed, run_post_store_steps
from videos.models import Video, VideoFile


@pytest.fixture
def stored(db):
    video = Video.objects.create(source_url="https://videos.example/a", title="Army of Me")
    return video, VideoFile.objects.create(video=video, path="Björk/Army of Me [x1].mp4")


def test_the_steps_run_in_their_order_with_the_video_and_its_file(stored):
    video, video_file = stored
    calls = []
    steps = [
        PostStoreStep(name, name, lambda *, video, video_file, name=name: calls.append(
            (name, video.pk, video_file.path)
        ))
        for name in ("nfo", "thumb", "tags")
    ]  # fmt: skip
    assert run_post_store_steps(video=video, video_file=video_file, steps=steps) == []
    assert calls == [
        (name, video.pk, "Björk/Army of Me [x1].mp4") for name in ("nfo", "thumb", "tags")
    ]


def test_a_failing_step_is_logged_and_told_and_the_next_steps_still_run(stored, caplog):
    video, video_file = stored
    calls = []

    def broken(*, video, video_file):
        raise PermissionError("the folder is read-only")

    steps = [
        PostStoreStep("nfo", "Writing the NFO file", broken),
        PostStoreStep("tags", "Tagging", lambda **kwargs: calls.append("tags")),
    ]
    with caplog.at_level(logging.ERROR, logger="videos.library.poststore"):
        failures = run_post_store_steps(video=video, video_file=video_file, steps=steps)
    assert failures == ["Writing the NFO file failed (PermissionError: the folder is read-only)."]
    assert calls == ["tags"]
    assert "post-store step 'nfo' failed" in caplog.text and "Traceback" in caplog.text


def test_a_step_may_tell_without_failing_and_a_failed_step_says_its_own_sentence(stored):
    video, video_file = stored

    def refused(**kwargs):
        raise StepFailed("The NFO file could not be written in the folder “Björk”.")

    steps = [
        PostStoreStep("artwork", "Storing the artwork", lambda **kwargs: "A frame is the art."),
        PostStoreStep("nfo", "Writing the NFO file", refused),
    ]
    assert run_post_store_steps(video=video, video_file=video_file, steps=steps) == [
        "The NFO file could not be written in the folder “Björk”.",
        "A frame is the art.",
    ]


def test_the_declared_steps_write_artwork_then_sidecars_then_tags():
    assert [step.name for step in POST_STORE_STEPS] == ["artwork", "thumb", "nfo", "artist", "tags"]


def test_the_declared_steps_pass_quietly_over_a_file_that_is_not_there(stored):
    video, video_file = stored
    assert run_post_store_steps(video=video, video_file=video_file) == []
    video_file.refresh_from_db()
    assert video_file.sidecars == []
