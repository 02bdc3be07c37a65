"""/api/artists/: list, add, change, delete, and an artist's videos."""

from __future__ import annotations

import pytest

from videos.models import Artist, Video
from videos.services import artist_get_or_create


@pytest.fixture
def bjork(db) -> Artist:
    return artist_get_or_create(name="Björk")


@pytest.fixture
def staff_api(client_for, boss):
    """Artists are added, renamed and deleted by staff."""
    return client_for(boss)


def test_artists_are_listed_in_sort_order_with_their_video_counts(api, bjork):
    the_cure = artist_get_or_create(name="The Cure")
    Video.objects.create(source_url="https://example.com/1", artist=bjork)
    Video.objects.create(source_url="https://example.com/2", artist=bjork)
    body = api.get("/api/artists/").json()
    assert body["count"] == 2
    assert [(a["name"], a["video_count"]) for a in body["results"]] == [
        ("Björk", 2),
        (the_cure.name, 0),
    ]


def test_artists_can_be_searched_by_name(api, bjork):
    artist_get_or_create(name="Portishead")
    names = [a["name"] for a in api.get("/api/artists/", {"search": "port"}).json()["results"]]
    assert names == ["Portishead"]


def test_adding_an_artist_makes_its_sort_name_and_folder(staff_api, db):
    response = staff_api.post("/api/artists/", {"name": "  The   Knife "}, format="json")
    assert response.status_code == 201
    artist = response.json()
    assert artist["name"] == "The Knife"
    assert artist["sort_name"] == "Knife, The"
    assert artist["folder_name"] == "The Knife"
    assert artist["monitored"] is False  # monitoring starts no download unless asked
    assert artist["video_count"] == 0


def test_adding_an_artist_whose_name_is_taken_is_a_400_naming_it(staff_api, bjork):
    # SQLite folds ASCII letters only, so the case test keeps to ASCII.
    artist_get_or_create(name="Portishead")
    response = staff_api.post("/api/artists/", {"name": "PORTISHEAD"}, format="json")
    assert response.status_code == 400
    assert "already in the library" in response.json()["name"][0]


def test_adding_an_artist_without_a_name_is_a_400(staff_api, db):
    response = staff_api.post("/api/artists/", {"name": "   "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_an_artist_is_shown_by_id(api, bjork):
    response = api.get(f"/api/artists/{bjork.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "Björk"


def test_renaming_an_artist_updates_its_sort_name(staff_api, bjork):
    response = staff_api.patch(
        f"/api/artists/{bjork.pk}/", {"name": "The Sugarcubes"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["sort_name"] == "Sugarcubes, The"
    bjork.refresh_from_db()
    assert bjork.name == "The Sugarcubes"


def test_an_artist_can_stop_being_monitored(staff_api, bjork):
    response = staff_api.patch(f"/api/artists/{bjork.pk}/", {"monitored": False}, format="json")
    assert response.status_code == 200
    assert response.json()["monitored"] is False
    assert response.json()["name"] == "Björk"


def test_renaming_an_artist_to_another_artists_name_is_a_400(staff_api, bjork):
    other = artist_get_or_create(name="Portishead")
    response = staff_api.patch(f"/api/artists/{other.pk}/", {"name": "Björk"}, format="json")
    assert response.status_code == 400
    assert "already in the library" in response.json()["name"][0]


def test_adding_an_artist_whose_name_differs_only_in_case_beyond_ascii_is_a_400(staff_api, bjork):
    response = staff_api.post("/api/artists/", {"name": "BJÖRK"}, format="json")
    assert response.status_code == 400
    assert f"“Björk” is already in the library (#{bjork.pk})" in response.json()["name"][0]


def test_renaming_an_artist_to_its_own_name_in_other_case_is_allowed(staff_api, bjork):
    response = staff_api.patch(f"/api/artists/{bjork.pk}/", {"name": "BJöRK"}, format="json")
    assert response.status_code == 200


def test_deleting_an_artist_keeps_its_videos(api, staff_api, bjork):
    video = Video.objects.create(source_url="https://example.com/1", artist=bjork)
    assert staff_api.delete(f"/api/artists/{bjork.pk}/").status_code == 204
    video.refresh_from_db()
    assert video.artist is None
    assert api.get(f"/api/artists/{bjork.pk}/").status_code == 404


def test_an_artists_videos_are_listed_and_filtered(api, bjork):
    Video.objects.create(source_url="https://example.com/1", artist=bjork, title="Hyperballad")
    Video.objects.create(
        source_url="https://example.com/2", artist=bjork, title="Jóga", status="downloaded"
    )
    Video.objects.create(source_url="https://example.com/3", title="Not hers")
    url = f"/api/artists/{bjork.pk}/videos/"
    assert {v["title"] for v in api.get(url).json()["results"]} == {"Hyperballad", "Jóga"}
    downloaded = api.get(url, {"status": "downloaded"}).json()["results"]
    assert [v["title"] for v in downloaded] == ["Jóga"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/artists/999/"),
        ("patch", "/api/artists/999/"),
        ("delete", "/api/artists/999/"),
        ("get", "/api/artists/999/videos/"),
        ("get", "/api/artists/99999999999999999999999/"),
    ],
)
def test_an_unknown_artist_is_a_404(staff_api, method, path):
    response = getattr(staff_api, method)(path, {}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/artists/", {"name": "Portishead"}),
        ("patch", "/api/artists/{id}/", {"name": "Someone Else"}),
        ("delete", "/api/artists/{id}/", {}),
    ],
)
def test_only_staff_may_add_rename_or_delete_an_artist(
    client_for, alice, bjork, method, path, body
):
    url = path.format(id=bjork.pk)
    anonymous = getattr(client_for(), method)(url, body, format="json")
    assert anonymous.status_code == 401
    refused = getattr(client_for(alice), method)(url, body, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only staff can add, rename or delete artists."}
    bjork.refresh_from_db()
    assert bjork.name == "Björk"
    assert list(Artist.objects.values_list("name", flat=True)) == ["Björk"]


def test_a_non_staff_user_still_reads_artists(api, bjork):
    assert api.get("/api/artists/").status_code == 200
    assert api.get(f"/api/artists/{bjork.pk}/").status_code == 200
    assert api.get(f"/api/artists/{bjork.pk}/videos/").status_code == 200


def test_staff_renaming_to_an_empty_name_is_a_400(staff_api, bjork):
    response = staff_api.patch(f"/api/artists/{bjork.pk}/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
