"""The quality profiles page: everyone signed in reads the profiles; staff add, change and
delete them and choose the default; a refusal is shown next to the field it is about."""

from __future__ import annotations

import pytest

from videos.models import QualityProfile

# "Any" comes from a migration, which a transactional test before these flushes.
pytestmark = pytest.mark.usefixtures("default_profile")

VALID = {
    "name": "HD",
    "qualities": ["1080p", "720p"],
    "cutoff": "720p",
    "container": "mp4",
    "format": "",
}


@pytest.fixture
def hd(db) -> QualityProfile:
    return QualityProfile.objects.create(
        name="HD", qualities=["720p", "1080p"], cutoff="720p", container="mp4"
    )


def any_profile() -> QualityProfile:
    return QualityProfile.objects.get(name="Any")


@pytest.mark.parametrize("url", ["/profiles/", "/profiles/add/", "/profiles/1/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_everyone_signed_in_sees_the_profiles_and_which_is_the_default(logged_in, alice, hd):
    body = logged_in(alice).get("/profiles/").content.decode()
    assert "Any" in body and "Default" in body
    assert "720p, 1080p" in body
    assert "/profiles/add/" not in body and f"/profiles/{hd.pk}/delete/" not in body


def test_staff_see_the_controls_but_the_default_cannot_be_deleted_from_the_page(
    logged_in, boss, hd
):
    body = logged_in(boss).get("/profiles/").content.decode()
    assert "/profiles/add/" in body
    assert f'action="/profiles/{hd.pk}/delete/"' in body
    assert f'action="/profiles/{hd.pk}/default/"' in body
    assert f"/profiles/{any_profile().pk}/delete/" not in body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "add/"),
        ("post", "add/"),
        ("get", "{pk}/"),
        ("post", "{pk}/"),
        ("post", "{pk}/default/"),
        ("post", "{pk}/delete/"),
    ],
)
def test_a_non_staff_user_may_not_change_profiles(logged_in, alice, hd, method, path):
    client = logged_in(alice)
    response = getattr(client, method)(f"/profiles/{path.format(pk=hd.pk)}", VALID)
    assert response.status_code == 403
    hd.refresh_from_db()
    assert (hd.is_default, hd.qualities) == (False, ["720p", "1080p"])


def test_staff_add_a_profile(logged_in, boss):
    response = logged_in(boss).post("/profiles/add/", {**VALID, "upgrade_allowed": "on"})
    assert response.status_code == 302 and response["Location"] == "/profiles/"
    profile = QualityProfile.objects.get(name="HD")
    assert (profile.qualities, profile.cutoff, profile.upgrade_allowed, profile.container) == (
        ["1080p", "720p"],
        "720p",
        True,
        "mp4",
    )


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"name": "any"}, "already exists"),
        ({"qualities": []}, "Choose at least one quality."),
        ({"cutoff": "480p"}, "must be one of the profile&#x27;s qualities"),
        ({"qualities": ["1080p", "audio"]}, "An audio profile allows audio only"),
    ],
)
def test_a_profile_that_makes_no_sense_is_a_400_that_says_why(logged_in, boss, change, field_error):
    response = logged_in(boss).post("/profiles/add/", {**VALID, **change})
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error in body
    assert "The profile was not saved" in body
    assert not QualityProfile.objects.filter(name="HD").exists()


def test_staff_change_a_profile_and_the_order_of_its_qualities_stays(logged_in, boss, hd):
    client = logged_in(boss)
    assert 'value="HD"' in client.get(f"/profiles/{hd.pk}/").content.decode()
    response = client.post(f"/profiles/{hd.pk}/", {**VALID, "name": "HD 720", "cutoff": "1080p"})
    assert response.status_code == 302
    hd.refresh_from_db()
    assert (hd.name, hd.qualities, hd.cutoff) == ("HD 720", ["720p", "1080p"], "1080p")


def test_staff_make_a_profile_the_default(logged_in, boss, hd):
    response = logged_in(boss).post(f"/profiles/{hd.pk}/default/")
    assert response.status_code == 302
    assert QualityProfile.objects.get(is_default=True) == hd


def test_staff_delete_a_profile_but_not_the_default(logged_in, boss, hd):
    client = logged_in(boss)
    response = client.post(f"/profiles/{any_profile().pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert QualityProfile.objects.filter(name="Any").exists()

    client.post(f"/profiles/{hd.pk}/delete/")
    assert not QualityProfile.objects.filter(pk=hd.pk).exists()


def test_an_unknown_profile_is_404(logged_in, boss):
    assert logged_in(boss).get("/profiles/999/").status_code == 404


def test_the_navigation_leads_to_the_profiles(logged_in, alice):
    body = logged_in(alice).get("/").content.decode()
    assert '<a href="/profiles/">Profiles</a>' in body
