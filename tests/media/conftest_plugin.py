"""Session fixtures for media tests; registered in tests/conftest.py with
``pytest_plugins = ["tests.media.conftest_plugin"]``.

- ``media_clips``: ``{name: path relative to the media root}`` (see ``tests.media.clips``),
  made once per session.
- ``media_server``: a running ``MediaServer`` serving those clips (see ``tests.media.server``),
  started once per session. Tests keep their tokens and /hold groups unique (e.g. by test name)
  because the counters live as long as the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.media.clips import make_clips
from tests.media.server import MediaServer


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def media_clips(media_root: Path) -> dict[str, str]:
    return make_clips(media_root)


@pytest.fixture(scope="session")
def media_server(media_root: Path, media_clips: dict[str, str]) -> Iterator[MediaServer]:
    with MediaServer(media_root) as server:
        yield server
