"""On SQLite the threads of a process take turns to write: a transaction holds the turn from
BEGIN to its commit or rollback, and gives it back either way."""

import threading

import pytest
from django.db import connection, transaction

from mvidarr.config import database_config
from mvidarr.sqlite3.base import WRITE_TURN
from videos.models import Artist


def test_the_write_turn_is_on_by_default_and_can_be_turned_off(tmp_path, monkeypatch):
    path = tmp_path / "db.sqlite3"
    assert database_config(None, default_sqlite=path, test_name="x")["ENGINE"] == "mvidarr.sqlite3"
    monkeypatch.setenv("MVIDARR_SQLITE_WRITE_TURN", "off")
    config = database_config(None, default_sqlite=path, test_name="x")
    assert config["ENGINE"] == "django.db.backends.sqlite3"


@pytest.fixture
def sqlite_turns(transactional_db):
    if connection.settings_dict["ENGINE"] != "mvidarr.sqlite3":
        pytest.skip("the write turn is SQLite's")


def test_a_second_writer_waits_for_the_first_ones_commit(sqlite_turns):
    order = []
    inside = threading.Event()

    def second() -> None:
        inside.wait(10)
        with transaction.atomic():
            order.append("second began")
            Artist.objects.create(name="Second")
        connection.close()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        Artist.objects.create(name="First")
        inside.set()
        thread.join(0.3)  # the second writer is waiting for its turn meanwhile
        assert thread.is_alive() and WRITE_TURN.locked()
        order.append("first commits")
    thread.join(10)
    assert order == ["first commits", "second began"]
    assert not WRITE_TURN.locked()


def test_a_rolled_back_transaction_gives_the_turn_back(sqlite_turns):
    with pytest.raises(RuntimeError), transaction.atomic():
        Artist.objects.create(name="Gone")
        raise RuntimeError("rolled back")
    assert not WRITE_TURN.locked()
    assert not Artist.objects.filter(name="Gone").exists()
