"""The fake providers, with MVidarr's settings pointing at them (through the environment,
whose value wins over the settings store)."""

from __future__ import annotations

import pytest

from tests.providers.fakes import IMVDB_KEY, FakeImvdb, FakeMusicBrainz


@pytest.fixture
def imvdb_server(monkeypatch):
    server = FakeImvdb().start()
    monkeypatch.setenv("IMVDB_API_URL", server.url)
    monkeypatch.setenv("IMVDB_API_KEY", IMVDB_KEY)
    monkeypatch.setenv("MVIDARR_IMVDB_RATE", "100")
    yield server
    server.stop()


@pytest.fixture
def musicbrainz_server(monkeypatch):
    server = FakeMusicBrainz().start()
    monkeypatch.setenv("MUSICBRAINZ_API_URL", server.url)
    monkeypatch.setenv("MVIDARR_MUSICBRAINZ_RATE", "100")
    yield server
    server.stop()
