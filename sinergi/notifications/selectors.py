"""Reads of the outbox. None of them returns the sealed address column."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sinergi.notifications.models import Notification
from sinergi.notifications.states import NotificationChannel, NotificationStatus

# Everything but the sealed address and sealed body: listing pages never unseal anything.
LISTED_FIELDS = (
    "pk",
    "channel",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "subject_type",
    "subject_id",
    "created_at",
    "sent_at",
)
FAILED_SHOWN = 50


def notifications_for_user(user: Any) -> QuerySet[Notification]:
    """Notices addressed to this account, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).only(*LISTED_FIELDS).order_by("-created_at", "-pk")


def notification_overview() -> dict[str, Any]:
    """Counts per status and channel, how many are due now, and the latest failures."""
    now = timezone.now()
    status_counts = {
        row["status"]: row["n"] for row in Notification.objects.values("status").annotate(n=Count("pk")).order_by()
    }
    channel_rows = Notification.objects.values("channel").annotate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=NotificationStatus.SENT)),
        failed=Count("pk", filter=Q(status=NotificationStatus.FAILED)),
        skipped=Count("pk", filter=Q(status=NotificationStatus.SKIPPED)),
        queued=Count("pk", filter=Q(status=NotificationStatus.QUEUED)),
    )
    by_channel = {row["channel"]: row for row in channel_rows.order_by()}
    due = Notification.objects.filter(status=NotificationStatus.QUEUED, next_attempt_at__lte=now).count()
    failed = list(
        Notification.objects.filter(status=NotificationStatus.FAILED)
        .only(*LISTED_FIELDS)
        .order_by("-created_at", "-pk")[:FAILED_SHOWN]
    )
    return {
        "statuses": [(status, status_counts.get(status.value, 0)) for status in NotificationStatus],
        "channels": [(channel, by_channel.get(channel.value)) for channel in NotificationChannel],
        "due_now": due,
        "failed": failed,
        "total": sum(status_counts.values()),
    }
