"""A source typed on a form, by its address or its title, not chosen from a ``<select>`` of
every source (the list grows with every channel and playlist followed, as the artists' did).
The page's field carries ``data-source-suggest``: ``artist-suggest.js`` suggests addresses,
with their titles, from ``GET /api/sources/?search=`` as one types (the pattern of
:mod:`videos.artist_fields`)."""

from __future__ import annotations

from django import forms

from videos.artist_fields import show_linked
from videos.models import Source
from videos.sources import source_find_by_name, source_get


def source_name_field(*, label: str = "Source", placeholder: str = "Any source") -> forms.CharField:
    """The text field, with the suggestions' hook."""
    return forms.CharField(
        required=False,
        max_length=2000,
        label=label,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-source-suggest": "", "placeholder": placeholder}
        ),
    )


def _source_address(source_id: int) -> str | None:
    source = source_get(source_id=source_id)
    return source.url if source else None


class SourceByName:
    """For a form with a ``source_name`` field: ``cleaned_data["source_name"]`` is the source
    it names (None when empty); a name no source has, or a title several share, is an error
    on the field.

    ``?source=<id>``, what a link sends, is shown in the field as the source's address, so the
    next submit of the form sends the address alone.
    """

    def __init__(self, data=None, *args, **kwargs) -> None:
        data = show_linked(data, key="source", field="source_name", name_of=_source_address)
        super().__init__(data, *args, **kwargs)

    def clean_source_name(self) -> Source | None:
        name = (self.cleaned_data.get("source_name") or "").strip()
        if not name:
            return None
        found = source_find_by_name(name)
        if not found:
            raise forms.ValidationError(
                f"No source has the address or title “{name}”; choose one of those suggested "
                "as you type."
            )
        if len(found) > 1:
            raise forms.ValidationError(
                f"More than one source is titled “{name}”; choose one by its address (the "
                "suggestions show it)."
            )
        return found[0]
