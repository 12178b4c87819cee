"""Reads for meetings: every page and API endpoint goes through these (query shape declared here)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sinergi.forums.models import Forum, ForumMember
from sinergi.forums.states import ForumMemberStatus
from sinergi.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesReview,
)
from sinergi.meetings.quorum import QuorumResult, SectorRef, quorum_evaluate
from sinergi.meetings.states import MeetingStatus

UPCOMING = "upcoming"
PAST = "past"
CITY_FEED_PAST = dt.timedelta(days=92)
CITY_FEED_FUTURE = dt.timedelta(days=366)


def meeting_list_public(*, when: str = "", forum_slug: str = "", now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings anyone may see. `when="upcoming"` (not yet ended, soonest first) or `"past"`
    (ended, latest first); anything else lists all, soonest first."""
    now = now or timezone.now()
    meetings = Meeting.objects.select_related("forum", "series").annotate(agenda_count=Count("agenda_items"))
    if forum_slug:
        meetings = meetings.filter(forum__slug=forum_slug.replace("\x00", ""))
    if when == UPCOMING:
        return meetings.filter(ends_at__gte=now).exclude(status=MeetingStatus.CLOSED).order_by("starts_at", "id")
    if when == PAST:
        return meetings.filter(Q(ends_at__lt=now) | Q(status=MeetingStatus.CLOSED)).order_by("-starts_at", "-id")
    return meetings.order_by("starts_at", "id")


def meeting_get(*, uid: uuid.UUID | str) -> Meeting:
    """One meeting with everything its page shows, in a fixed number of queries (404 if unknown)."""
    try:
        uid = uuid.UUID(str(uid))
    except ValueError:
        raise Http404 from None
    queryset = Meeting.objects.select_related("forum", "forum__charter", "series").prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("proposed_by", "proposer_sector").order_by("position", "id"),
        ),
        Prefetch(
            "attendance",
            queryset=Attendance.objects.select_related("member__person", "member__organisation", "sector").order_by(
                "sector__order", "member__person__full_name"
            ),
        ),
    )
    return get_object_or_404(queryset, uid=uid)


def meeting_minutes(*, meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).select_related("drafted_by", "approved_by").first()


def minutes_reviews(*, minutes: Minutes, version: int | None = None) -> QuerySet[MinutesReview]:
    reviews = MinutesReview.objects.filter(minutes=minutes).select_related("member__person", "member__sector")
    if version is not None:
        reviews = reviews.filter(version=version)
    return reviews.order_by("-version", "member__person__full_name")


def meeting_attendance(*, meeting: Meeting) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("member__person", "member__organisation", "sector")
        .order_by("sector__order", "member__person__full_name")
    )


def meeting_attendance_by_sector(*, meeting: Meeting) -> list[dict[str, object]]:
    """Per sector of the roll call: counts of hadir / izin / absen (sectors in their usual order)."""
    rows = (
        Attendance.objects.filter(meeting=meeting)
        .values("sector__code", "sector__name", "sector__order", "sector__is_state")
        .annotate(
            hadir=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            izin=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
            absen=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
            total=Count("id"),
        )
        .order_by("sector__order", "sector__name")
    )
    return [
        {
            "sector_code": row["sector__code"],
            "sector_name": row["sector__name"],
            "is_state": row["sector__is_state"],
            "hadir": row["hadir"],
            "izin": row["izin"],
            "absen": row["absen"],
            "total": row["total"],
        }
        for row in rows
    ]


def meeting_quorum(meeting: Meeting) -> QuorumResult:
    """Quorum of the meeting from its roll call and its forum's charter (see `quorum.py`)."""
    charter = getattr(meeting.forum, "charter", None)
    present = [
        SectorRef(code, name, is_state)
        for code, name, is_state in Attendance.objects.filter(
            meeting=meeting, status=AttendanceStatus.PRESENT
        ).values_list("sector__code", "sector__name", "sector__is_state")
    ]
    total = Attendance.objects.filter(meeting=meeting).count()
    required = (
        [SectorRef(s.code, s.name, s.is_state) for s in charter.quorum_sectors.order_by("order", "name")]
        if charter is not None
        else []
    )
    return quorum_evaluate(
        present_sectors=present,
        members_total=total,
        required_share=charter.quorum_member_share if charter is not None else None,
        required_sectors=required,
    )


def forum_active_members(*, forum: Forum) -> QuerySet[ForumMember]:
    return (
        ForumMember.objects.filter(forum=forum, status=ForumMemberStatus.ACTIVE)
        .select_related("person", "person__user", "organisation", "sector")
        .order_by("sector__order", "person__full_name")
    )


def meeting_invitations(*, meeting: Meeting) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(meeting=meeting)
        .select_related("member__person", "member__sector")
        .order_by("member__sector__order", "member__person__full_name")
    )


def user_invitation(*, meeting: Meeting, user: object) -> Invitation | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return None
    return Invitation.objects.filter(meeting=meeting, member__person=person).select_related("member").first()


# --- iCalendar feeds -----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarContent:
    """What one feed publishes: series masters (with their occurrences) and single meetings."""

    series: list[MeetingSeries]
    occurrences: dict[int, list[Meeting]]
    singles: list[Meeting]


def forum_calendar_meetings(*, forum: Forum) -> QuerySet[Meeting]:
    """Every meeting of one forum, for its iCalendar feed."""
    return Meeting.objects.filter(forum=forum)


def city_calendar_meetings(*, today: dt.date | None = None) -> QuerySet[Meeting]:
    """Meetings of every forum from three months back to twelve months ahead (keeps the feed
    small). A series appears whole when any of its occurrences falls in the window. The window
    moves by whole days so a feed's validators stay stable within a day."""
    today = today or timezone.localdate()
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    in_window = Q(starts_at__gte=midnight - CITY_FEED_PAST, starts_at__lte=midnight + CITY_FEED_FUTURE)
    series_ids = Meeting.objects.filter(in_window, series__isnull=False).values("series_id")
    return Meeting.objects.filter(in_window | Q(series_id__in=series_ids))


def calendar_version(meetings: QuerySet[Meeting]) -> tuple[int, dt.datetime | None]:
    """(number of meetings, latest change): one cheap query for ETag / Last-Modified."""
    summary = meetings.aggregate(count=Count("id"), latest=Max("updated_at"))
    return summary["count"], summary["latest"]


def calendar_content(meetings: QuerySet[Meeting]) -> CalendarContent:
    occurrences: dict[int, list[Meeting]] = {}
    singles: list[Meeting] = []
    series_by_id: dict[int, MeetingSeries] = {}
    for meeting in meetings.select_related("forum", "series").order_by("starts_at", "id"):
        if meeting.series is not None and meeting.recurrence_id is not None:
            series_by_id[meeting.series.pk] = meeting.series
            occurrences.setdefault(meeting.series.pk, []).append(meeting)
        else:
            singles.append(meeting)
    return CalendarContent(
        series=sorted(series_by_id.values(), key=lambda s: (s.starts_at, s.pk)),
        occurrences=occurrences,
        singles=singles,
    )


def forum_by_slug(*, slug: str) -> Forum:
    """404 for anything that cannot be a slug (a NUL would even make PostgreSQL fail)."""
    if not slug or len(slug) > 120 or "\x00" in slug:
        raise Http404
    return get_object_or_404(Forum, slug=slug)


forum_for_calendar = forum_by_slug
