import ast
import os
import subprocess
from pathlib import Path

import pytest

from mvidarr.config import (
    ConfigError,
    database_config,
    env_bool,
    env_fraction,
    env_int,
    http_url,
    optional_http_url,
    redis_url,
)
from tests.processes import run_manage_py

ROOT = Path(__file__).resolve().parent.parent


# preflight refuses a placeholder key; these runs have no var/secret_key to fall back on.
STRONG_SECRET_KEY = "test-only-" + "k3y-" * 12


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_manage_py(*args, env={"SECRET_KEY": STRONG_SECRET_KEY, **os.environ, **env})


def test_default_database_is_a_sqlite_file_with_wal_and_immediate_transactions(tmp_path):
    config = database_config(None, default_sqlite=tmp_path / "db.sqlite3", test_name="x")
    assert config["ENGINE"] == "mvidarr.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["TEST"]["NAME"] == str(tmp_path / "test-x.sqlite3")


def test_database_url_selects_postgresql(tmp_path):
    config = database_config(
        "postgres://me:secret@db.example:5433/music", default_sqlite=tmp_path / "x", test_name="a"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "music")
    assert config["TEST"]["NAME"] == "test_music_a"


@pytest.mark.parametrize("url", ["mysql://x@y/z", "nonsense", "postgres://host"])
def test_unsupported_database_url_is_one_clear_sentence(url, tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        database_config(url, default_sqlite=tmp_path / "x", test_name="a")
    message = str(excinfo.value)
    assert "DATABASE_URL" in message
    assert "\n" not in message


def test_database_url_password_is_not_shown_in_errors(tmp_path):
    with pytest.raises(ConfigError) as excinfo:
        database_config("mysql://me:hunter2@y/z", default_sqlite=tmp_path / "x", test_name="a")
    assert "hunter2" not in str(excinfo.value)


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://", "redis://host:port/0"])
def test_bad_redis_url_is_refused_with_a_sentence(url):
    with pytest.raises(ConfigError, match="REDIS_URL"):
        redis_url(url)


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "www.youtube.com/feeds", "http://h:x/"])
def test_a_youtube_feed_url_that_is_not_http_stops_the_start_with_a_sentence(url, monkeypatch):
    monkeypatch.setenv("MVIDARR_YOUTUBE_FEED_URL", url)
    with pytest.raises(ConfigError, match=r"^MVIDARR_YOUTUBE_FEED_URL .* is not a web address"):
        http_url("MVIDARR_YOUTUBE_FEED_URL", "https://www.youtube.com/feeds/videos.xml")


def test_the_youtube_feed_url_defaults_to_youtubes_and_follows_the_environment(monkeypatch):
    default = "https://www.youtube.com/feeds/videos.xml"
    assert http_url("MVIDARR_YOUTUBE_FEED_URL", default) == default
    monkeypatch.setenv("MVIDARR_YOUTUBE_FEED_URL", "http://127.0.0.1:8080/ytfeed")
    assert http_url("MVIDARR_YOUTUBE_FEED_URL", default) == "http://127.0.0.1:8080/ytfeed"


def test_the_search_url_is_optional_and_the_threshold_a_number_from_0_to_1(monkeypatch):
    assert optional_http_url("MVIDARR_SEARCH_URL") == ""
    monkeypatch.setenv("MVIDARR_SEARCH_URL", "http://127.0.0.1:8080/search")
    assert optional_http_url("MVIDARR_SEARCH_URL") == "http://127.0.0.1:8080/search"
    monkeypatch.setenv("MVIDARR_SEARCH_URL", "ftp://search.example/")
    with pytest.raises(ConfigError, match=r"^MVIDARR_SEARCH_URL .* is not a web address"):
        optional_http_url("MVIDARR_SEARCH_URL")
    assert env_fraction("MVIDARR_RESOLVE_THRESHOLD", 0.7) == 0.7
    monkeypatch.setenv("MVIDARR_RESOLVE_THRESHOLD", "0.85")
    assert env_fraction("MVIDARR_RESOLVE_THRESHOLD", 0.7) == 0.85
    for bad, words in (
        ("1.5", "a number from 0 to 1"),
        ("-0.1", "at least 0"),
        ("high", "a number"),
    ):
        monkeypatch.setenv("MVIDARR_RESOLVE_THRESHOLD", bad)
        with pytest.raises(ConfigError, match=f"MVIDARR_RESOLVE_THRESHOLD must be {words}"):
            env_fraction("MVIDARR_RESOLVE_THRESHOLD", 0.7)


def test_env_helpers_parse_and_reject(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    monkeypatch.setenv("X_NUM", "12")
    assert env_bool("X_FLAG") is True
    assert env_int("X_NUM", 3) == 12
    assert env_int("X_MISSING", 3) == 3
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ConfigError, match="X_NUM must be a whole number"):
        env_int("X_NUM", 3)
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigError, match="X_FLAG must be true or false"):
        env_bool("X_FLAG")


def test_settings_read_library_and_hosts_from_the_environment(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.LIBRARY_ROOT); "
        "print(settings.ALLOWED_HOSTS); print(settings.REDIS_URL)",
        MVIDARR_LIBRARY=str(tmp_path / "lib"),
        ALLOWED_HOSTS="music.home,localhost",
        REDIS_URL="redis://10.1.2.3:6379/4",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        str(tmp_path / "lib"),
        "['music.home', 'localhost']",
        "redis://10.1.2.3:6379/4",
    ]


def test_the_web_server_listens_where_host_and_mvidarr_http_port_say():
    code = "from django.conf import settings; print(settings.WEB_HOST, settings.WEB_PORT)"

    chosen = run_manage(
        "shell", "--no-imports", "-c", code, HOST="0.0.0.0", MVIDARR_HTTP_PORT="9001"
    )
    unset = run_manage("shell", "--no-imports", "-c", code, HOST="", MVIDARR_HTTP_PORT="")

    assert chosen.stdout.split() == ["0.0.0.0", "9001"], chosen.stderr
    assert unset.stdout.split() == ["127.0.0.1", "8000"], unset.stderr


def test_a_malformed_http_port_stops_start_up_with_one_sentence():
    result = run_manage("check", MVIDARR_HTTP_PORT="eighty")

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "mvidarr: MVIDARR_HTTP_PORT must be a whole number, not 'eighty'."
    )


def _environment_reads(path: Path) -> list[str]:
    """Where ``path`` reads os.environ or os.getenv, other than handing the whole environment
    to a child process (``{**os.environ, ...}``) or setting DJANGO_SETTINGS_MODULE."""
    tree = ast.parse(path.read_text(), filename=str(path))
    passed_on = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key, value in zip(node.keys, node.values, strict=True)
        if key is None
    }
    setdefaults = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "DJANGO_SETTINGS_MODULE"
    }
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"environ", "getenv"}
        and id(node) not in passed_on | setdefaults
    ]


def test_only_mvidarr_config_reads_the_environment():
    files = [ROOT / "manage.py"]
    for app in ("mvidarr", "videos", "jobs"):
        files += (ROOT / app).rglob("*.py")

    reads = [read for path in files for read in _environment_reads(path)]

    assert {read.partition(":")[0] for read in reads} == {"mvidarr/config.py"}


def test_manage_py_with_a_bad_database_url_prints_one_sentence_not_a_traceback():
    result = run_manage("check", DATABASE_URL="oracle://scott:tiger@db/orcl")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("mvidarr: DATABASE_URL")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "tiger" not in result.stderr


def test_preflight_with_an_unreachable_database_says_so_in_one_sentence():
    result = run_manage("preflight", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Cannot reach the postgresql database 'none'" in result.stderr


def test_preflight_makes_the_library_folder_of_a_fresh_install(tmp_path, settings):
    library = tmp_path / "var" / "library"
    result = run_manage(
        "preflight",
        MVIDARR_LIBRARY=str(library),
        REDIS_URL=settings.REDIS_URL,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert library.is_dir()


def test_preflight_with_an_unreachable_redis_says_so_in_one_sentence(tmp_path):
    result = run_manage(
        "preflight",
        REDIS_URL="redis://127.0.0.1:1/0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Cannot reach Redis at redis://127.0.0.1:1/0" in result.stderr
