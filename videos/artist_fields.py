"""An artist typed by name on a form, not chosen from a ``<select>`` of every artist (a library
of 5,000 artists put 5,000 options in every such page). The page's field carries
``data-artist-suggest``: ``artist-suggest.js`` suggests names from ``GET /api/artists/?search=``
as one types; the name resolves to the artist the way the library's filter does (the same
name key: any case, repeated spaces)."""

from __future__ import annotations

from django import forms

from videos.models import Artist
from videos.selectors import artist_find_by_name, artist_get

# The artist of a filter that names one the library does not have: it matches nothing.
NO_SUCH_ARTIST_ID = 0


def artist_name_field(*, label: str = "Artist", placeholder: str = "Any artist") -> forms.CharField:
    """The text field, with the suggestions' hook."""
    return forms.CharField(
        required=False,
        max_length=255,
        label=label,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-artist-suggest": "", "placeholder": placeholder}
        ),
    )


def show_linked(data, *, key: str, field: str, name_of):
    """Form data with a link's ``?<key>=<id>`` shown in the text ``field`` as
    ``name_of(id)`` (``#<id>`` when nothing has that id), so the next submit of the form
    sends the name alone; the data as given when the field is filled or no id is linked."""
    if data is None or not data.get(key) or data.get(field):
        return data
    data = data.copy()
    linked = str(data.pop(key)[0] if hasattr(data, "getlist") else data.pop(key))
    name = name_of(int(linked)) if linked.isdigit() else None
    data[field] = name or f"#{linked}"
    return data


def _artist_name(artist_id: int) -> str | None:
    artist = artist_get(artist_id=artist_id)
    return artist.name if artist else None


def unknown_artist_said(name: str) -> str:
    return f"No artist is named “{name}”; choose one of the names suggested as you type."


class ArtistByName:
    """For a form with an ``artist_name`` field. ``cleaned_data["artist"]`` is the artist it
    names (None when empty), and an unsaved ``Artist`` with ``pk`` NO_SUCH_ARTIST_ID when no
    artist has that name (a filter then matches nothing; :attr:`artist_unknown` says so).

    ``?artist=<id>``, what links to a page send, is shown in the field as the artist's name
    (so the next submit of the form sends the name alone), and so is a name typed in
    another case.
    """

    artist_unknown: str = ""  # the sentence when the name (or the id of a link) is unknown
    unknown_artist_is_error = False  # True: a form error on the field (the form is invalid)

    def __init__(self, data=None, *args, **kwargs) -> None:
        data = show_linked(data, key="artist", field="artist_name", name_of=_artist_name)
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        name = (data.get("artist_name") or "").strip()
        data["artist"] = None
        if name:
            data["artist"] = artist_find_by_name(name)
            if data["artist"] is not None and name != data["artist"].name:
                # The field shows the artist as the library spells it, not as typed.
                self.data = self.data.copy()
                self.data["artist_name"] = data["artist"].name
            if data["artist"] is None:
                self.artist_unknown = unknown_artist_said(name)
                data["artist"] = Artist(pk=NO_SUCH_ARTIST_ID, name=name)
                if self.unknown_artist_is_error:
                    self.add_error("artist_name", self.artist_unknown)
        return data
