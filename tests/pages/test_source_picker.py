"""The history's source filter is typed (an address or a title, suggested from the API as one
types), not a <select> of every source: the address or the title in any case filters, a
link's ?source=<id> shows the address, and a name no source has, or a title two share, is a
400 that says so with no rows."""

from __future__ import annotations

import pytest

from jobs.models import HistoryEvent
from videos.models import Source

CHANNEL = "https://example.com/bjork"


@pytest.fixture
def history(db):
    sources = {
        "bjork": Source.objects.create(url=CHANNEL, title="Björk VEVO"),
        "blur": Source.objects.create(url="https://example.com/blur", title="Blur"),
        "blur-live": Source.objects.create(url="https://example.com/blur-live", title="Blur"),
    }
    return {
        name: HistoryEvent.objects.create(event="indexed", title=name, source=source)
        for name, source in sources.items()
    }


def _shown(body: str, history: dict) -> set[str]:
    return {name for name, row in history.items() if f'data-history="{row.pk}"' in body}


def _field(body: str) -> str:
    """The source's <input> as the page renders it."""
    return body.split('name="source_name"', 1)[1].split(">", 1)[0]


@pytest.mark.parametrize("typed", [CHANNEL, f"  {CHANNEL} ", "björk vevo", "BJÖRK VEVO"])
def test_the_history_is_filtered_by_a_sources_address_or_title(logged_in, alice, history, typed):
    response = logged_in(alice).get("/history/", {"source_name": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert _shown(body, history) == {"bjork"}
    assert "data-source-suggest" in _field(body)
    assert f"{CHANNEL}</option>" not in body and "Blur</option>" not in body  # no <select>


def test_a_link_to_a_sources_history_shows_its_address_in_the_field(logged_in, alice, history):
    source = history["blur-live"].source
    body = logged_in(alice).get("/history/", {"source": source.pk}).content.decode()
    assert f'value="{source.url}"' in _field(body)
    assert _shown(body, history) == {"blur-live"}


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"source_name": "Nobody"}, "No source has the address or title “Nobody”"),
        ({"source_name": "blur"}, "More than one source is titled “blur”"),
        ({"source": "999999"}, "No source has the address or title “#999999”"),
    ],
)
def test_a_source_no_name_tells_apart_is_a_400_with_no_rows(logged_in, alice, history, query, said):
    response = logged_in(alice).get("/history/", query)
    body = response.content.decode()
    assert response.status_code == 400
    assert said in body and _shown(body, history) == set()
