"""The SQLite backend queues writers on a file lock, held from BEGIN to COMMIT/ROLLBACK only."""

import fcntl
import os
import sqlite3
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import ConnectionHandler

from sinergi.core.sqlite_backend import base as backend


@pytest.fixture
def file_connection(tmp_path: Path, django_db_blocker):
    """A connection of its own to a file database, configured as settings.py configures SQLite."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "sinergi.core.sqlite_backend",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                },
            }
        }
    )
    connection = handler["default"]
    with django_db_blocker.unblock():
        yield connection, tmp_path / ("db.sqlite3" + backend.LOCK_SUFFIX)
        connection.close()


def _locked_by_someone(lock_file: Path) -> bool:
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_lock_is_held_for_the_transaction_only(file_connection):
    connection, lock_file = file_connection
    connection.ensure_connection()
    assert lock_file.exists() and not _locked_by_someone(lock_file)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
    connection.set_autocommit(False)
    connection._start_transaction_under_autocommit()
    assert _locked_by_someone(lock_file)
    connection.cursor().execute("INSERT INTO t VALUES (1)")
    connection.commit()
    assert not _locked_by_someone(lock_file)
    connection._start_transaction_under_autocommit()
    assert _locked_by_someone(lock_file)
    connection.rollback()
    assert not _locked_by_someone(lock_file)


def test_lock_is_released_when_begin_fails(file_connection, tmp_path):
    connection, lock_file = file_connection
    connection.ensure_connection()
    other = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a writer that does not use the file lock holds SQLite's lock
    connection.connection.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(Exception, match="locked"):
        connection._start_transaction_under_autocommit()
    assert not _locked_by_someone(lock_file)
    other.execute("ROLLBACK")
    other.close()


def test_checkpoints_run_outside_the_lock_every_so_many_commits(file_connection, monkeypatch):
    connection, _lock_file = file_connection
    monkeypatch.setattr(backend, "CHECKPOINT_EVERY", 3)
    connection.ensure_connection()
    assert connection.connection.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
    counts = []
    for value in range(4):
        connection._start_transaction_under_autocommit()
        connection.cursor().execute("INSERT INTO t VALUES (%s)", [value])
        connection.commit()
        counts.append(connection._commits_since_checkpoint)
    assert counts == [1, 2, 0, 1], "a checkpoint after every third commit, none in between"
    reader = sqlite3.connect(str(connection.settings_dict["NAME"]))
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (4,)
    reader.close()


@pytest.mark.django_db
def test_in_memory_database_has_no_lock_file():
    if connections["default"].vendor != "sqlite":
        pytest.skip("the test database is not SQLite")
    assert connections["default"].is_in_memory_db()
    connections["default"].ensure_connection()
    assert connections["default"]._write_lock_fd is None
