"""The descriptive fields in the admin: a change made there is recorded as set by hand, a
bad value is refused with the rule's sentence, and an artist's provider ids are checked."""

from __future__ import annotations

from django.urls import reverse

from videos.models import Artist, Video


def change_form_data(response) -> dict:
    """The admin change form's data as the browser would send it back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, (list, dict)):
            value = field.prepare_value(value)  # a JSON text, or names separated by ;
        data[name] = value
        if field.show_hidden_initial:  # fields with a callable default, as the page has them
            data[f"initial-{name}"] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    return data


def test_a_field_changed_in_the_admin_is_by_hand(admin_client):
    video = Video.objects.create(
        source_url="https://example.com/1",
        title="Army of Me",
        album="Post",
        field_sources={"album": "site"},
    )
    url = reverse("admin:videos_video_change", args=[video.pk])
    data = change_form_data(admin_client.get(url))
    data.update(year="1995", genres="Art pop")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    video.refresh_from_db()
    assert (video.year, video.genres) == (1995, ["Art pop"])
    assert video.field_sources == {"album": "site", "year": "user", "genres": "user"}


def test_a_bad_value_in_the_admin_is_refused_with_its_sentence(admin_client):
    video = Video.objects.create(source_url="https://example.com/1", title="Army of Me")
    url = reverse("admin:videos_video_change", args=[video.pk])
    data = change_form_data(admin_client.get(url))
    data.update(provider_ids='{"youtube": "short"}')
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The youtube id must be an 11-character YouTube video id" in response.content.decode()
    video.refresh_from_db()
    assert video.provider_ids == {}


def test_an_artists_provider_ids_are_checked_in_the_admin(admin_client):
    artist = Artist.objects.create(name="Björk", sort_name="Björk", folder_name="Björk")
    url = reverse("admin:videos_artist_change", args=[artist.pk])
    data = change_form_data(admin_client.get(url))
    data.update(provider_ids='{"musicbrainz": "87c5dedd-371d-4a53-9f7f-80522fb7f3cb"}')
    assert admin_client.post(url, data).status_code == 302
    artist.refresh_from_db()
    assert artist.provider_ids == {"musicbrainz": "87c5dedd-371d-4a53-9f7f-80522fb7f3cb"}


def test_a_refused_link_in_the_admin_gets_one_sentence(admin_client):
    video = Video.objects.create(source_url="https://example.com/1", title="Army of Me")
    url = reverse("admin:videos_video_change", args=[video.pk])
    data = change_form_data(admin_client.get(url))
    data.update(source_url="javascript:alert(1)")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["source_url"] == [
        "Enter a web address that starts with http:// or https://."
    ]
    video.refresh_from_db()
    assert video.source_url == "https://example.com/1"
