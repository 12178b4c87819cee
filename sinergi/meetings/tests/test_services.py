import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.utils import timezone

from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.ledger.models import LedgerEntry
from sinergi.meetings import services
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
)
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.meetings.tests.factories import MeetingFactory, forum_with_members, member_of, roll_call

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _future(days: int = 14, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WIB)


def _user(member):  # type: ignore[no-untyped-def]
    return member.person.user


def _in_session(setup, **kwargs):  # type: ignore[no-untyped-def]
    return MeetingFactory(forum=setup.forum, status=MeetingStatus.IN_SESSION, **kwargs)


# --- meeting_schedule -------------------------------------------------------------------------


def test_schedule_writes_meeting_and_one_entry(setup, one_entry) -> None:  # type: ignore[no-untyped-def]
    with one_entry():
        meeting = services.meeting_schedule(
            forum=setup.forum,
            title="Rapat pleno",
            starts_at=_future(),
            ends_at=_future() + dt.timedelta(hours=2),
            location="Aula",
            actor=_user(setup.secretariat),
        )
    assert meeting.status == MeetingStatus.SCHEDULED
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.event_type == "meeting.scheduled"
    assert entry.subject_id == str(meeting.uid)
    assert entry.payload["constitutive"] is False


def test_schedule_uses_charter_location_when_none_given(setup) -> None:  # type: ignore[no-untyped-def]
    setup.forum.charter.default_location = "Ruang Sidang Bappeda"
    setup.forum.charter.save()
    meeting = services.meeting_schedule(
        forum=setup.forum, title="R", starts_at=_future(), ends_at=_future(hour=11), actor=None
    )
    assert meeting.location == "Ruang Sidang Bappeda"


def test_draft_forum_may_hold_one_constitutive_meeting_only(reference_data, no_entry) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(status=ForumStatus.DRAFT)
    first = services.meeting_schedule(
        forum=setup.forum, title="Rapat pembentukan", starts_at=_future(), ends_at=_future(hour=11), actor=None
    )
    assert LedgerEntry.objects.get(subject_id=str(first.uid)).payload["constitutive"] is True
    with no_entry(), pytest.raises(RuleViolation, match="rapat pembentukan"):
        services.meeting_schedule(
            forum=setup.forum, title="Kedua", starts_at=_future(20), ends_at=_future(20, 11), actor=None
        )
    assert Meeting.objects.filter(forum=setup.forum).count() == 1


def test_closed_forum_schedules_nothing(reference_data, no_entry) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(status=ForumStatus.CLOSED)
    with no_entry(), pytest.raises(RuleViolation, match="ditutup"):
        services.meeting_schedule(
            forum=setup.forum, title="R", starts_at=_future(), ends_at=_future(hour=11), actor=None
        )


@pytest.mark.parametrize(
    ("title", "start_offset", "end_offset", "message"),
    [
        ("", 14, dt.timedelta(hours=2), "Judul"),
        ("x" * 201, 14, dt.timedelta(hours=2), "200"),
        ("R", 14, dt.timedelta(hours=-1), "sesudah"),
        ("R", 14, dt.timedelta(hours=25), "24 jam"),
        ("R", -1, dt.timedelta(hours=2), "masa depan"),
    ],
)
def test_schedule_refuses_bad_input(setup, no_entry, title, start_offset, end_offset, message) -> None:  # type: ignore[no-untyped-def]
    start = _future(start_offset)
    with no_entry(), pytest.raises(RuleViolation, match=message):
        services.meeting_schedule(
            forum=setup.forum, title=title, starts_at=start, ends_at=start + end_offset, actor=None
        )
    assert not Meeting.objects.exists()


def test_schedule_refuses_naive_time_and_long_location(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    naive = dt.datetime(2030, 1, 1, 9, 0)
    with no_entry(), pytest.raises(RuleViolation, match="zona waktu"):
        services.meeting_schedule(
            forum=setup.forum, title="R", starts_at=naive, ends_at=naive + dt.timedelta(hours=1), actor=None
        )
    with no_entry(), pytest.raises(RuleViolation, match="255"):
        services.meeting_schedule(
            forum=setup.forum, title="R", starts_at=_future(), ends_at=_future(hour=11), location="x" * 256, actor=None
        )


# --- meeting_series_create ------------------------------------------------------------------


def test_series_generates_occurrences_for_twelve_months(setup, one_entry) -> None:  # type: ignore[no-untyped-def]
    start = _future(3)
    with one_entry():
        series = services.meeting_series_create(
            forum=setup.forum,
            title="Rapat bulanan",
            rrule="FREQ=MONTHLY;BYDAY=2TU",
            starts_at=start,
            duration_minutes=90,
            actor=None,
        )
    meetings = list(series.meetings.order_by("starts_at"))
    expected = list(
        rrulestr("FREQ=MONTHLY;BYDAY=2TU", dtstart=start.astimezone(WIB)).between(
            start.astimezone(WIB), start.astimezone(WIB) + dt.timedelta(days=366), inc=True
        )
    )
    expected = [m for m in expected if m <= start.astimezone(WIB).replace(year=start.year + 1)]
    assert [m.starts_at for m in meetings] == expected
    assert 12 <= len(meetings) <= 13
    assert all(m.starts_at.astimezone(WIB).weekday() == 1 for m in meetings)  # Tuesday, in WIB
    assert all(8 <= m.starts_at.astimezone(WIB).day <= 14 for m in meetings)
    assert all(m.ends_at - m.starts_at == dt.timedelta(minutes=90) for m in meetings)
    assert all(m.recurrence_id == m.starts_at for m in meetings)
    assert series.starts_at == meetings[0].starts_at
    assert series.generated_until == meetings[-1].starts_at  # the rule goes on past the horizon
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.event_type == "meeting.series_created"
    assert entry.payload["meetings"] == len(meetings)


def test_series_with_count_is_generated_whole(setup) -> None:  # type: ignore[no-untyped-def]
    series = services.meeting_series_create(
        forum=setup.forum,
        title="Pekan kerja",
        rrule="RRULE:freq=weekly;count=4",
        starts_at=_future(2),
        duration_minutes=60,
        actor=None,
    )
    assert series.rrule == "FREQ=WEEKLY;COUNT=4"
    assert series.meetings.count() == 4
    assert series.generated_until is None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY", "sekali sehari"),
        ("FREQ=FORTNIGHTLY", "tidak valid"),
        ("BYDAY=MO", "tidak valid"),
        ("DTSTART:20260101T000000Z", "tidak valid"),
        ("FREQ=DAILY", "lebih dari 120"),
        ("FREQ=YEARLY;UNTIL=20200101T000000Z", "tidak menghasilkan"),
        ("FREQ=WEEKLY;UNTIL=20300101", "tidak valid"),
        ("", "tidak valid"),
    ],
)
def test_series_refuses_invalid_rules(setup, no_entry, rule, message) -> None:  # type: ignore[no-untyped-def]
    with no_entry(), pytest.raises(RuleViolation, match=message):
        services.meeting_series_create(
            forum=setup.forum, title="R", rrule=rule, starts_at=_future(2), duration_minutes=60, actor=None
        )
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_series_needs_active_forum_and_sane_duration(reference_data, no_entry) -> None:  # type: ignore[no-untyped-def]
    draft = forum_with_members(status=ForumStatus.DRAFT)
    with no_entry(), pytest.raises(RuleViolation, match="aktif"):
        services.meeting_series_create(
            forum=draft.forum, title="R", rrule="FREQ=MONTHLY", starts_at=_future(2), duration_minutes=60, actor=None
        )
    active = forum_with_members()
    with no_entry(), pytest.raises(RuleViolation, match="15 menit"):
        services.meeting_series_create(
            forum=active.forum, title="R", rrule="FREQ=MONTHLY", starts_at=_future(2), duration_minutes=5, actor=None
        )
    with no_entry(), pytest.raises(RuleViolation, match="masa depan"):
        services.meeting_series_create(
            forum=active.forum, title="R", rrule="FREQ=MONTHLY", starts_at=_future(-3), duration_minutes=60, actor=None
        )


# --- reschedule / cancel --------------------------------------------------------------------


def test_reschedule_bumps_sequence(setup, one_entry, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    new_start = _future(20)
    with one_entry():
        meeting = services.meeting_reschedule(
            meeting=meeting, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=1), actor=None
        )
    assert meeting.sequence == 1
    assert meeting.starts_at == new_start
    with no_entry(), pytest.raises(RuleViolation, match="Tidak ada perubahan"):
        services.meeting_reschedule(
            meeting=meeting, starts_at=new_start, ends_at=new_start + dt.timedelta(hours=1), actor=None
        )


def test_reschedule_refusals(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    started = _in_session(setup)
    with no_entry(), pytest.raises(RuleViolation, match="belum dimulai"):
        services.meeting_reschedule(meeting=started, starts_at=_future(5), ends_at=_future(5, 11), actor=None)
    published = MeetingFactory(forum=setup.forum, status=MeetingStatus.AGENDA_PUBLISHED)
    with no_entry(), pytest.raises(RuleViolation, match="3 hari"):
        services.meeting_reschedule(meeting=published, starts_at=_future(1), ends_at=_future(1, 11), actor=None)
    published.refresh_from_db()
    assert published.sequence == 0


def test_cancel_occurrence_bumps_series_sequence(setup, one_entry, no_entry) -> None:  # type: ignore[no-untyped-def]
    series = services.meeting_series_create(
        forum=setup.forum, title="R", rrule="FREQ=WEEKLY;COUNT=3", starts_at=_future(2), duration_minutes=60, actor=None
    )
    meeting = series.meetings.order_by("starts_at")[1]
    with no_entry(), pytest.raises(RuleViolation, match="Alasan"):
        services.meeting_cancel(meeting=meeting, reason="  ", actor=None)
    with one_entry():
        services.meeting_cancel(meeting=meeting, reason="Bertepatan dengan hari libur", actor=None)
    meeting.refresh_from_db()
    series.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert series.sequence == 1
    with no_entry(), pytest.raises(InvalidTransition):
        services.meeting_cancel(meeting=meeting, reason="lagi", actor=None)


# --- agenda -----------------------------------------------------------------------------------


def test_any_member_tables_an_item_with_sector(setup, one_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    youth = setup.member("pemuda")
    with one_entry():
        item = services.agenda_item_add(
            meeting=meeting, title="Ruang kreatif pemuda", kind=AgendaItemKind.DECISION, actor=_user(youth)
        )
    assert item.proposed_by == youth.person
    assert item.proposer_sector.code == "pemuda"
    second = services.agenda_item_add(meeting=meeting, title="Lain-lain", actor=_user(setup.secretariat))
    assert (item.position, second.position) == (1, 2)
    assert LedgerEntry.objects.order_by("-sequence").first().payload["proposer_sector"] == "pemerintah"


@pytest.mark.parametrize(
    ("title", "kind", "description", "message"),
    [("", "discussion", "", "Judul"), ("R", "vote", "", "Jenis"), ("R", "discussion", "x" * 10001, "10.000")],
)
def test_agenda_item_refusals(setup, no_entry, title, kind, description, message) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    with no_entry(), pytest.raises(RuleViolation, match=message):
        services.agenda_item_add(meeting=meeting, title=title, kind=kind, description=description, actor=None)


def test_no_items_after_publication(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.AGENDA_PUBLISHED)
    with no_entry(), pytest.raises(RuleViolation, match="sudah diumumkan"):
        services.agenda_item_add(meeting=meeting, title="Telat", actor=None)


def test_publish_agenda_in_time(setup, one_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, starts_at=_future(10), ends_at=_future(10, 11))
    AgendaItem.objects.create(meeting=meeting, title="Pembukaan")
    with one_entry():
        services.agenda_publish(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED
    assert meeting.agenda_published_at is not None


def test_publish_refuses_late_or_empty_agenda(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    empty = MeetingFactory(forum=setup.forum)
    with no_entry(), pytest.raises(RuleViolation, match="kosong"):
        services.agenda_publish(meeting=empty, actor=None)
    late = MeetingFactory(forum=setup.forum, starts_at=timezone.now() + dt.timedelta(days=2, hours=23))
    AgendaItem.objects.create(meeting=late, title="Pembukaan")
    with no_entry(), pytest.raises(RuleViolation, match="sekurang-kurangnya 3 hari"):
        services.agenda_publish(meeting=late, actor=None)
    late.refresh_from_db()
    assert late.status == MeetingStatus.SCHEDULED
    with no_entry(), pytest.raises(InvalidTransition):
        services.agenda_publish(meeting=_in_session(setup), actor=None)


# --- invitations ------------------------------------------------------------------------------


def test_invitations_email_after_commit(  # type: ignore[no-untyped-def]
    setup, one_entry, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    meeting = MeetingFactory(forum=setup.forum)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, one_entry():
        invitations = services.meeting_invitations_send(meeting=meeting, actor=None)
    assert len(invitations) == len(setup.all_members)
    assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == len(setup.all_members)
    assert meeting.title in mailoutbox[0].subject
    assert str(meeting.uid) in mailoutbox[0].body
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.payload["invited"] == len(setup.all_members)
    assert "@" not in str(entry.payload)


def test_invitations_only_new_members_then_nothing_to_send(  # type: ignore[no-untyped-def]
    setup, no_entry, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    meeting = MeetingFactory(forum=setup.forum)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invitations_send(meeting=meeting, actor=None)
    late = member_of(setup.forum, "akademisi")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.meeting_invitations_send(meeting=meeting, actor=None)
    assert [inv.member for inv in again] == [late]
    assert len(mailoutbox) == len(setup.all_members) + 1
    with no_entry(), pytest.raises(RuleViolation, match="sudah diundang"):
        services.meeting_invitations_send(meeting=meeting, actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="sebelum rapat dimulai"):
        services.meeting_invitations_send(meeting=_in_session(setup), actor=None)


def test_invitee_responds(setup, one_entry, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    member = setup.member("swasta")
    invitation = Invitation.objects.create(meeting=meeting, member=member)
    with no_entry(), pytest.raises(NotPermitted):
        services.invitation_respond(invitation=invitation, response="accepted", actor=_user(setup.secretariat))
    with no_entry(), pytest.raises(RuleViolation, match="tidak dikenal"):
        services.invitation_respond(invitation=invitation, response="maybe", actor=_user(member))
    with one_entry():
        services.invitation_respond(invitation=invitation, response="declined", actor=_user(member))
    invitation.refresh_from_db()
    assert invitation.response == InvitationResponse.DECLINED
    meeting.status = MeetingStatus.CLOSED
    meeting.save()
    with no_entry(), pytest.raises(RuleViolation, match="sudah dimulai"):
        services.invitation_respond(invitation=invitation, response="accepted", actor=_user(member))
    member.status = ForumMemberStatus.LEFT
    member.save()
    with no_entry(), pytest.raises(RuleViolation, match="bukan lagi"):
        services.invitation_respond(invitation=invitation, response="accepted", actor=_user(member))


# --- session, roll call, quorum ------------------------------------------------------------


def test_open_and_close(setup, one_entry, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    with no_entry(), pytest.raises(InvalidTransition):
        services.meeting_open(meeting=meeting, actor=None)  # agenda not published
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting.save()
    with one_entry():
        services.meeting_open(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_SESSION
    with one_entry():
        services.meeting_close(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED
    assert meeting.is_quorate is False  # no roll call, no quorum
    with no_entry(), pytest.raises(InvalidTransition):
        services.meeting_close(meeting=meeting, actor=None)


def _statuses(setup, present):  # type: ignore[no-untyped-def]
    return {m.pk: (AttendanceStatus.PRESENT if m in present else AttendanceStatus.ABSENT) for m in setup.all_members}


def test_roll_call_records_everyone_with_sector(setup, one_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = _in_session(setup)
    present = [setup.secretariat, setup.member("swasta"), setup.member("masyarakat")]
    statuses = _statuses(setup, present)
    statuses[setup.member("pemuda").pk] = AttendanceStatus.EXCUSED
    with one_entry():
        services.attendance_record(meeting=meeting, statuses=statuses, actor=_user(setup.secretariat))
    rows = {row.member_id: row for row in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 5
    assert rows[setup.member("swasta").pk].sector.code == "swasta"
    assert rows[setup.member("pemuda").pk].status == AttendanceStatus.EXCUSED
    meeting.refresh_from_db()
    assert meeting.is_quorate is True  # 3 of 5 present, non-state sectors among them
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.payload["hadir"] == 3 and entry.payload["izin"] == 1 and entry.payload["absen"] == 1
    assert entry.payload["present_by_sector"] == {"pemerintah": 1, "swasta": 1, "masyarakat": 1}


def test_roll_call_again_replaces_the_first(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = _in_session(setup)
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, []), actor=None)
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, setup.all_members), actor=None)
    assert Attendance.objects.filter(meeting=meeting).count() == 5
    assert set(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True)) == {"hadir"}


def test_roll_call_refusals(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = _in_session(setup)
    statuses = _statuses(setup, setup.all_members)
    incomplete = dict(list(statuses.items())[:-1])
    with no_entry(), pytest.raises(RuleViolation, match="1 belum"):
        services.attendance_record(meeting=meeting, statuses=incomplete, actor=None)
    outsider = member_of(forum_with_members(sectors=()).forum, "swasta")
    with no_entry(), pytest.raises(RuleViolation, match="bukan anggota"):
        services.attendance_record(meeting=meeting, statuses={**statuses, outsider.pk: "hadir"}, actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="hadir, izin, atau absen"):
        services.attendance_record(meeting=meeting, statuses={**statuses, setup.secretariat.pk: "tidur"}, actor=None)
    scheduled = MeetingFactory(forum=setup.forum)
    with no_entry(), pytest.raises(RuleViolation, match="sedang berlangsung"):
        services.attendance_record(meeting=scheduled, statuses=statuses, actor=None)
    assert not Attendance.objects.exists()


def test_government_only_meeting_is_not_quorate_and_refuses_decisions(reference_data, no_entry) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("pemerintah", "legislatif", "swasta"), quorum_share="0.50")
    meeting = _in_session(setup)
    decision = AgendaItem.objects.create(meeting=meeting, title="Penetapan", kind=AgendaItemKind.DECISION)
    info = AgendaItem.objects.create(meeting=meeting, title="Laporan", kind=AgendaItemKind.INFORMATION)
    state_only = [setup.secretariat, setup.member("pemerintah"), setup.member("legislatif")]
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, state_only), actor=None)
    meeting.refresh_from_db()
    assert meeting.is_quorate is False  # 3 of 4 present, but no non-state member
    with (
        no_entry(),
        pytest.raises(RuleViolation, match=r"Rapat tidak kuorum; acara pengambilan keputusan tidak dapat diputuskan\."),
    ):
        services.agenda_item_record_outcome(item=decision, outcome="Disetujui", actor=None)
    decision.refresh_from_db()
    assert decision.outcome == ""
    services.agenda_item_record_outcome(item=info, outcome="Diterima sebagai informasi", actor=None)
    services.meeting_close(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    assert meeting.is_quorate is False


def test_required_sectors_must_be_present(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("swasta", "masyarakat", "pemuda"), quorum_sectors=("pemuda", "masyarakat"))
    meeting = _in_session(setup)
    item = AgendaItem.objects.create(meeting=meeting, title="Penetapan", kind=AgendaItemKind.DECISION)
    present = [setup.secretariat, setup.member("swasta"), setup.member("masyarakat")]
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, present), actor=None)
    with pytest.raises(RuleViolation, match="tidak kuorum"):
        services.agenda_item_record_outcome(item=item, outcome="Disetujui", actor=None)
    services.attendance_record(
        meeting=meeting, statuses=_statuses(setup, [*present, setup.member("pemuda")]), actor=None
    )
    services.agenda_item_record_outcome(item=item, outcome="Disetujui", actor=None)
    item.refresh_from_db()
    assert item.outcome == "Disetujui"


def test_member_share_must_be_reached(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("swasta",), per_sector=3, quorum_share="0.75")
    meeting = _in_session(setup)
    present = [setup.secretariat, setup.member("swasta", 0), setup.member("swasta", 1)]  # 3 of 4 = 75%
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, present), actor=None)
    meeting.refresh_from_db()
    assert meeting.is_quorate is True
    services.attendance_record(meeting=meeting, statuses=_statuses(setup, present[:2]), actor=None)
    meeting.refresh_from_db()
    assert meeting.is_quorate is False


def test_outcome_refusals(setup, no_entry, one_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    item = AgendaItem.objects.create(meeting=meeting, title="Laporan", kind=AgendaItemKind.INFORMATION)
    with no_entry(), pytest.raises(RuleViolation, match="sedang berlangsung"):
        services.agenda_item_record_outcome(item=item, outcome="x", actor=None)
    meeting.status = MeetingStatus.IN_SESSION
    meeting.save()
    with no_entry(), pytest.raises(RuleViolation, match="wajib diisi"):
        services.agenda_item_record_outcome(item=item, outcome="  ", actor=None)
    with one_entry():
        services.agenda_item_record_outcome(item=item, outcome="Diterima", actor=None)


# --- minutes ----------------------------------------------------------------------------------


def _closed_with_roll_call(setup, present):  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.CLOSED)
    roll_call(meeting, present, setup.all_members)
    return meeting


def test_minutes_full_flow_freezes_approved_text(setup, one_entry, no_entry) -> None:  # type: ignore[no-untyped-def]
    present = [setup.secretariat, setup.member("swasta"), setup.member("masyarakat"), setup.member("pemuda")]
    meeting = _closed_with_roll_call(setup, present)
    secretariat = _user(setup.secretariat)
    with one_entry():
        minutes = services.minutes_draft(meeting=meeting, body="Rapat dibuka pukul 09.00.", actor=secretariat)
    with one_entry():
        services.minutes_update(minutes=minutes, body="Rapat dibuka pukul 09.05.", actor=secretariat)
    with one_entry():
        services.minutes_submit_for_review(minutes=minutes, actor=secretariat)
    with no_entry(), pytest.raises(RuleViolation, match="ditinjau"):
        services.minutes_update(minutes=minutes, body="Diam-diam diubah", actor=secretariat)
    # Two approvals of four present is half: enough, once the change request is resolved.
    with one_entry():
        services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("swasta")))
    services.minutes_review(
        minutes=minutes, verdict="request_changes", comment="Jam salah", actor=_user(setup.member("pemuda"))
    )
    services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("masyarakat")))
    with no_entry(), pytest.raises(RuleViolation, match="permintaan perbaikan"):
        services.minutes_approve(minutes=minutes, actor=secretariat)
    with one_entry():
        services.minutes_return_to_draft(minutes=minutes, reason="Perbaiki jam", actor=secretariat)
    minutes.refresh_from_db()
    assert (minutes.status, minutes.version) == (MinutesStatus.DRAFT, 2)
    services.minutes_update(minutes=minutes, body="Rapat dibuka pukul 09.10.", actor=secretariat)
    services.minutes_submit_for_review(minutes=minutes, actor=secretariat)
    services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("swasta")))
    with no_entry(), pytest.raises(RuleViolation, match="dibutuhkan sekurang-kurangnya 2"):
        services.minutes_approve(minutes=minutes, actor=secretariat)  # version-1 approvals no longer count
    services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("pemuda")))
    with one_entry():
        services.minutes_approve(minutes=minutes, actor=secretariat)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_hash == hashlib.sha256(b"Rapat dibuka pukul 09.10.").hexdigest()
    assert LedgerEntry.objects.order_by("-sequence").first().payload["sha256"] == minutes.approved_hash
    with no_entry(), pytest.raises(RuleViolation, match="sudah disahkan"):
        services.minutes_update(minutes=minutes, body="Ubah setelah sah", actor=secretariat)
    with no_entry(), pytest.raises(InvalidTransition):
        services.minutes_return_to_draft(minutes=minutes, actor=secretariat)
    minutes.refresh_from_db()
    assert minutes.body == "Rapat dibuka pukul 09.10."


def test_minutes_refusals(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    scheduled = MeetingFactory(forum=setup.forum)
    with no_entry(), pytest.raises(RuleViolation, match="setelah rapat dibuka"):
        services.minutes_draft(meeting=scheduled, body="x", actor=None)
    meeting = _in_session(setup)
    with no_entry(), pytest.raises(RuleViolation, match="wajib diisi"):
        services.minutes_draft(meeting=meeting, body=" ", actor=None)
    minutes = services.minutes_draft(meeting=meeting, body="Isi", actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="sudah ada"):
        services.minutes_draft(meeting=meeting, body="Lagi", actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="Tidak ada perubahan"):
        services.minutes_update(minutes=minutes, body="Isi", actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="setelah rapat ditutup"):
        services.minutes_submit_for_review(minutes=minutes, actor=None)
    with no_entry(), pytest.raises(RuleViolation, match="tidak sedang ditinjau"):
        services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.secretariat))
    with no_entry(), pytest.raises(InvalidTransition):
        services.minutes_approve(minutes=minutes, actor=None)
    assert Minutes.objects.count() == 1


def test_only_present_members_review_and_changes_need_a_reason(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    meeting = _closed_with_roll_call(setup, [setup.secretariat, setup.member("swasta")])
    minutes = Minutes.objects.create(meeting=meeting, body="Isi", status=MinutesStatus.IN_REVIEW)
    with no_entry(), pytest.raises(NotPermitted):
        services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("pemuda")))
    with no_entry(), pytest.raises(RuleViolation, match="perbaikan yang diminta"):
        services.minutes_review(minutes=minutes, verdict="request_changes", actor=_user(setup.member("swasta")))
    with no_entry(), pytest.raises(RuleViolation, match="tidak dikenal"):
        services.minutes_review(minutes=minutes, verdict="maybe", actor=_user(setup.member("swasta")))
    services.minutes_review(
        minutes=minutes, verdict="request_changes", comment="a", actor=_user(setup.member("swasta"))
    )
    services.minutes_review(minutes=minutes, verdict="approve", actor=_user(setup.member("swasta")))
    assert MinutesReview.objects.get().verdict == "approve"  # answering again replaces


def test_administrator_records_answers_and_reviews_on_behalf(setup, personas) -> None:  # type: ignore[no-untyped-def]
    admin = personas["administrator"].user
    meeting = MeetingFactory(forum=setup.forum)
    invitation = Invitation.objects.create(meeting=meeting, member=setup.member("swasta"))
    services.invitation_respond(invitation=invitation, response="accepted", actor=admin)
    assert LedgerEntry.objects.order_by("-sequence").first().payload["on_behalf"] is True
    closed = _closed_with_roll_call(setup, [setup.secretariat, setup.member("swasta")])
    minutes = Minutes.objects.create(meeting=closed, body="Isi", status=MinutesStatus.IN_REVIEW)
    review = services.minutes_review(minutes=minutes, verdict="approve", member=setup.member("swasta"), actor=admin)
    assert review.member == setup.member("swasta")
    assert LedgerEntry.objects.order_by("-sequence").first().payload["on_behalf"] is True
    before = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation, match="tidak hadir"):
        services.minutes_review(minutes=minutes, verdict="approve", member=setup.member("pemuda"), actor=admin)
    with pytest.raises(NotPermitted, match="atas nama"):
        services.minutes_review(
            minutes=minutes, verdict="approve", member=setup.member("swasta"), actor=_user(setup.secretariat)
        )
    assert LedgerEntry.objects.count() == before


def test_refuses_nul_characters_and_far_future(setup, no_entry) -> None:  # type: ignore[no-untyped-def]
    with no_entry(), pytest.raises(RuleViolation, match="NUL"):
        services.meeting_schedule(
            forum=setup.forum, title="Rapat\x00", starts_at=_future(), ends_at=_future(hour=11), actor=None
        )
    far = timezone.now() + dt.timedelta(days=2500)
    with no_entry(), pytest.raises(RuleViolation, match="lima tahun"):
        services.meeting_schedule(
            forum=setup.forum, title="Rapat", starts_at=far, ends_at=far + dt.timedelta(hours=1), actor=None
        )
    with no_entry(), pytest.raises(RuleViolation, match="lima tahun"):
        services.meeting_series_create(
            forum=setup.forum,
            title="R",
            rrule="FREQ=YEARLY",
            starts_at=dt.datetime(9999, 12, 31, 9, tzinfo=WIB),
            duration_minutes=60,
            actor=None,
        )
    assert not Meeting.objects.exists()
