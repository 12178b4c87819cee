"""Delivery of queued notices, run after the transaction that queued them commits (django-tasks)."""

from django_tasks import task


@task()
def notification_deliver(notification_id: int) -> str:
    """One delivery attempt. The argument is the outbox row's id only: the address is read and
    unsealed here, so it never sits in a task queue."""
    from sinergi.notifications.services import notification_attempt

    return notification_attempt(notification_id)
