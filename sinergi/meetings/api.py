"""Meetings API: public reads without a token; writes with a token under the same rules as the pages."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.core.errors import RuleViolation
from sinergi.forums.models import ForumMember
from sinergi.meetings import services
from sinergi.meetings.models import AgendaItem, Invitation, Meeting, Minutes
from sinergi.meetings.selectors import (
    forum_by_slug,
    meeting_attendance,
    meeting_attendance_by_sector,
    meeting_get,
    meeting_list_public,
    meeting_minutes,
    meeting_quorum,
    minutes_reviews,
    user_invitation,
)

router = Router()

MAX_ID = 2**62


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini untuk rapat ini."))


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise RuleViolation(_("Waktu harus menyertakan zona waktu (mis. +07:00)."), code="invalid_time")
    return moment


# --- Schemas ---------------------------------------------------------------------------------


class MeetingOut(Schema):
    uid: uuid.UUID
    title: str
    forum: str = Field(..., alias="forum.slug")
    forum_name: str = Field(..., alias="forum.name")
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    status: str
    is_quorate: bool | None
    sequence: int
    series: uuid.UUID | None = Field(None, alias="series.uid")
    recurrence_id: dt.datetime | None
    agenda_published_at: dt.datetime | None
    cancellation_reason: str


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    description: str
    kind: str
    proposed_by: str | None = Field(None, alias="proposed_by.full_name")
    proposer_sector: str | None = Field(None, alias="proposer_sector.code")
    outcome: str
    outcome_recorded_at: dt.datetime | None


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]


class AttendanceRowOut(Schema):
    member_id: int
    name: str
    organisation: str | None
    sector: str
    status: str


class SectorCountOut(Schema):
    sector_code: str
    sector_name: str
    hadir: int
    izin: int
    absen: int
    total: int


class AttendanceOut(Schema):
    members: list[AttendanceRowOut]
    by_sector: list[SectorCountOut]


class SectorRefOut(Schema):
    code: str
    name: str


class QuorumOut(Schema):
    is_quorate: bool
    roll_call_taken: bool
    members_total: int
    members_present: int
    present_share_percent: int
    required_share_percent: int
    required_sectors: list[SectorRefOut]
    missing_sectors: list[SectorRefOut]
    requires_non_state_presence: bool
    reasons: list[str]


class ReviewOut(Schema):
    version: int
    member: str = Field(..., alias="member.person.full_name")
    sector: str = Field(..., alias="member.sector.code")
    verdict: str
    comment: str


class MinutesOut(Schema):
    status: str
    version: int
    body: str
    approved_at: dt.datetime | None
    approved_hash: str
    reviews: list[ReviewOut]


class ScheduleIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = Field("", max_length=255)


class SeriesIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    rrule: str = Field(..., min_length=1, max_length=255)
    starts_at: dt.datetime
    duration_minutes: int = Field(120, ge=15, le=1440)
    location: str = Field("", max_length=255)


class SeriesOut(Schema):
    uid: uuid.UUID
    rrule: str
    starts_at: dt.datetime
    meetings: list[uuid.UUID]


class RescheduleIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str | None = Field(None, max_length=255)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class OptionalReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=10000)
    kind: Literal["information", "discussion", "decision"] = "discussion"


class RespondIn(Schema):
    response: Literal["accepted", "declined"]
    # Administrators name the invitation they record an answer for; members leave it out.
    invitation_id: int | None = Field(None, ge=1, le=MAX_ID)


class RespondOut(Schema):
    response: str


class RollCallRowIn(Schema):
    member_id: int = Field(..., ge=1, le=MAX_ID)
    status: Literal["hadir", "izin", "absen"]


class RollCallIn(Schema):
    attendance: list[RollCallRowIn] = Field(..., max_length=2000)


class OutcomeIn(Schema):
    outcome: str = Field(..., min_length=1, max_length=10000)


class MinutesIn(Schema):
    body: str = Field(..., min_length=1, max_length=100_000)


class ReviewIn(Schema):
    verdict: Literal["approve", "request_changes"]
    comment: str = Field("", max_length=5000)
    # Administrators only: record the review of this present member (given on paper, say).
    member_id: int | None = Field(None, ge=1, le=MAX_ID)


class InvitationsOut(Schema):
    invited: int


class ListFilters(Schema):
    when: Literal["upcoming", "past", ""] = ""
    forum: str = Field("", max_length=120)


# --- Reads -----------------------------------------------------------------------------------


def _minutes_out(minutes: Minutes) -> dict[str, Any]:
    return {
        "status": minutes.status,
        "version": minutes.version,
        "body": minutes.body,
        "approved_at": minutes.approved_at,
        "approved_hash": minutes.approved_hash,
        "reviews": list(minutes_reviews(minutes=minutes)),
    }


def _detail(meeting: Meeting) -> Meeting:
    meeting.agenda = list(meeting.agenda_items.all())  # type: ignore[attr-defined]
    return meeting


@router.get("", response=list[MeetingOut], summary="Rapat (akan datang, lampau, atau semua)")
@paginate
def meeting_list(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    return meeting_list_public(when=filters.when, forum_slug=filters.forum)


@router.get("/{uid}", response=MeetingDetailOut, summary="Satu rapat dengan agendanya")
def meeting_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    return _detail(meeting_get(uid=uid))


@router.get("/{uid}/attendance", response=AttendanceOut, summary="Daftar hadir per anggota dan per sektor")
def attendance_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting = meeting_get(uid=uid)
    rows = [
        {
            "member_id": row.member_id,
            "name": row.member.person.full_name,
            "organisation": row.member.organisation.name if row.member.organisation else None,
            "sector": row.sector.code,
            "status": row.status,
        }
        for row in meeting_attendance(meeting=meeting)
    ]
    return {"members": rows, "by_sector": meeting_attendance_by_sector(meeting=meeting)}


@router.get("/{uid}/quorum", response=QuorumOut, summary="Kuorum menurut piagam forum")
def quorum_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    return meeting_quorum(meeting_get(uid=uid))


@router.get("/{uid}/minutes", response=MinutesOut, summary="Notulen rapat dan tinjauannya")
def minutes_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    minutes = meeting_minutes(meeting=meeting_get(uid=uid))
    if minutes is None:
        raise Minutes.DoesNotExist
    return _minutes_out(minutes)


# --- Writes ----------------------------------------------------------------------------------


@router.post("/forums/{slug}/meetings", response={201: MeetingOut}, auth=token_auth, summary="Jadwalkan rapat")
def meeting_schedule(request: HttpRequest, slug: Path[str], payload: ScheduleIn) -> Any:
    forum = forum_by_slug(slug=slug)
    _require(request, "meetings.schedule_meeting", forum)
    meeting = services.meeting_schedule(
        forum=forum,
        title=payload.title,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        location=payload.location,
        actor=request.user,
    )
    return 201, meeting


@router.post("/forums/{slug}/series", response={201: SeriesOut}, auth=token_auth, summary="Buat rapat berulang")
def series_create(request: HttpRequest, slug: Path[str], payload: SeriesIn) -> Any:
    forum = forum_by_slug(slug=slug)
    _require(request, "meetings.schedule_meeting", forum)
    series = services.meeting_series_create(
        forum=forum,
        title=payload.title,
        rrule=payload.rrule,
        starts_at=_aware(payload.starts_at),
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        actor=request.user,
    )
    return 201, {
        "uid": series.uid,
        "rrule": series.rrule,
        "starts_at": series.starts_at,
        "meetings": list(series.meetings.order_by("starts_at").values_list("uid", flat=True)),
    }


@router.post("/{uid}/reschedule", response=MeetingOut, auth=token_auth, summary="Jadwal ulang rapat")
def meeting_reschedule(request: HttpRequest, uid: uuid.UUID, payload: RescheduleIn) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.change_meeting", meeting)
    return services.meeting_reschedule(
        meeting=meeting,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        location=payload.location,
        actor=request.user,
    )


@router.post("/{uid}/cancel", response=MeetingOut, auth=token_auth, summary="Batalkan rapat")
def meeting_cancel(request: HttpRequest, uid: uuid.UUID, payload: ReasonIn) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.cancel_meeting", meeting)
    return services.meeting_cancel(meeting=meeting, reason=payload.reason, actor=request.user)


@router.post("/{uid}/agenda", response={201: AgendaItemOut}, auth=token_auth, summary="Usulkan acara")
def agenda_item_add(request: HttpRequest, uid: uuid.UUID, payload: AgendaItemIn) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.add_agenda_item", meeting)
    item = services.agenda_item_add(
        meeting=meeting, title=payload.title, description=payload.description, kind=payload.kind, actor=request.user
    )
    return 201, item


@router.post("/{uid}/agenda/publish", response=MeetingOut, auth=token_auth, summary="Umumkan agenda")
def agenda_publish(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.publish_agenda", meeting)
    return services.agenda_publish(meeting=meeting, actor=request.user)


@router.post("/{uid}/agenda/{item_id}/outcome", response=AgendaItemOut, auth=token_auth, summary="Catat hasil acara")
def agenda_item_outcome(
    request: HttpRequest, uid: uuid.UUID, payload: OutcomeIn, item_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    meeting = meeting_get(uid=uid)
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__forum"), pk=item_id, meeting=meeting)
    _require(request, "meetings.record_outcome", item)
    return services.agenda_item_record_outcome(item=item, outcome=payload.outcome, actor=request.user)


@router.post("/{uid}/invitations", response={201: InvitationsOut}, auth=token_auth, summary="Kirim undangan")
def invitations_send(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.send_invitations", meeting)
    return 201, {"invited": len(services.meeting_invitations_send(meeting=meeting, actor=request.user))}


@router.post("/{uid}/invitation", response=RespondOut, auth=token_auth, summary="Jawab undangan Anda")
def invitation_respond(request: HttpRequest, uid: uuid.UUID, payload: RespondIn) -> Any:
    meeting = meeting_get(uid=uid)
    if payload.invitation_id is not None:
        invitation = Invitation.objects.filter(meeting=meeting, pk=payload.invitation_id).first()
    else:
        invitation = user_invitation(meeting=meeting, user=request.user)
    if invitation is None or not request.user.has_perm("meetings.respond_invitation", invitation):
        raise PermissionDenied(_("Anda tidak diundang ke rapat ini."))
    invitation = services.invitation_respond(invitation=invitation, response=payload.response, actor=request.user)
    return {"response": invitation.response}


@router.post("/{uid}/open", response=MeetingOut, auth=token_auth, summary="Buka rapat")
def meeting_open(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.run_meeting", meeting)
    return services.meeting_open(meeting=meeting, actor=request.user)


@router.post("/{uid}/close", response=MeetingOut, auth=token_auth, summary="Tutup rapat")
def meeting_close(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.run_meeting", meeting)
    return services.meeting_close(meeting=meeting, actor=request.user)


@router.put("/{uid}/attendance", response=QuorumOut, auth=token_auth, summary="Catat daftar hadir (semua anggota)")
def attendance_record(request: HttpRequest, uid: uuid.UUID, payload: RollCallIn) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.record_attendance", meeting)
    statuses: dict[int, str] = {row.member_id: row.status for row in payload.attendance}
    if len(statuses) != len(payload.attendance):
        raise RuleViolation(_("Setiap anggota hanya boleh muncul sekali dalam daftar hadir."), code="duplicate_member")
    services.attendance_record(meeting=meeting, statuses=statuses, actor=request.user)
    return meeting_quorum(meeting)


def _meeting_minutes(uid: uuid.UUID) -> tuple[Meeting, Minutes]:
    meeting = meeting_get(uid=uid)
    return meeting, get_object_or_404(Minutes.objects.select_related("meeting__forum"), meeting=meeting)


@router.post("/{uid}/minutes", response={201: MinutesOut}, auth=token_auth, summary="Susun notulen")
def minutes_draft(request: HttpRequest, uid: uuid.UUID, payload: MinutesIn) -> Any:
    meeting = meeting_get(uid=uid)
    _require(request, "meetings.draft_minutes", meeting)
    return 201, _minutes_out(services.minutes_draft(meeting=meeting, body=payload.body, actor=request.user))


@router.put("/{uid}/minutes", response=MinutesOut, auth=token_auth, summary="Ubah draf notulen")
def minutes_update(request: HttpRequest, uid: uuid.UUID, payload: MinutesIn) -> Any:
    meeting, minutes = _meeting_minutes(uid)
    _require(request, "meetings.draft_minutes", meeting)
    return _minutes_out(services.minutes_update(minutes=minutes, body=payload.body, actor=request.user))


@router.post("/{uid}/minutes/submit", response=MinutesOut, auth=token_auth, summary="Ajukan notulen untuk ditinjau")
def minutes_submit(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting, minutes = _meeting_minutes(uid)
    _require(request, "meetings.draft_minutes", meeting)
    return _minutes_out(services.minutes_submit_for_review(minutes=minutes, actor=request.user))


@router.post("/{uid}/minutes/review", response=MinutesOut, auth=token_auth, summary="Tinjau notulen")
def minutes_review(request: HttpRequest, uid: uuid.UUID, payload: ReviewIn) -> Any:
    meeting, minutes = _meeting_minutes(uid)
    _require(request, "meetings.review_minutes", meeting)
    member = None
    if payload.member_id is not None:
        member = get_object_or_404(ForumMember, pk=payload.member_id, forum_id=meeting.forum_id)
    services.minutes_review(
        minutes=minutes, verdict=payload.verdict, comment=payload.comment, member=member, actor=request.user
    )
    minutes.refresh_from_db()
    return _minutes_out(minutes)


@router.post("/{uid}/minutes/approve", response=MinutesOut, auth=token_auth, summary="Sahkan notulen")
def minutes_approve(request: HttpRequest, uid: uuid.UUID) -> Any:
    meeting, minutes = _meeting_minutes(uid)
    _require(request, "meetings.approve_minutes", meeting)
    return _minutes_out(services.minutes_approve(minutes=minutes, actor=request.user))


@router.post("/{uid}/minutes/return", response=MinutesOut, auth=token_auth, summary="Kembalikan notulen ke draf")
def minutes_return(request: HttpRequest, uid: uuid.UUID, payload: OptionalReasonIn) -> Any:
    meeting, minutes = _meeting_minutes(uid)
    _require(request, "meetings.draft_minutes", meeting)
    return _minutes_out(services.minutes_return_to_draft(minutes=minutes, reason=payload.reason, actor=request.user))
