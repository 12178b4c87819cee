"""Permission-matrix rows of the meetings app.

Set-up on the matrix forum (`context.cache["forum"]`, convened by the opd_officer's
organisation, with forum_secretariat as its secretariat): the forum is made active and the
swasta persona gets an active (plain member) seat, so the rows show that any member of any
sector tables agenda items and reviews minutes (C3) while only stewards run meetings. Each
subject call builds a fresh meeting, so the page and API attempts do not interfere.
"""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.forums.models import Forum, ForumMember
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Invitation,
    Meeting,
    Minutes,
    MinutesReview,
    MinutesReviewVerdict,
)
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only

STEWARDS = only("opd_officer", "forum_secretariat", "administrator")
MEMBERS = only("swasta", "forum_secretariat")
MEMBERS_AND_ADMIN = MEMBERS | only("administrator")
JSON = "application/json"


def _forum(ctx: MatrixContext) -> Forum:
    forum: Forum = ctx.cache["forum"]
    if not ctx.cache.get("meetings_ready"):
        Forum.objects.filter(pk=forum.pk).update(status=ForumStatus.ACTIVE)
        forum.refresh_from_db()
        swasta = ctx.personas["swasta"]
        ForumMember.objects.get_or_create(
            forum=forum,
            person=swasta.person,
            defaults={
                "organisation": swasta.organisation,
                "sector": swasta.organisation.sector,
                "status": ForumMemberStatus.ACTIVE,
                "joined_at": timezone.now(),
            },
        )
        ctx.cache["meetings_ready"] = True
    return forum


def _seat(ctx: MatrixContext, role: str) -> ForumMember:
    return ForumMember.objects.get(forum=_forum(ctx), person=ctx.personas[role].person)


def _meeting(ctx: MatrixContext, status: str = MeetingStatus.SCHEDULED) -> Meeting:
    start = (timezone.now() + dt.timedelta(days=14)).replace(second=0, microsecond=0)
    return Meeting.objects.create(
        forum=_forum(ctx),
        title="Rapat matriks",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Aula",
        status=status,
    )


def _with_item(ctx: MatrixContext, status: str = MeetingStatus.SCHEDULED) -> Meeting:
    meeting = _meeting(ctx, status)
    AgendaItem.objects.create(meeting=meeting, title="Laporan", kind=AgendaItemKind.INFORMATION)
    return meeting


def _in_session_item(ctx: MatrixContext) -> AgendaItem:
    meeting = _meeting(ctx, MeetingStatus.IN_SESSION)
    return AgendaItem.objects.create(meeting=meeting, title="Laporan", kind=AgendaItemKind.INFORMATION)


def _invitation(ctx: MatrixContext) -> Invitation:
    return Invitation.objects.create(meeting=_meeting(ctx), member=_seat(ctx, "swasta"), sent_at=timezone.now())


def _minutes_in_review(ctx: MatrixContext, *, approved_by_secretariat: bool = False) -> Meeting:
    """A closed meeting where forum_secretariat and swasta were present, minutes in review."""
    meeting = _meeting(ctx, MeetingStatus.CLOSED)
    for role in ("forum_secretariat", "swasta"):
        seat = _seat(ctx, role)
        Attendance.objects.create(meeting=meeting, member=seat, sector=seat.sector, status=AttendanceStatus.PRESENT)
    minutes = Minutes.objects.create(meeting=meeting, body="Notulen rapat matriks.", status=MinutesStatus.IN_REVIEW)
    if approved_by_secretariat:
        for role in ("forum_secretariat", "swasta"):
            MinutesReview.objects.create(
                minutes=minutes, member=_seat(ctx, role), version=1, verdict=MinutesReviewVerdict.APPROVE
            )
    return meeting


def _page_user(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _token_user(client: Client) -> str | None:
    response = client.get("/api/v1/accounts/me")
    if response.status_code != 200:
        return None
    from sinergi.accounts.models import User

    return str(User.objects.get(username=response.json()["username"]).pk)


def _on_behalf(ctx: MatrixContext, user_id: str | None, field: str) -> dict[str, int]:
    """The administrator reviews on behalf of a present member; members review for themselves."""
    admin = ctx.personas["administrator"].user
    if user_id is not None and str(admin.pk) == str(user_id):
        return {field: _seat(ctx, "swasta").pk}
    return {}


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _iso(days: int, hour: int) -> str:
    return _local(days, hour) + ":00+07:00"


def _roll_call_form(meeting: Meeting) -> dict[str, str]:
    members = ForumMember.objects.filter(forum=meeting.forum, status=ForumMemberStatus.ACTIVE)
    return {f"member_{member.pk}": "hadir" for member in members}


def _roll_call_json(meeting: Meeting) -> dict[str, Any]:
    members = ForumMember.objects.filter(forum=meeting.forum, status=ForumMemberStatus.ACTIVE)
    return {"attendance": [{"member_id": member.pk, "status": "hadir"} for member in members]}


def _url(name: str, meeting: Meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.uid])


def _api(meeting: Meeting, suffix: str = "") -> str:
    return f"/api/v1/meetings/{meeting.uid}{suffix}"


def _schedule_page(client: Client, ctx: MatrixContext, forum: Forum) -> Any:
    return client.post(
        reverse("meetings:schedule", args=[forum.slug]),
        {"title": "Rapat baru", "starts_at": _local(10, 9), "ends_at": _local(10, 11), "location": "Aula"},
    )


def _schedule_api(client: Client, ctx: MatrixContext, forum: Forum) -> Any:
    body = {"title": "Rapat baru", "starts_at": _iso(10, 9), "ends_at": _iso(10, 11)}
    return client.post(f"/api/v1/meetings/forums/{forum.slug}/meetings", body, content_type=JSON)


ACTIONS = [
    MatrixAction(
        perm="meetings.view_meeting",
        allowed=everyone_but(),
        subject=_with_item,
        page=lambda client, ctx, meeting: client.get(_url("detail", meeting)),
        api=lambda client, ctx, meeting: client.get(_api(meeting)),
    ),
    MatrixAction(
        perm="meetings.schedule_meeting",
        allowed=STEWARDS,
        subject=_forum,
        page=_schedule_page,
        api=_schedule_api,
    ),
    MatrixAction(
        perm="meetings.change_meeting",
        allowed=STEWARDS,
        subject=_meeting,
        page=lambda client, ctx, meeting: client.post(
            _url("reschedule", meeting), {"starts_at": _local(20, 13), "ends_at": _local(20, 15), "location": "Aula"}
        ),
        api=lambda client, ctx, meeting: client.post(
            _api(meeting, "/reschedule"), {"starts_at": _iso(20, 13), "ends_at": _iso(20, 15)}, content_type=JSON
        ),
    ),
    MatrixAction(
        perm="meetings.cancel_meeting",
        allowed=STEWARDS,
        subject=_meeting,
        page=lambda client, ctx, meeting: client.post(_url("cancel", meeting), {"reason": "Ditunda"}),
        api=lambda client, ctx, meeting: client.post(
            _api(meeting, "/cancel"), {"reason": "Ditunda"}, content_type=JSON
        ),
    ),
    MatrixAction(
        perm="meetings.add_agenda_item",
        allowed=STEWARDS | MEMBERS,
        subject=_meeting,
        page=lambda client, ctx, meeting: client.post(
            _url("agenda_add", meeting), {"title": "Usulan", "kind": "discussion"}
        ),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/agenda"), {"title": "Usulan"}, content_type=JSON),
    ),
    MatrixAction(
        perm="meetings.publish_agenda",
        allowed=STEWARDS,
        subject=_with_item,
        page=lambda client, ctx, meeting: client.post(_url("agenda_publish", meeting)),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/agenda/publish")),
    ),
    MatrixAction(
        perm="meetings.send_invitations",
        allowed=STEWARDS,
        subject=_meeting,
        page=lambda client, ctx, meeting: client.post(_url("invitations_send", meeting)),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/invitations")),
    ),
    MatrixAction(
        perm="meetings.respond_invitation",
        allowed=only("swasta", "administrator"),
        subject=_invitation,
        page=lambda client, ctx, invitation: client.post(
            _url("invitation_respond", invitation.meeting), {"response": "accepted", "invitation": invitation.pk}
        ),
        api=lambda client, ctx, invitation: client.post(
            _api(invitation.meeting, "/invitation"),
            {"response": "accepted", "invitation_id": invitation.pk},
            content_type=JSON,
        ),
    ),
    MatrixAction(
        perm="meetings.run_meeting",
        allowed=STEWARDS,
        subject=lambda ctx: _with_item(ctx, MeetingStatus.AGENDA_PUBLISHED),
        page=lambda client, ctx, meeting: client.post(_url("open", meeting)),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/open")),
    ),
    MatrixAction(
        perm="meetings.record_attendance",
        allowed=STEWARDS,
        subject=lambda ctx: _meeting(ctx, MeetingStatus.IN_SESSION),
        page=lambda client, ctx, meeting: client.post(_url("attendance", meeting), _roll_call_form(meeting)),
        api=lambda client, ctx, meeting: client.put(
            _api(meeting, "/attendance"), _roll_call_json(meeting), content_type=JSON
        ),
    ),
    MatrixAction(
        perm="meetings.record_outcome",
        allowed=STEWARDS,
        subject=_in_session_item,
        page=lambda client, ctx, item: client.post(
            reverse("meetings:outcome", args=[item.meeting.uid, item.pk]), {"outcome": "Diterima"}
        ),
        api=lambda client, ctx, item: client.post(
            _api(item.meeting, f"/agenda/{item.pk}/outcome"), {"outcome": "Diterima"}, content_type=JSON
        ),
    ),
    MatrixAction(
        perm="meetings.draft_minutes",
        allowed=STEWARDS,
        subject=lambda ctx: _meeting(ctx, MeetingStatus.CLOSED),
        page=lambda client, ctx, meeting: client.post(_url("minutes_edit", meeting), {"body": "Notulen"}),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/minutes"), {"body": "Notulen"}, content_type=JSON),
    ),
    MatrixAction(
        perm="meetings.review_minutes",
        allowed=MEMBERS_AND_ADMIN,
        subject=_minutes_in_review,
        page=lambda client, ctx, meeting: client.post(
            _url("minutes_review", meeting), {"verdict": "approve", **_on_behalf(ctx, _page_user(client), "member")}
        ),
        api=lambda client, ctx, meeting: client.post(
            _api(meeting, "/minutes/review"),
            {"verdict": "approve", **_on_behalf(ctx, _token_user(client), "member_id")},
            content_type=JSON,
        ),
    ),
    MatrixAction(
        perm="meetings.approve_minutes",
        allowed=STEWARDS,
        subject=lambda ctx: _minutes_in_review(ctx, approved_by_secretariat=True),
        page=lambda client, ctx, meeting: client.post(_url("minutes_approve", meeting)),
        api=lambda client, ctx, meeting: client.post(_api(meeting, "/minutes/approve")),
    ),
]
