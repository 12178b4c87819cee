"""Side effects of aspirations, run after the transaction commits (django-tasks)."""

from django_tasks import task


@task()
def aspiration_event_notify(event_id: int) -> int:
    """Tell the reporter, the supporters and the officers concerned about one timeline event.
    Arguments carry only the event id: addresses are read (and unsealed) inside the task."""
    from sinergi.aspirations.notify import notify_event

    return notify_event(event_id)
