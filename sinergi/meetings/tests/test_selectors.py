import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sinergi.meetings.models import AgendaItem, Attendance, AttendanceStatus
from sinergi.meetings.quorum import SectorRef, quorum_evaluate
from sinergi.meetings.selectors import (
    meeting_attendance_by_sector,
    meeting_get,
    meeting_list_public,
    meeting_quorum,
)
from sinergi.meetings.states import MeetingStatus
from sinergi.meetings.tests.factories import MeetingFactory, forum_with_members, roll_call

pytestmark = pytest.mark.django_db

GOV = SectorRef("pemerintah", "Pemerintah", True)
BIZ = SectorRef("swasta", "Swasta", False)
YOUTH = SectorRef("pemuda", "Pemuda", False)


def test_quorum_rule_without_required_sectors_needs_a_non_state_member() -> None:
    result = quorum_evaluate(
        present_sectors=[GOV, GOV], members_total=3, required_share=Decimal("0.50"), required_sectors=[]
    )
    assert result.is_quorate is False
    assert result.requires_non_state_presence is True
    assert any("nonpemerintah" in reason for reason in result.reasons)
    result = quorum_evaluate(
        present_sectors=[GOV, BIZ], members_total=3, required_share=Decimal("0.50"), required_sectors=[]
    )
    assert result.is_quorate is True
    assert result.present_share_percent == 67
    assert result.required_share_percent == 50


def test_quorum_rule_share_is_exact_at_the_boundary() -> None:
    exactly_half = quorum_evaluate(
        present_sectors=[BIZ, GOV], members_total=4, required_share=Decimal("0.50"), required_sectors=[]
    )
    assert exactly_half.is_quorate is True
    below = quorum_evaluate(
        present_sectors=[BIZ, GOV], members_total=4, required_share=Decimal("0.51"), required_sectors=[]
    )
    assert below.is_quorate is False
    assert "2 dari 4" in below.reasons[0]


def test_quorum_rule_reports_missing_sectors() -> None:
    result = quorum_evaluate(
        present_sectors=[GOV, BIZ, BIZ], members_total=4, required_share=Decimal("0.50"), required_sectors=[BIZ, YOUTH]
    )
    assert result.is_quorate is False
    assert result.missing_sectors == [YOUTH]
    assert result.reasons == ["Sektor Pemuda wajib hadir tetapi tidak ada wakilnya."]


def test_quorum_without_roll_call() -> None:
    result = quorum_evaluate(present_sectors=[], members_total=0, required_share=None, required_sectors=[])
    assert result.is_quorate is False
    assert result.roll_call_taken is False
    assert result.required_share == Decimal("0.50")


def test_meeting_quorum_reads_the_charter(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("swasta", "pemuda"), quorum_sectors=("pemuda",), quorum_share="0.60")
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.IN_SESSION)
    roll_call(meeting, [setup.secretariat, setup.member("swasta")], setup.all_members)
    quorum = meeting_quorum(meeting)
    assert quorum.is_quorate is False
    assert [s.code for s in quorum.missing_sectors] == ["pemuda"]
    assert quorum.required_share == Decimal("0.60")
    assert quorum.reasons == ["Sektor Pemuda wajib hadir tetapi tidak ada wakilnya."]  # 2 of 3 meets 60%
    assert quorum.members_present == 2 and quorum.members_total == 3


def test_attendance_by_sector_counts(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("swasta",), per_sector=3)
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.IN_SESSION)
    roll_call(meeting, [setup.secretariat, setup.member("swasta", 0)], setup.all_members)
    Attendance.objects.filter(member=setup.member("swasta", 1)).update(status=AttendanceStatus.EXCUSED)
    rows = {row["sector_code"]: row for row in meeting_attendance_by_sector(meeting=meeting)}
    assert rows["pemerintah"] == {**rows["pemerintah"], "hadir": 1, "izin": 0, "absen": 0, "total": 1}
    assert rows["swasta"] == {**rows["swasta"], "hadir": 1, "izin": 1, "absen": 1, "total": 3}
    assert list(rows) == ["pemerintah", "swasta"]  # sectors in their usual order


def test_list_public_upcoming_and_past(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=())
    now = timezone.now()
    later = MeetingFactory(forum=setup.forum, starts_at=now + dt.timedelta(days=9))
    sooner = MeetingFactory(forum=setup.forum, starts_at=now + dt.timedelta(days=2))
    past = MeetingFactory(
        forum=setup.forum, starts_at=now - dt.timedelta(days=3), ends_at=now - dt.timedelta(days=3, hours=-2)
    )
    closed_today = MeetingFactory(
        forum=setup.forum,
        status=MeetingStatus.CLOSED,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    other_forum = MeetingFactory(starts_at=now + dt.timedelta(days=1))
    assert list(meeting_list_public(when="upcoming", forum_slug=setup.forum.slug)) == [sooner, later]
    assert list(meeting_list_public(when="past", forum_slug=setup.forum.slug)) == [closed_today, past]
    assert other_forum in meeting_list_public(when="upcoming")
    AgendaItem.objects.create(meeting=sooner, title="A")
    assert meeting_list_public(when="upcoming", forum_slug=setup.forum.slug)[0].agenda_count == 1


def test_meeting_get_unknown_or_malformed_uid_is_404(reference_data) -> None:  # type: ignore[no-untyped-def]
    from django.http import Http404

    with pytest.raises(Http404):
        meeting_get(uid="bukan-uuid")
    with pytest.raises(Http404):
        meeting_get(uid="00000000-0000-0000-0000-000000000000")
