from typing import Any

from django.utils import timezone

from sinergi.forums.models import Forum
from sinergi.forums.states import ForumStatus
from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.models import Meeting
from sinergi.meetings.states import MeetingStatus


def home_summary() -> dict[str, Any]:
    now = timezone.now()
    return {
        "active_forums": Forum.objects.filter(status=ForumStatus.ACTIVE)
        .select_related("convener")
        .order_by("name")[:6],
        "forum_count": Forum.objects.filter(status=ForumStatus.ACTIVE).count(),
        "upcoming_meetings": Meeting.objects.filter(starts_at__gte=now)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("forum")
        .order_by("starts_at")[:5],
        "recent_log": LedgerEntry.objects.order_by("-sequence")[:5],
    }
