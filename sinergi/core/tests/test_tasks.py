"""`enqueue_after_commit`: a task exists exactly when the act that queued it committed."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sinergi.core.tasks import enqueue_after_commit

CALLS: list[int] = []


@task()
def remember(value: int) -> int:
    CALLS.append(value)
    return value


class Rollback(Exception):
    pass


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_inside_the_transaction(database_backend):
    with transaction.atomic():
        enqueue_after_commit(remember, 7)
        # The row is part of the act's transaction: written now, visible to workers at COMMIT.
        assert DBTaskResult.objects.filter(task_path__endswith="remember").count() == 1
    queued = DBTaskResult.objects.get(task_path__endswith="remember")
    assert queued.args_kwargs == {"args": [7], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_database_backend_rolled_back_act_leaves_no_task(database_backend):
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_after_commit(remember, 8)
        raise Rollback
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_immediate_backend_runs_only_after_commit():
    CALLS.clear()
    with transaction.atomic():
        enqueue_after_commit(remember, 9)
        assert CALLS == []
    assert CALLS == [9]
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_after_commit(remember, 10)
        raise Rollback
    assert CALLS == [9]
    assert not DBTaskResult.objects.exists()
