"""The settings store: defaults, validation, the environment winning, one cache shared by
every process (a real second process), and the database while Redis is down."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from mvidarr.children import ROOT
from mvidarr.config import ConfigError
from preferences import store
from preferences.models import Setting
from preferences.registry import UnknownSetting
from preferences.selectors import setting_get, setting_source, setting_states
from preferences.services import setting_reset, setting_set
from tests.processes import process_env, run_manage_py

READER = """
import sys
from preferences.selectors import setting_get
for line in sys.stdin:
    print(repr(setting_get(line.strip())), flush=True)
"""


class SettingsReader:
    """A second MVidarr process that reads a setting whenever it is asked."""

    def __init__(self) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", READER],
            cwd=ROOT,
            env=process_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def get(self, key: str) -> str:
        self.popen.stdin.write(key + "\n")
        self.popen.stdin.flush()
        line = self.popen.stdout.readline()
        assert line, self.popen.stderr.read()
        return line.strip()

    def close(self) -> None:
        self.popen.stdin.close()
        self.popen.wait(30)


@pytest.fixture
def reader(transactional_db):
    process = SettingsReader()
    yield process
    process.close()


def test_an_unset_setting_has_its_default(db):
    assert setting_get("naming.file") == "{title} [{source_id}]"
    assert setting_get("sidecars.tags") is False
    assert setting_source("sidecars.tags") == "default"


def test_a_stored_value_is_read_back_with_its_source_and_author(db, boss):
    assert setting_set("sidecars.nfo", False, user=boss) is False
    assert setting_get("sidecars.nfo") is False
    assert setting_source("sidecars.nfo") == "settings"
    assert Setting.objects.get(key="sidecars.nfo").updated_by == boss


def test_a_reset_setting_has_its_default_again(db, boss):
    setting_set("sidecars.nfo", False, user=boss)
    setting_reset("sidecars.nfo", user=boss)
    assert (setting_get("sidecars.nfo"), setting_source("sidecars.nfo")) == (True, "default")


def test_an_unknown_key_is_named_with_the_known_ones(db, boss):
    with pytest.raises(UnknownSetting) as error:
        setting_get("naming.fiel")
    assert "There is no setting 'naming.fiel'" in str(error.value)
    assert "naming.file" in str(error.value)
    with pytest.raises(UnknownSetting):
        setting_set("naming.fiel", "x", user=boss)
    assert not Setting.objects.exists()


@pytest.mark.parametrize(
    ("key", "value", "sentence"),
    [
        ("sidecars.nfo", "yes", "Choose true or false, not 'yes'."),
        ("sidecars.tags", 1, "Choose true or false, not 1."),
        ("naming.file", "   ", "The file name template cannot be empty: use {title} at least."),
        ("naming.artist_folder", ["{artist}"], "The artist folder template must be text."),
    ],
)
def test_a_value_the_setting_refuses_is_a_sentence_and_nothing_is_stored(
    db, boss, key, value, sentence
):
    with pytest.raises(ValidationError) as error:
        setting_set(key, value, user=boss)
    assert error.value.messages == [sentence]
    assert not Setting.objects.exists()


def test_the_environment_wins_and_says_so(db, boss, monkeypatch):
    setting_set("sidecars.tags", False, user=boss)
    monkeypatch.setenv("MVIDARR_SIDECARS_TAGS", "yes")
    assert setting_get("sidecars.tags") is True
    assert setting_source("sidecars.tags") == "environment (MVIDARR_SIDECARS_TAGS)"
    state = {state.spec.key: state for state in setting_states()}["sidecars.tags"]
    assert (state.value, state.read_only) == (True, True)


def test_a_setting_the_environment_gives_cannot_be_changed_here(db, boss, monkeypatch):
    monkeypatch.setenv("MVIDARR_NAMING_FILE", "{title}")
    with pytest.raises(ValidationError) as error:
        setting_set("naming.file", "{title} ({year})", user=boss)
    assert error.value.messages == [
        "Video file name is set in the environment (MVIDARR_NAMING_FILE), whose value wins; "
        "change it there."
    ]
    assert not Setting.objects.exists()


def test_an_empty_environment_variable_counts_as_unset(db, monkeypatch):
    monkeypatch.setenv("MVIDARR_SIDECARS_NFO", "")
    assert (setting_get("sidecars.nfo"), setting_source("sidecars.nfo")) == (True, "default")


def test_a_value_in_the_environment_the_setting_refuses_names_the_variable(db, monkeypatch):
    monkeypatch.setenv("MVIDARR_SIDECARS_NFO", "maybe")
    with pytest.raises(ConfigError) as error:
        setting_get("sidecars.nfo")
    assert str(error.value) == (
        "MVIDARR_SIDECARS_NFO (Write an NFO file beside each video): "
        "Write true or false (1/0, yes/no), not 'maybe'."
    )


def test_the_cache_is_what_reads_use_and_a_write_through_the_service_refreshes_it(
    transactional_db, boss
):
    setting_set("naming.file", "{title}", user=boss)
    assert setting_get("naming.file") == "{title}"  # now cached
    # Behind the store's back: reads keep the cached value, so they do not read the database.
    Setting.objects.filter(key="naming.file").update(value="{artist} - {title}")
    assert setting_get("naming.file") == "{title}"
    setting_set("naming.file", "{title} ({year})", user=boss)
    assert setting_get("naming.file") == "{title} ({year})"


def test_values_a_slow_reader_caches_after_a_write_are_not_served(transactional_db, boss):
    setting_set("naming.file", "{title}", user=boss)
    before = cache.get(store.VERSION_KEY)
    setting_set("naming.file", "{artist} - {title}", user=boss)
    # A reader that read the database before that write stores what it read, late.
    cache.set(store.VALUES_KEY, {"version": before, "values": {"naming.file": "{title}"}})
    assert setting_get("naming.file") == "{artist} - {title}"


def test_a_change_is_seen_by_a_running_second_process_without_a_restart(reader, boss):
    assert reader.get("sidecars.tags") == "False"
    assert reader.get("naming.file") == "'{title} [{source_id}]'"

    setting_set("sidecars.tags", True, user=boss)
    setting_set("naming.file", "{artist} - {title}", user=boss)
    assert reader.get("sidecars.tags") == "True"
    assert reader.get("naming.file") == "'{artist} - {title}'"

    setting_reset("sidecars.tags", user=boss)
    assert reader.get("sidecars.tags") == "False"


def test_a_value_read_inside_a_transaction_is_not_cached_for_others(transactional_db, boss):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        setting_set("sidecars.thumb", False, user=boss)
        assert setting_get("sidecars.thumb") is False
        raise Rollback
    assert setting_get("sidecars.thumb") is True


def test_while_redis_is_down_settings_are_read_and_written_in_the_database(
    own_redis, transactional_db, boss
):
    setting_set("sidecars.artist", False, user=boss)
    assert setting_get("sidecars.artist") is False  # cached

    own_redis.stop()
    assert setting_get("sidecars.artist") is False
    setting_set("sidecars.artist", True, user=boss)
    assert setting_get("sidecars.artist") is True
    assert setting_source("sidecars.artist") == "settings"


def test_preflight_stops_a_start_with_a_setting_the_environment_gets_wrong(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "test-only-" + "k3y-" * 12,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MVIDARR_SIDECARS_TAGS": "sometimes",
    }
    result = run_manage_py("preflight", "--skip-redis", env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "CommandError: MVIDARR_SIDECARS_TAGS (Embed tags in mp4, m4a and mkv files): "
        "Write true or false (1/0, yes/no), not 'sometimes'."
    )
