"""/api/profiles/: everyone signed in reads quality profiles, staff change them."""

from __future__ import annotations

import pytest

from videos.models import Artist, QualityProfile
from videos.selectors import profile_default, profile_for_artist


@pytest.fixture
def staff_api(client_for, boss):
    return client_for(boss)


@pytest.fixture
def hd(db) -> QualityProfile:
    return QualityProfile.objects.create(name="HD", qualities=["1080p", "720p"], cutoff="720p")


def test_profiles_are_listed_by_name_with_their_artists_counted(api, hd, default_profile):
    Artist.objects.create(name="Björk", quality_profile=hd)

    body = api.get("/api/profiles/").json()

    assert [(p["name"], p["artist_count"], p["is_default"]) for p in body["results"]] == [
        ("Any", 0, True),
        ("HD", 1, False),
    ]
    assert body["results"][1]["qualities"] == ["1080p", "720p"]


def test_a_profile_is_shown_by_id_and_an_unknown_one_is_a_404(api, hd):
    assert api.get(f"/api/profiles/{hd.pk}/").json()["cutoff"] == "720p"
    assert api.get("/api/profiles/4242/").json() == {"detail": "There is no quality profile #4242."}


def test_reading_profiles_needs_a_signed_in_user(client_for, hd):
    assert client_for(None).get("/api/profiles/").status_code == 401
    assert client_for(None).get(f"/api/profiles/{hd.pk}/").status_code == 401


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_only_staff_change_profiles(api, hd, method):
    url = "/api/profiles/" if method == "post" else f"/api/profiles/{hd.pk}/"

    response = getattr(api, method)(url, {"name": "Mine", "qualities": ["360p"]}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only staff can add, change or delete quality profiles."
    assert QualityProfile.objects.get(pk=hd.pk).name == "HD"


def test_staff_add_a_profile_that_becomes_the_default_and_the_old_one_stops_being_it(
    staff_api, default_profile
):
    response = staff_api.post(
        "/api/profiles/",
        {"name": "Audio", "qualities": ["audio"], "is_default": True},
        format="json",
    )

    assert response.status_code == 201
    created = response.json()
    assert (created["name"], created["container"], created["is_default"]) == (
        "Audio",
        "any",
        True,
    )
    assert profile_default().pk == created["id"]
    default_profile.refresh_from_db()
    assert default_profile.is_default is False


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"qualities": ["720p", "8k"]}, "qualities", "Unknown qualities: 8k"),
        ({"qualities": []}, "qualities", "Choose at least one quality."),
        ({"qualities": ["720p", "audio"]}, "qualities", "An audio profile allows audio only"),
        ({"cutoff": "1080p"}, "cutoff", "The cutoff '1080p' must be one of the profile's"),
        ({"container": "avi"}, "container", "not a valid choice"),
        ({"name": "hd"}, "name", "A profile named “HD” already exists"),
        (
            {"format": "bv*[height<=720+ba"},
            "format",
            "yt-dlp cannot read this format string: Missing closing/opening brackets or "
            "parenthesis.",
        ),
    ],
)
def test_a_bad_profile_is_a_400_that_says_what_is_wrong(staff_api, hd, body, field, words):
    response = staff_api.post(
        "/api/profiles/", {"name": "New", "qualities": ["720p"], **body}, format="json"
    )

    assert response.status_code == 400
    assert words in response.json()[field][0]
    assert not QualityProfile.objects.filter(name="New").exists()


def test_a_raw_format_string_yt_dlp_reads_is_kept(staff_api, db):
    response = staff_api.post(
        "/api/profiles/",
        {"name": "Raw", "qualities": ["720p"], "format": " bv*[height<=720]+ba/b "},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["format"] == "bv*[height<=720]+ba/b"


def test_staff_change_a_profile_and_a_bad_change_is_a_400(staff_api, hd):
    changed = staff_api.patch(f"/api/profiles/{hd.pk}/", {"cutoff": "1080p"}, format="json")
    refused = staff_api.patch(f"/api/profiles/{hd.pk}/", {"cutoff": "360p"}, format="json")

    assert (changed.status_code, changed.json()["cutoff"]) == (200, "1080p")
    assert refused.status_code == 400
    assert "The cutoff '360p'" in refused.json()["cutoff"][0]
    hd.refresh_from_db()
    assert (hd.cutoff, hd.qualities) == ("1080p", ["1080p", "720p"])


def test_the_default_stays_the_default_until_another_profile_takes_over(staff_api, default_profile):
    response = staff_api.patch(
        f"/api/profiles/{default_profile.pk}/", {"is_default": False}, format="json"
    )

    assert response.status_code == 400
    assert "make another profile the default" in response.json()["is_default"][0]


def test_deleting_the_default_profile_is_a_409_with_a_sentence(staff_api, default_profile):
    response = staff_api.delete(f"/api/profiles/{default_profile.pk}/")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "“Any” is the default profile and cannot be deleted; make another profile the default "
        "first."
    )
    assert QualityProfile.objects.filter(pk=default_profile.pk).exists()


def test_deleting_a_profile_in_use_lets_its_artists_follow_the_default(
    staff_api, hd, default_profile
):
    artist = Artist.objects.create(name="Björk", quality_profile=hd)

    assert staff_api.delete(f"/api/profiles/{hd.pk}/").status_code == 204

    artist.refresh_from_db()
    assert artist.quality_profile is None
    assert profile_for_artist(artist) == default_profile


# --- the artist's profile and monitoring ------------------------------------------------------
def test_an_artist_shows_its_profile_and_monitoring(api, hd):
    artist = Artist.objects.create(name="Björk", quality_profile=hd, monitor_new="new")

    body = api.get(f"/api/artists/{artist.pk}/").json()

    assert (body["quality_profile"], body["monitor_new"], body["monitored_since"]) == (
        hd.pk,
        "new",
        None,
    )


def test_staff_set_an_artists_profile_and_monitoring_and_monitored_since_is_dated(staff_api, hd):
    artist = Artist.objects.create(name="Björk")

    response = staff_api.patch(
        f"/api/artists/{artist.pk}/",
        {"quality_profile": hd.pk, "monitor_new": "none", "monitored": True,
         "monitored_since": "2001-01-01T00:00:00Z"},
        format="json",
    )  # fmt: skip

    body = response.json()
    assert response.status_code == 200
    assert (body["quality_profile"], body["monitor_new"], body["monitored"]) == (
        hd.pk,
        "none",
        True,
    )
    assert body["monitored_since"] and not body["monitored_since"].startswith("2001")
    cleared = staff_api.patch(
        f"/api/artists/{artist.pk}/", {"quality_profile": None}, format="json"
    )
    assert cleared.json()["quality_profile"] is None


def test_staff_add_an_artist_with_a_profile(staff_api, hd):
    response = staff_api.post(
        "/api/artists/", {"name": "Portishead", "quality_profile": hd.pk}, format="json"
    )

    assert response.status_code == 201
    assert Artist.objects.get(name="Portishead").quality_profile == hd


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"quality_profile": 4242}, "quality_profile", "There is no quality profile #4242."),
        ({"monitor_new": "some"}, "monitor_new", "not a valid choice"),
    ],
)
def test_a_bad_artist_profile_or_monitoring_choice_is_a_400(staff_api, db, body, field, words):
    artist = Artist.objects.create(name="Björk")

    response = staff_api.patch(f"/api/artists/{artist.pk}/", body, format="json")

    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_a_non_staff_user_cannot_set_an_artists_profile(api, hd):
    artist = Artist.objects.create(name="Björk")

    response = api.patch(f"/api/artists/{artist.pk}/", {"quality_profile": hd.pk}, format="json")

    assert response.status_code == 403
    artist.refresh_from_db()
    assert artist.quality_profile is None
