"""Side effects of aspirations, run after the transaction commits (django-tasks)."""

from django_tasks import task


@task()
def aspiration_event_notify(event_id: int) -> int:
    """Tell the reporter, the supporters and the officers concerned about one timeline event.
    Arguments carry only the event id: addresses are read (and unsealed) inside the task."""
    from sinergi.aspirations.notify import notify_event

    return notify_event(event_id)


def notify_after_commit(event_id: int) -> None:
    """Queue the notifications of one timeline event for when the current transaction commits."""
    from sinergi.core.tasks import enqueue_after_commit

    enqueue_after_commit(aspiration_event_notify, event_id)
