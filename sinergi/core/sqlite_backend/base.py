"""Django's SQLite backend, with writers queued on an operating-system file lock.

Every write transaction here is `BEGIN IMMEDIATE` (settings), so SQLite lets one writer in at a time.
But a writer that finds the database locked does not wait in a queue: SQLite's busy handler *sleeps*
and retries (1, 2, 5, 10, 15 … 100 ms), so under load an unlucky request keeps losing the race while
others get in — it is not the mean that suffers but the tail. Taking an exclusive `flock` on a file
beside the database before `BEGIN IMMEDIATE`, and releasing it after COMMIT or ROLLBACK, makes
writers wait in the kernel and wake the moment the previous writer finishes. Measured with
`bench/aspirations_submit.py` (3 workers, 16 connections, three runs each): p99 of a submission
105–109 ms instead of 206–432 ms, at the same throughput.

SQLite's own lock stays the guarantee of correctness; the file lock only orders the queue. The kernel
drops it when a process dies, so a killed worker cannot leave it held. Only for a database that is a
file; a connection that cannot open the lock file falls back to SQLite's busy handler alone.
"""

from __future__ import annotations

import fcntl
import os
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base as sqlite3_base

LOCK_SUFFIX = "-writelock"
# SQLite's automatic checkpoint runs at 1,000 WAL pages, about 25 submissions; per connection, with a
# few workers writing, this keeps the WAL within a few tens of megabytes.
CHECKPOINT_EVERY = 40


@lru_cache(maxsize=2048)
def _format_to_qmark(query: str) -> str:
    return sqlite3_base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(sqlite3_base.SQLiteCursorWrapper):
    """Django's cursor, remembering each statement's conversion from "%s" to "?" placeholders: the
    regular expression ran again for every execution, and an application runs the same few hundred
    statements over and over (a submission ~6 times inside the write lock)."""

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _format_to_qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[misc]


class DatabaseWrapper(sqlite3_base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_lock_held = False
    _commits_since_checkpoint = 0

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self._close_write_lock_file()
        self._write_lock_fd = self._open_write_lock_file()
        self._commits_since_checkpoint = 0
        if self._write_lock_fd is not None:
            connection.execute("PRAGMA wal_autocheckpoint=0")  # see _checkpoint_now_and_then
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def _open_write_lock_file(self) -> int | None:
        name = str(self.settings_dict["NAME"] or "")
        if not name or self.is_in_memory_db() or name.startswith("file:"):
            return None
        try:
            # One open file description per connection, so the lock also queues threads of one process.
            return os.open(name + LOCK_SUFFIX, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            return None

    def _start_transaction_under_autocommit(self) -> None:
        if self._write_lock_fd is not None and not self._write_lock_held:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX)
            self._write_lock_held = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._write_lock_held and self._write_lock_fd is not None:
            self._write_lock_held = False
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()
        if self._write_lock_fd is not None:
            self._checkpoint_now_and_then()

    def _checkpoint_now_and_then(self) -> None:
        """Copy the WAL back into the database every CHECKPOINT_EVERY commits of this connection, after
        the file lock is released: SQLite's automatic checkpoint would run inside COMMIT (a few ms of
        copying and an fsync) and keep every other writer waiting in the queue meanwhile. PASSIVE never
        blocks writers or readers; what it cannot copy yet is copied next time."""
        self._commits_since_checkpoint += 1
        if self._commits_since_checkpoint >= CHECKPOINT_EVERY and self.connection is not None:
            self._commits_since_checkpoint = 0
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close_write_lock_file(self) -> None:
        self._release_write_lock()
        if self._write_lock_fd is not None:
            fd, self._write_lock_fd = self._write_lock_fd, None
            os.close(fd)

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._close_write_lock_file()
