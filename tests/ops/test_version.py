"""/api/version/ names MVidarr's and yt-dlp's versions, for signed-in users."""

import importlib.metadata
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_versions_are_given_to_signed_in_users(client, alice):
    client.force_login(alice)
    response = client.get("/api/version/")
    assert response.status_code == 200
    assert response.json() == {
        "mvidarr": tomllib.loads(PYPROJECT.read_text())["project"]["version"],
        "yt_dlp": importlib.metadata.version("yt-dlp"),
    }


def test_a_build_may_stamp_its_own_version(client, alice, settings):
    settings.MVIDARR_VERSION = "0.1.0+git.abc123"
    client.force_login(alice)
    assert client.get("/api/version/").json()["mvidarr"] == "0.1.0+git.abc123"


def test_anonymous_clients_get_401(client, db):
    assert client.get("/api/version/").status_code == 401
