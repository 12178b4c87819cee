"""Queueing side effects so that they happen only when the act that caused them commits."""

from __future__ import annotations

from typing import Any

from django.db import router, transaction

__all__ = ["enqueue_after_commit"]


def enqueue_after_commit(task: Any, *args: Any) -> None:
    """Queue `task(*args)` to run once the current transaction commits, and never if it rolls back.

    With the database task backend on the database being written (production), the task row is
    inserted inside the transaction itself: a transactional outbox. It becomes visible to the worker at
    the same instant as the act, a crash between COMMIT and the enqueue cannot lose it, and the act and
    its task cost one commit instead of two. Any other backend (the immediate backend of tests and the
    demo runs the task on the spot) is called from `on_commit`.
    """
    if _queues_in_this_transaction(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _queues_in_this_transaction(task: Any) -> bool:
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the package is a pinned dependency
        return False
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    alias = router.db_for_write(DBTaskResult)
    return transaction.get_connection(alias).in_atomic_block
