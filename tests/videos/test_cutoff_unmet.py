"""The cutoff-unmet list: the SQL reading of a file's quality agrees with videos.quality's
rule for every height and kind of file, under the artist's profile or else the default; and
what counts as a better format on offer."""

from __future__ import annotations

import itertools

import pytest

from videos import quality
from videos.models import QualityProfile, Video, VideoFile
from videos.selectors import file_quality
from videos.wanted import cutoff_unmet_list, file_quality_name

HEIGHTS = [None, 0, 144, 240, 360, 361, 480, 481, 720, 721, 1080, 1081, 1440, 1441, 2160, 4320]
# (width, video codec, audio codec) beside a height: a video file, a bare one, audio only.
KINDS = [(None, "h264", "aac"), (None, "", ""), (None, "", "aac"), (640, "", "aac")]


@pytest.mark.parametrize("cutoff", ["2160p", "1080p", "720p", "480p", "360p", ""])
def test_the_list_agrees_with_the_quality_rule_for_every_file(make_video, make_artist, cutoff):
    profile = QualityProfile.objects.create(
        name=f"Cut {cutoff}",
        qualities=list(quality.VIDEO_QUALITIES),
        cutoff=cutoff,
        upgrade_allowed=True,
    )
    artist = make_artist("Björk", quality_profile=profile)
    expected = set()
    for number, (height, (width, vcodec, acodec)) in enumerate(itertools.product(HEIGHTS, KINDS)):
        video = make_video(f"V{number}", artist=artist, status=Video.Status.DOWNLOADED)
        VideoFile.objects.create(
            video=video,
            path=f"{number}.mp4",
            height=height,
            width=width,
            video_codec=vcodec,
            audio_codec=acodec,
        )
        have = file_quality(height, width, vcodec, acodec)
        if not quality.meets_cutoff(have, cutoff):
            expected.add((video.pk, have))

    listed = {(video.pk, file_quality_name(video)) for video in cutoff_unmet_list()}

    assert listed == expected


def test_an_artist_without_a_profile_follows_the_default_and_a_profile_without_upgrades_is_left(
    make_video, make_artist, default_profile
):
    default_profile.cutoff, default_profile.upgrade_allowed = "720p", True
    default_profile.save()
    keep = QualityProfile.objects.create(
        name="Keep", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=False
    )
    follows_default = make_video(
        "Default", artist=make_artist("A"), status="downloaded", file_path="a", height=360
    )
    no_artist = make_video("No artist", status="downloaded", file_path="b", height=480)
    make_video(
        "Kept",
        artist=make_artist("K", quality_profile=keep),
        status="downloaded",
        file_path="c",
        height=360,
    )
    make_video("Wanted", artist=make_artist("A"))

    listed = list(cutoff_unmet_list())

    assert listed == [follows_default, no_artist]  # by artist (none last), then title
    assert {(v.cutoff, v.profile_name, v.profile_ref) for v in listed} == {
        ("720p", "Any", default_profile.pk)
    }
    artist = follows_default.artist
    assert list(cutoff_unmet_list(artist_id=artist.pk)) == [follows_default]


@pytest.mark.parametrize(
    ("allowed", "heights", "have", "better"),
    [
        (["1080p", "720p", "360p"], [360, 720], "360p", ["720p"]),
        (["1080p", "720p", "360p"], [360], "360p", []),
        (["1080p", "720p", "360p"], [360, 720, 1080], "360p", ["1080p", "720p"]),
        (["720p", "360p"], [360, 1080], "360p", []),  # 1080p is not allowed
        (["1080p", "720p", "360p"], [720], None, ["720p"]),  # a file of unknown height
        (["1080p", "720p"], [720, 1080], "audio", ["1080p", "720p"]),
        (["720p"], [], "360p", []),
    ],
)
def test_a_better_format_is_one_the_profile_allows_above_the_files(allowed, heights, have, better):
    assert quality.better_on_offer(allowed=allowed, offered_heights=heights, have=have) == better


def test_an_upgrade_may_fetch_any_quality_of_the_profile_above_the_files():
    assert quality.above(["1080p", "720p", "360p"], "360p") == ["1080p", "720p"]
    assert quality.above(["720p", "360p"], None) == ["720p", "360p"]
    assert quality.above(["720p"], "1080p") == []


def test_a_file_being_upgraded_stays_listed_until_its_new_file_is_in(make_video, make_artist):
    hd = QualityProfile.objects.create(
        name="HD", qualities=["720p", "360p"], cutoff="720p", upgrade_allowed=True
    )
    artist = make_artist("Björk", quality_profile=hd)
    upgrading = make_video(
        "Joga", artist=artist, status=Video.Status.DOWNLOADING, file_path="j", height=360
    )
    make_video("Hunter", artist=artist, status=Video.Status.DOWNLOADING)  # no file yet

    assert list(cutoff_unmet_list()) == [upgrading]
