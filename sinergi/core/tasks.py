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
        _insert_task_row(task, args)
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


def _insert_task_row(task: Any, args: tuple[Any, ...]) -> None:
    """What `DatabaseBackend.enqueue` does (the same row, the same `task_enqueued` signal), with the row
    written by a compiled INSERT: it runs inside the act's transaction, where on SQLite every other
    writer waits, and the ORM's `create()` took several times as long. The signal is sent once the row
    is committed, as that is when the task is enqueued for any worker."""
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult

    from sinergi.core.rows import insert_row

    backend = task.get_backend()
    backend.validate_task(task)
    row: Any = DBTaskResult(
        id=backend._get_id(),  # the backend's configured id function (the model's default otherwise)
        args_kwargs=normalize_json({"args": args, "kwargs": {}}),
        priority=task.priority,
        task_path=task.module_path,
        queue_name=task.queue_name,
        run_after=task.run_after,
        backend_name=backend.alias,
    )
    insert_row(row, using=router.db_for_write(DBTaskResult))
    transaction.on_commit(lambda: task_enqueued.send(type(backend), task_result=row.task_result))
