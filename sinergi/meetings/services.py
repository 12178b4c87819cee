"""Writes for meetings (criterion C4): schedule, agenda, invitations, roll call, quorum,
outcomes and minutes. Each service writes exactly one public log entry; refusals write none.

First meeting of a draft forum: a forum still in draft may hold exactly one single meeting
(the constitutive meeting that agrees the charter and seats). Series, and any further meeting,
need an active forum. A closed forum schedules nothing.
"""

import datetime as dt
import hashlib
import math
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.actors.models import Person
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.forums.models import Forum, ForumMember
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesReview,
    MinutesReviewVerdict,
)
from sinergi.meetings.recurrence import HORIZON_MONTHS, rrule_expand
from sinergi.meetings.selectors import forum_active_members, meeting_quorum
from sinergi.meetings.states import MEETING_TRANSITIONS, MINUTES_TRANSITIONS, MeetingStatus, MinutesStatus

MAX_DURATION = dt.timedelta(hours=24)
MAX_AHEAD = dt.timedelta(days=5 * 366)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _record(event: LedgerEvent, actor: Any, meeting: Meeting, data: dict[str, Any]) -> None:
    ledger_record(
        event=event,
        actor=actor,
        subject_type="meeting",
        subject_id=str(meeting.uid),
        data={"forum": meeting.forum.slug, **data},
    )


def _person_of(actor: Any) -> Person | None:
    return getattr(actor, "person", None) if actor is not None else None


def _locked(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock so two concurrent changes cannot both pass a check."""
    return Meeting.objects.select_for_update().select_related("forum").get(pk=meeting.pk)


def _to_minute(moment: dt.datetime) -> dt.datetime:
    """Meetings are scheduled to the minute (iCalendar keeps no fractions of a second)."""
    return moment.replace(second=0, microsecond=0)


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise RuleViolation(_("Waktu rapat harus menyertakan zona waktu."), code="invalid_time")
    if ends_at <= starts_at:
        raise RuleViolation(_("Waktu selesai harus sesudah waktu mulai."), code="invalid_time")
    if ends_at - starts_at > MAX_DURATION:
        raise RuleViolation(_("Satu rapat paling lama 24 jam."), code="invalid_time")
    _check_start(starts_at)


def _check_start(starts_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise RuleViolation(_("Waktu rapat harus menyertakan zona waktu."), code="invalid_time")
    now = timezone.now()
    if starts_at <= now:
        raise RuleViolation(_("Waktu mulai rapat harus di masa depan."), code="invalid_time")
    if starts_at > now + MAX_AHEAD:
        raise RuleViolation(_("Rapat dijadwalkan paling jauh lima tahun ke depan."), code="invalid_time")


def _refuse_nul(*values: str | None) -> None:
    """A NUL character cannot be stored (PostgreSQL refuses it); say so instead of failing."""
    if any(value and "\x00" in value for value in values):
        raise RuleViolation(_("Teks tidak boleh memuat karakter NUL."), code="invalid_text")


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RuleViolation(_("Judul rapat wajib diisi."), code="invalid_title")
    if len(title) > 200:
        raise RuleViolation(_("Judul rapat paling panjang 200 karakter."), code="invalid_title")
    return title


def _check_location(location: str) -> str:
    location = (location or "").strip()
    if len(location) > 255:
        raise RuleViolation(_("Tempat rapat paling panjang 255 karakter."), code="invalid_location")
    return location


# --- Scheduling ------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    forum: Forum,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    actor: Any,
) -> Meeting:
    """A single meeting. Active forum; or a draft forum's one constitutive meeting (see module doc)."""
    _refuse_nul(title, location)
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.status == ForumStatus.CLOSED:
        raise RuleViolation(_("Forum sudah ditutup; rapat baru tidak dapat dijadwalkan."), code="forum_closed")
    if forum.status == ForumStatus.DRAFT and forum.meetings.exclude(status=MeetingStatus.CANCELLED).exists():
        raise RuleViolation(
            _("Forum masih draf: hanya satu rapat pembentukan yang dapat dijadwalkan sebelum forum aktif."),
            code="forum_draft",
        )
    title = _check_title(title)
    _check_times(starts_at, ends_at)
    starts_at, ends_at = _to_minute(starts_at), _to_minute(ends_at)
    charter = getattr(forum, "charter", None)
    meeting = Meeting.objects.create(
        forum=forum,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=_check_location(location) or (charter.default_location if charter else ""),
    )
    _record(
        LedgerEvent.MEETING_SCHEDULED,
        actor,
        meeting,
        {
            "title": meeting.title,
            "starts_at": _iso(starts_at),
            "ends_at": _iso(ends_at),
            "location": meeting.location,
            "constitutive": forum.status == ForumStatus.DRAFT,
        },
    )
    return meeting


@transaction.atomic
def meeting_series_create(
    *,
    forum: Forum,
    title: str,
    rrule: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    location: str = "",
    horizon_months: int = HORIZON_MONTHS,
    actor: Any,
) -> MeetingSeries:
    """A recurring schedule: validates the RRULE and generates its meetings for the horizon
    (12 months) in one go. The series starts at the rule's first occurrence on or after `starts_at`."""
    _refuse_nul(title, rrule, location)
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.status != ForumStatus.ACTIVE:
        raise RuleViolation(_("Rapat berulang hanya dapat dijadwalkan untuk forum yang aktif."), code="forum_inactive")
    title = _check_title(title)
    location = _check_location(location)
    if not 15 <= duration_minutes <= 24 * 60:
        raise RuleViolation(_("Lama rapat antara 15 menit dan 24 jam."), code="invalid_time")
    _check_start(starts_at)
    expansion = rrule_expand(rrule, dtstart=_to_minute(starts_at), horizon_months=horizon_months)
    duration = dt.timedelta(minutes=duration_minutes)
    charter = getattr(forum, "charter", None)
    location = location or (charter.default_location if charter else "")
    series = MeetingSeries.objects.create(
        forum=forum,
        title=title,
        rrule=expansion.rule,
        starts_at=expansion.occurrences[0],
        duration_minutes=duration_minutes,
        location=location,
        generated_until=expansion.truncated_at,
    )
    Meeting.objects.bulk_create(
        Meeting(
            forum=forum,
            series=series,
            title=title,
            starts_at=moment,
            ends_at=moment + duration,
            location=location,
            recurrence_id=moment,
        )
        for moment in expansion.occurrences
    )
    ledger_record(
        event=LedgerEvent.MEETING_SERIES_CREATED,
        actor=actor,
        subject_type="meeting_series",
        subject_id=str(series.uid),
        data={
            "forum": forum.slug,
            "title": title,
            "rrule": expansion.rule,
            "first": _iso(expansion.occurrences[0]),
            "last": _iso(expansion.occurrences[-1]),
            "meetings": len(expansion.occurrences),
        },
    )
    return series


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str | None = None,
    actor: Any,
) -> Meeting:
    """Move a meeting (and/or change its place); bumps the iCalendar SEQUENCE. An occurrence of
    a series keeps its RECURRENCE-ID, so calendars show it as a changed instance."""
    _refuse_nul(location)
    meeting = _locked(meeting)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        raise RuleViolation(
            _("Hanya rapat yang belum dimulai yang dapat dijadwal ulang."), code="meeting_not_reschedulable"
        )
    _check_times(starts_at, ends_at)
    starts_at, ends_at = _to_minute(starts_at), _to_minute(ends_at)
    charter = getattr(meeting.forum, "charter", None)
    notice_days = charter.agenda_notice_days if charter else 0
    if meeting.status == MeetingStatus.AGENDA_PUBLISHED and starts_at < timezone.now() + dt.timedelta(days=notice_days):
        raise RuleViolation(
            _("Agenda sudah diumumkan: rapat hanya dapat dipindah ke waktu %(days)d hari atau lebih dari sekarang.")
            % {"days": notice_days},
            code="notice_too_short",
        )
    old_start, old_end, old_location = meeting.starts_at, meeting.ends_at, meeting.location
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if location is not None:
        meeting.location = _check_location(location)
    if (old_start, old_end, old_location) == (meeting.starts_at, meeting.ends_at, meeting.location):
        raise RuleViolation(_("Tidak ada perubahan waktu atau tempat."), code="no_change")
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "location", "sequence", "updated_at"])
    _record(
        LedgerEvent.MEETING_RESCHEDULED,
        actor,
        meeting,
        {
            "from": {"starts_at": _iso(old_start), "ends_at": _iso(old_end), "location": old_location},
            "to": {"starts_at": _iso(starts_at), "ends_at": _iso(ends_at), "location": meeting.location},
            "sequence": meeting.sequence,
        },
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, actor: Any) -> Meeting:
    """Cancel a meeting that has not started; the reason is public. A cancelled occurrence of a
    series becomes an EXDATE of the series, so the series' SEQUENCE is bumped too."""
    _refuse_nul(reason)
    meeting = _locked(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Alasan pembatalan wajib diisi."), code="reason_required")
    if len(reason) > 2000:
        raise RuleViolation(_("Alasan pembatalan paling panjang 2000 karakter."), code="reason_too_long")
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.CANCELLED, label=_("rapat"))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancellation_reason = reason
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancellation_reason", "cancelled_at", "sequence", "updated_at"])
    if meeting.series_id is not None:
        MeetingSeries.objects.filter(pk=meeting.series_id).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    _record(LedgerEvent.MEETING_CANCELLED, actor, meeting, {"reason": reason, "sequence": meeting.sequence})
    return meeting


# --- Agenda and invitations ------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    description: str = "",
    kind: str = AgendaItemKind.DISCUSSION,
    actor: Any,
) -> AgendaItem:
    """Table an item (C3: any active member of any sector may). Records the proposer and the
    sector they sit for. Closed once the agenda is published, so the notice period means something."""
    _refuse_nul(title, description)
    meeting = _locked(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise RuleViolation(
            _("Agenda rapat ini sudah diumumkan atau rapat sudah berjalan; acara baru tidak dapat ditambahkan."),
            code="agenda_closed",
        )
    title = (title or "").strip()
    if not title or len(title) > 255:
        raise RuleViolation(_("Judul acara wajib diisi (paling panjang 255 karakter)."), code="invalid_title")
    if kind not in AgendaItemKind.values:
        raise RuleViolation(_("Jenis acara tidak dikenal."), code="invalid_kind")
    if len(description or "") > 10000:
        raise RuleViolation(_("Uraian paling panjang 10.000 karakter."), code="invalid_description")
    person = _person_of(actor)
    seat = (
        ForumMember.objects.filter(forum=meeting.forum, person=person, status=ForumMemberStatus.ACTIVE)
        .select_related("sector")
        .first()
        if person is not None
        else None
    )
    position = (meeting.agenda_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title,
        description=(description or "").strip(),
        kind=kind,
        proposed_by=person,
        proposer_sector=seat.sector if seat else None,
    )
    _record(
        LedgerEvent.MEETING_AGENDA_ITEM_ADDED,
        actor,
        meeting,
        {
            "item": item.pk,
            "position": position,
            "title": title,
            "kind": kind,
            "proposer_sector": seat.sector.code if seat else None,
        },
    )
    return item


@transaction.atomic
def agenda_publish(*, meeting: Meeting, actor: Any) -> Meeting:
    """Publish the agenda, at least `charter.agenda_notice_days` days before the start."""
    meeting = _locked(meeting)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.AGENDA_PUBLISHED, label=_("rapat"))
    items = list(meeting.agenda_items.values_list("title", flat=True))
    if not items:
        raise RuleViolation(_("Agenda masih kosong; tambahkan acara sebelum diumumkan."), code="agenda_empty")
    charter = getattr(meeting.forum, "charter", None)
    notice_days = charter.agenda_notice_days if charter else 0
    now = timezone.now()
    deadline = meeting.starts_at - dt.timedelta(days=notice_days)
    if now > deadline:
        raise RuleViolation(
            _(
                "Agenda harus diumumkan sekurang-kurangnya %(days)d hari sebelum rapat (batasnya sudah lewat). "
                "Jadwalkan ulang rapat ke waktu yang memberi cukup waktu pemberitahuan."
            )
            % {"days": notice_days},
            code="notice_too_short",
        )
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.agenda_published_at = now
    meeting.save(update_fields=["status", "agenda_published_at", "updated_at"])
    _record(LedgerEvent.MEETING_AGENDA_PUBLISHED, actor, meeting, {"items": items, "notice_days": notice_days})
    return meeting


@transaction.atomic
def meeting_invitations_send(*, meeting: Meeting, actor: Any) -> list[Invitation]:
    """Invite every active member not yet invited; e-mails go out after commit (task)."""
    meeting = _locked(meeting)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        raise RuleViolation(_("Undangan hanya dapat dikirim sebelum rapat dimulai."), code="meeting_started")
    already = set(meeting.invitations.values_list("member_id", flat=True))
    members = [member for member in forum_active_members(forum=meeting.forum) if member.pk not in already]
    if not members:
        raise RuleViolation(_("Semua anggota aktif sudah diundang."), code="nothing_to_send")
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        Invitation(meeting=meeting, member=member, sent_at=now) for member in members
    )
    invitation_ids = list(meeting.invitations.filter(member__in=members).values_list("pk", flat=True))
    _record(LedgerEvent.MEETING_INVITATIONS_SENT, actor, meeting, {"invited": len(invitations)})

    def _send() -> None:
        from sinergi.meetings.tasks import meeting_invitations_email

        meeting_invitations_email.enqueue(invitation_ids)

    transaction.on_commit(_send)
    return invitations


@transaction.atomic
def invitation_respond(*, invitation: Invitation, response: str, actor: Any) -> Invitation:
    """The invited member answers: will attend, or cannot."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting__forum", "member__person").get(pk=invitation.pk)
    )
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED):
        raise RuleViolation(_("Jawaban undangan tidak dikenal."), code="invalid_response")
    person = _person_of(actor)
    is_invitee = person is not None and invitation.member.person_id == person.pk
    # An administrator may record an answer given another way (letter, phone); the log says so.
    on_behalf = not is_invitee and bool(getattr(actor, "is_superuser", False))
    if not (is_invitee or on_behalf):
        raise NotPermitted(_("Hanya anggota yang diundang yang dapat menjawab undangan ini."))
    if invitation.member.status != ForumMemberStatus.ACTIVE:
        raise RuleViolation(_("Anda bukan lagi anggota aktif forum ini."), code="not_member")
    if invitation.meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.AGENDA_PUBLISHED):
        raise RuleViolation(_("Rapat sudah dimulai, selesai, atau dibatalkan."), code="meeting_started")
    invitation.response = response
    invitation.save(update_fields=["response", "updated_at"])
    _record(
        LedgerEvent.MEETING_INVITATION_RESPONDED,
        actor,
        invitation.meeting,
        {"member_sector": invitation.member.sector.code, "response": response, "on_behalf": on_behalf},
    )
    return invitation


# --- The session -----------------------------------------------------------------------------


@transaction.atomic
def meeting_open(*, meeting: Meeting, actor: Any) -> Meeting:
    """Open the session (the agenda must have been published)."""
    meeting = _locked(meeting)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.IN_SESSION, label=_("rapat"))
    meeting.status = MeetingStatus.IN_SESSION
    meeting.opened_at = timezone.now()
    meeting.save(update_fields=["status", "opened_at", "updated_at"])
    _record(LedgerEvent.MEETING_OPENED, actor, meeting, {"opened_at": _iso(meeting.opened_at)})
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, statuses: dict[int, str], actor: Any) -> list[Attendance]:
    """Roll call for every active member at once (hadir / izin / absen), replacing any earlier
    roll call of this session. The sector is copied from the seat; quorum is recomputed."""
    meeting = _locked(meeting)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise RuleViolation(_("Daftar hadir dicatat ketika rapat sedang berlangsung."), code="meeting_not_in_session")
    members = {member.pk: member for member in forum_active_members(forum=meeting.forum)}
    if not members:
        raise RuleViolation(_("Forum ini belum memiliki anggota aktif."), code="no_members")
    given = {int(key): value for key, value in statuses.items()}
    unknown = set(given) - set(members)
    if unknown:
        raise RuleViolation(_("Daftar hadir memuat orang yang bukan anggota aktif forum."), code="unknown_member")
    missing = set(members) - set(given)
    if missing:
        raise RuleViolation(
            _("Kehadiran setiap anggota aktif harus dicatat (%(n)d belum).") % {"n": len(missing)},
            code="roll_call_incomplete",
        )
    if any(value not in AttendanceStatus.values for value in given.values()):
        raise RuleViolation(_("Status kehadiran harus hadir, izin, atau absen."), code="invalid_status")
    Attendance.objects.filter(meeting=meeting).exclude(member_id__in=members).delete()
    existing = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting)}
    recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    rows: list[Attendance] = []
    for member_id, member in members.items():
        row = existing.get(member_id) or Attendance(meeting=meeting, member=member)
        row.sector = member.sector
        row.status = given[member_id]
        row.recorded_by = recorded_by
        rows.append(row)
    Attendance.objects.bulk_create([row for row in rows if row.pk is None])
    Attendance.objects.bulk_update(
        [row for row in rows if row.pk is not None], ["sector", "status", "recorded_by", "updated_at"]
    )
    quorum = meeting_quorum(meeting)
    meeting.is_quorate = quorum.is_quorate
    meeting.save(update_fields=["is_quorate", "updated_at"])
    counts = {status: sum(1 for row in rows if row.status == status) for status in AttendanceStatus.values}
    per_sector: dict[str, int] = {}
    for row in rows:
        if row.status == AttendanceStatus.PRESENT:
            per_sector[row.sector.code] = per_sector.get(row.sector.code, 0) + 1
    _record(
        LedgerEvent.MEETING_ATTENDANCE_RECORDED,
        actor,
        meeting,
        {**counts, "present_by_sector": per_sector, "is_quorate": quorum.is_quorate},
    )
    return rows


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor: Any) -> Meeting:
    """Close the session and store whether it was quorate (a meeting without roll call is not)."""
    meeting = _locked(meeting)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.CLOSED, label=_("rapat"))
    quorum = meeting_quorum(meeting)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.is_quorate = quorum.is_quorate
    meeting.save(update_fields=["status", "closed_at", "is_quorate", "updated_at"])
    _record(
        LedgerEvent.MEETING_CLOSED,
        actor,
        meeting,
        {"is_quorate": quorum.is_quorate, "present": quorum.members_present, "members": quorum.members_total},
    )
    return meeting


@transaction.atomic
def agenda_item_record_outcome(*, item: AgendaItem, outcome: str, actor: Any) -> AgendaItem:
    """Record what the meeting concluded on an item, during the session. A decision item needs
    a quorate meeting (C2/C4): without quorum the meeting takes no decisions."""
    _refuse_nul(outcome)
    meeting = _locked(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise RuleViolation(_("Hasil acara dicatat ketika rapat sedang berlangsung."), code="meeting_not_in_session")
    outcome = (outcome or "").strip()
    if not outcome or len(outcome) > 10000:
        raise RuleViolation(_("Hasil acara wajib diisi (paling panjang 10.000 karakter)."), code="invalid_outcome")
    if item.kind == AgendaItemKind.DECISION and not meeting_quorum(meeting).is_quorate:
        raise RuleViolation(
            _("Rapat tidak kuorum; acara pengambilan keputusan tidak dapat diputuskan."), code="not_quorate"
        )
    item.outcome = outcome
    item.outcome_recorded_at = timezone.now()
    item.save(update_fields=["outcome", "outcome_recorded_at", "updated_at"])
    _record(
        LedgerEvent.MEETING_ITEM_OUTCOME_RECORDED,
        actor,
        meeting,
        {"item": item.pk, "kind": item.kind, "outcome": outcome},
    )
    return item


# --- Minutes (notulen) -----------------------------------------------------------------------


def _minutes_record(event: LedgerEvent, actor: Any, minutes: Minutes, data: dict[str, Any]) -> None:
    ledger_record(
        event=event,
        actor=actor,
        subject_type="minutes",
        subject_id=str(minutes.meeting.uid),
        data={"forum": minutes.meeting.forum.slug, "version": minutes.version, "status": minutes.status, **data},
    )


def _check_body(body: str) -> str:
    _refuse_nul(body)
    body = (body or "").strip()
    if not body:
        raise RuleViolation(_("Isi notulen wajib diisi."), code="invalid_body")
    if len(body) > 100_000:
        raise RuleViolation(_("Isi notulen paling panjang 100.000 karakter."), code="invalid_body")
    return body


def _locked_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__forum").get(pk=minutes.pk)


def _body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@transaction.atomic
def minutes_draft(*, meeting: Meeting, body: str, actor: Any) -> Minutes:
    """Start the minutes of a meeting that has opened (one set of minutes per meeting)."""
    meeting = _locked(meeting)
    if meeting.status not in (MeetingStatus.IN_SESSION, MeetingStatus.CLOSED):
        raise RuleViolation(_("Notulen disusun setelah rapat dibuka."), code="meeting_not_started")
    if Minutes.objects.filter(meeting=meeting).exists():
        raise RuleViolation(_("Notulen rapat ini sudah ada; ubah drafnya."), code="minutes_exist")
    minutes = Minutes.objects.create(
        meeting=meeting, body=_check_body(body), drafted_by=actor if getattr(actor, "pk", None) else None
    )
    _minutes_record(LedgerEvent.MINUTES_DRAFTED, actor, minutes, {"sha256": _body_hash(minutes.body)})
    return minutes


@transaction.atomic
def minutes_update(*, minutes: Minutes, body: str, actor: Any) -> Minutes:
    """Edit the draft. Approved minutes are frozen; minutes in review go back to draft first."""
    minutes = _locked_minutes(minutes)
    if minutes.status == MinutesStatus.APPROVED:
        raise RuleViolation(_("Notulen sudah disahkan dan tidak dapat diubah."), code="minutes_frozen")
    if minutes.status != MinutesStatus.DRAFT:
        raise RuleViolation(
            _("Notulen sedang ditinjau; kembalikan ke draf dulu untuk mengubahnya."), code="minutes_in_review"
        )
    body = _check_body(body)
    if body == minutes.body:
        raise RuleViolation(_("Tidak ada perubahan pada notulen."), code="no_change")
    minutes.body = body
    minutes.save(update_fields=["body", "updated_at"])
    _minutes_record(LedgerEvent.MINUTES_UPDATED, actor, minutes, {"sha256": _body_hash(body)})
    return minutes


@transaction.atomic
def minutes_submit_for_review(*, minutes: Minutes, actor: Any) -> Minutes:
    """Put the current version before the members who were present; the meeting must be closed."""
    minutes = _locked_minutes(minutes)
    if minutes.meeting.status != MeetingStatus.CLOSED:
        raise RuleViolation(_("Notulen diajukan untuk ditinjau setelah rapat ditutup."), code="meeting_not_closed")
    check_transition(MINUTES_TRANSITIONS, minutes.status, MinutesStatus.IN_REVIEW, label=_("notulen"))
    minutes.status = MinutesStatus.IN_REVIEW
    minutes.save(update_fields=["status", "updated_at"])
    _minutes_record(LedgerEvent.MINUTES_SUBMITTED, actor, minutes, {"sha256": _body_hash(minutes.body)})
    return minutes


def _present_seat(minutes: Minutes, actor: Any) -> ForumMember | None:
    person = _person_of(actor)
    if person is None:
        return None
    row = (
        Attendance.objects.filter(meeting=minutes.meeting, member__person=person, status=AttendanceStatus.PRESENT)
        .select_related("member__sector")
        .first()
    )
    return row.member if row else None


@transaction.atomic
def minutes_review(
    *, minutes: Minutes, verdict: str, comment: str = "", member: ForumMember | None = None, actor: Any
) -> MinutesReview:
    """A member who was present approves the current version or asks for changes (with a reason).
    Answering again for the same version replaces the earlier answer. An administrator may record
    the review of a present `member` given another way (e.g. signed on paper); the log says so."""
    _refuse_nul(comment)
    minutes = _locked_minutes(minutes)
    if minutes.status != MinutesStatus.IN_REVIEW:
        raise RuleViolation(_("Notulen tidak sedang ditinjau."), code="minutes_not_in_review")
    if verdict not in MinutesReviewVerdict.values:
        raise RuleViolation(_("Tanggapan tidak dikenal."), code="invalid_verdict")
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise RuleViolation(_("Catatan paling panjang 5.000 karakter."), code="invalid_comment")
    if verdict == MinutesReviewVerdict.REQUEST_CHANGES and not comment:
        raise RuleViolation(_("Sebutkan perbaikan yang diminta."), code="comment_required")
    own_seat = _present_seat(minutes, actor)
    on_behalf = member is not None and (own_seat is None or own_seat.pk != member.pk)
    if on_behalf:
        assert member is not None
        if not getattr(actor, "is_superuser", False):
            raise NotPermitted(_("Hanya administrator yang dapat mencatat tinjauan atas nama anggota lain."))
        present = Attendance.objects.filter(
            meeting=minutes.meeting, member=member, status=AttendanceStatus.PRESENT
        ).exists()
        if not present:
            raise RuleViolation(_("Anggota tersebut tidak hadir dalam rapat ini."), code="not_present")
        seat = member
    elif own_seat is None:
        raise NotPermitted(_("Hanya anggota yang hadir dalam rapat yang dapat meninjau notulennya."))
    else:
        seat = own_seat
    review, _created = MinutesReview.objects.update_or_create(
        minutes=minutes, member=seat, version=minutes.version, defaults={"verdict": verdict, "comment": comment}
    )
    _minutes_record(
        LedgerEvent.MINUTES_REVIEWED,
        actor,
        minutes,
        {"verdict": verdict, "member_sector": seat.sector.code, "comment": comment, "on_behalf": on_behalf},
    )
    return review


def minutes_approval_state(minutes: Minutes) -> dict[str, int]:
    """Approvals and change requests for the current version, and how many approvals are needed
    (at least half of the members present, and at least one)."""
    present = Attendance.objects.filter(meeting_id=minutes.meeting_id, status=AttendanceStatus.PRESENT).count()
    reviews = MinutesReview.objects.filter(minutes=minutes, version=minutes.version)
    return {
        "present": present,
        "approvals": reviews.filter(verdict=MinutesReviewVerdict.APPROVE).count(),
        "change_requests": reviews.filter(verdict=MinutesReviewVerdict.REQUEST_CHANGES).count(),
        "needed": max(1, math.ceil(present / 2)),
    }


@transaction.atomic
def minutes_approve(*, minutes: Minutes, actor: Any) -> Minutes:
    """Approve and freeze: needs approvals from at least half of those present for the current
    version and no open change request. Stores the SHA-256 of the approved text."""
    minutes = _locked_minutes(minutes)
    check_transition(MINUTES_TRANSITIONS, minutes.status, MinutesStatus.APPROVED, label=_("notulen"))
    state = minutes_approval_state(minutes)
    if state["change_requests"]:
        raise RuleViolation(
            _("Masih ada permintaan perbaikan untuk versi ini; kembalikan notulen ke draf dan perbaiki."),
            code="changes_requested",
        )
    if state["approvals"] < state["needed"]:
        raise RuleViolation(
            _("Persetujuan baru %(approvals)d; dibutuhkan sekurang-kurangnya %(needed)d dari %(present)d yang hadir.")
            % state,
            code="not_enough_approvals",
        )
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor if getattr(actor, "pk", None) else None
    minutes.approved_hash = _body_hash(minutes.body)
    minutes.save(update_fields=["status", "approved_at", "approved_by", "approved_hash", "updated_at"])
    _minutes_record(
        LedgerEvent.MINUTES_APPROVED,
        actor,
        minutes,
        {"sha256": minutes.approved_hash, "approvals": state["approvals"], "present": state["present"]},
    )
    return minutes


@transaction.atomic
def minutes_return_to_draft(*, minutes: Minutes, reason: str = "", actor: Any) -> Minutes:
    """Take minutes in review back to draft as a new version; earlier reviews stay on record
    but no longer count."""
    _refuse_nul(reason)
    minutes = _locked_minutes(minutes)
    check_transition(MINUTES_TRANSITIONS, minutes.status, MinutesStatus.DRAFT, label=_("notulen"))
    reason = (reason or "").strip()[:2000]
    minutes.status = MinutesStatus.DRAFT
    minutes.version += 1
    minutes.save(update_fields=["status", "version", "updated_at"])
    _minutes_record(LedgerEvent.MINUTES_RETURNED_TO_DRAFT, actor, minutes, {"reason": reason})
    return minutes
