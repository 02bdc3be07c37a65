"""Django's SQLite backend, with one writer per process at a time.

SQLite lets one connection write at a time (transactions begin IMMEDIATE: the write lock is
taken at BEGIN), and a connection that finds it taken sleeps and tries again, up to 100 ms
between tries, for as long as the busy timeout. With a worker's dozens of threads all trying
that way, a web request's write lost round after round: under the adds benchmark (issue 23,
``bench/lockprobe.py``) requests waited up to 12 s at BEGIN while each worker transaction,
short in itself, held the lock for 40-70 ms on average on a busy machine.

Here the threads of one process take a process-wide lock before they BEGIN and leave it at
the commit or rollback: they queue in turn (a thread waiting on it sleeps, and wakes the
moment it is free), and at most one connection per process contends for SQLite's lock — a
handful of contenders (the web processes, the workers, the scheduler) instead of a hundred.
The turn is waited for at most the busy timeout, after which SQLite's own lock decides as
before. Reads never take it; nor does a write outside a transaction (autocommit): it is one
statement, and SQLite's own lock is enough.
"""

from __future__ import annotations

import threading

from django.db.backends.sqlite3 import base

# One per process: every thread's connection shares it.
WRITE_TURN = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_turn = False

    def _start_transaction_under_autocommit(self) -> None:
        # Waited for at most as long as SQLite's busy timeout; past that, SQLite's own lock
        # decides as it did before (a transaction left open by the same thread, as a test's
        # transaction is, must not hang another thread forever).
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        self._holds_write_turn = WRITE_TURN.acquire(timeout=timeout)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_write_turn()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._leave_write_turn()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_write_turn()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_write_turn()

    def _leave_write_turn(self) -> None:
        if self._holds_write_turn:
            self._holds_write_turn = False
            WRITE_TURN.release()
