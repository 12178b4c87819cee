import datetime as dt
import math
from typing import Any

import pytest
from django.utils import timezone

from sinergi.actors.tests.factories import OrganisationFactory, PersonFactory, kind, sector
from sinergi.forums.models import FallbackRule, Forum
from sinergi.forums.selectors import (
    forum_criteria,
    forum_get,
    forum_governance_index,
    forum_list_public,
    forum_meetings,
    forum_members_by_sector,
    forum_pending_members,
)
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.forums.tests.factories import ForumMemberFactory, fill_seats, forum_with_seats
from sinergi.meetings.models import AgendaItem, Attendance, AttendanceStatus, Meeting, Minutes
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.policy.tests.factories import PolicyObjectFactory

pytestmark = pytest.mark.django_db


def make_meeting(forum: Forum, *, days: int, status: str = MeetingStatus.SCHEDULED) -> Meeting:
    starts_at = timezone.now() + dt.timedelta(days=days)
    return Meeting.objects.create(
        forum=forum,
        title=f"Rapat {days}",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        status=status,
    )


def test_forum_list_counts_without_n_plus_one(reference_data: None, django_assert_max_num_queries: Any) -> None:
    for index in range(12):
        forum = forum_with_seats(status=ForumStatus.ACTIVE if index % 2 else ForumStatus.DRAFT)
        fill_seats(forum, "perusahaan", "lsm")
        ForumMemberFactory(forum=forum, status=ForumMemberStatus.APPLIED)
        forum.policy_objects.add(PolicyObjectFactory())
        make_meeting(forum, days=index + 1)
    with django_assert_max_num_queries(2):
        rows = [
            (f.name, f.convener.name, f.active_member_count, f.meeting_count, [p.title for p in f.policy_objects.all()])
            for f in forum_list_public()
        ]
    assert len(rows) == 12
    assert {row[2] for row in rows} == {2}
    assert {row[3] for row in rows} == {1}


def test_forum_list_filters(reference_data: None) -> None:
    active = forum_with_seats(status=ForumStatus.ACTIVE, seats={"pemuda": 1})
    draft = forum_with_seats(seats={"swasta": 1})
    fill_seats(draft, "media")
    policy_object = PolicyObjectFactory()
    draft.policy_objects.add(policy_object)
    assert list(forum_list_public(status=ForumStatus.ACTIVE)) == [active]
    assert list(forum_list_public(convener=draft.convener)) == [draft]
    assert list(forum_list_public(sector=sector("pemuda"))) == [active]
    assert list(forum_list_public(sector=sector("media"))) == [draft]
    assert list(forum_list_public(sector=sector("akademisi"))) == []
    assert list(forum_list_public(policy_object=policy_object)) == [draft]


def test_members_by_sector_lists_empty_seats_and_only_active_members(reference_data: None) -> None:
    forum = forum_with_seats(seats={"swasta": 2, "pemuda": 1})
    fill_seats(forum, "perusahaan", "opd")
    ForumMemberFactory(forum=forum, organisation=OrganisationFactory(kind=kind("karang-taruna")), status="invited")
    groups = forum_members_by_sector(forum_get(slug=forum.slug))
    summary = [(g.sector.code, g.filled, g.minimum, g.is_met) for g in groups]
    assert summary == [("pemerintah", 1, None, True), ("swasta", 1, 2, False), ("pemuda", 0, 1, False)]
    assert [m.status for m in forum_pending_members(forum)] == ["invited"]


def test_forum_meetings_split_upcoming_and_past(reference_data: None) -> None:
    forum = forum_with_seats()
    past = make_meeting(forum, days=-3, status=MeetingStatus.CLOSED)
    upcoming = make_meeting(forum, days=3)
    make_meeting(forum, days=4, status=MeetingStatus.CANCELLED)
    meetings = forum_meetings(forum)
    assert meetings["upcoming"] == [upcoming]
    assert meetings["past"] == [past]


def criteria_by_code(forum: Forum) -> dict[str, Any]:
    return {c.code: c for c in forum_criteria(forum_get(slug=forum.slug))}


def test_fresh_draft_forum_checklist(reference_data: None) -> None:
    forum = forum_with_seats(convener=OrganisationFactory(kind=kind("kelurahan")))
    criteria = criteria_by_code(forum)
    assert [code for code, c in criteria.items() if c.met] == ["C1", "C5"]
    assert "Swasta: 0 dari minimum 1 kursi" in criteria["C2"].evidence
    assert any("0 dari 0 acara" in e for e in criteria["C3"].evidence)
    assert any("0 rapat selesai" in e for e in criteria["C4"].evidence)
    assert criteria["C6"].evidence == ["Belum ada objek kebijakan yang ditautkan."]


def test_forum_convened_by_a_non_public_body_fails_c1(reference_data: None) -> None:
    forum = forum_with_seats(convener=OrganisationFactory(kind=kind("lsm")))
    assert criteria_by_code(forum)["C1"].met is False


def test_fallback_before_any_round_fails_c5(reference_data: None) -> None:
    forum = forum_with_seats(fallback_rule=FallbackRule.SIMPLE_MAJORITY, fallback_after_rounds=0)
    assert criteria_by_code(forum)["C5"].met is False
    forum.charter.fallback_after_rounds = 2
    forum.charter.save()
    c5 = criteria_by_code(forum)["C5"]
    assert c5.met is True
    assert any("2 putaran" in e for e in c5.evidence)


def test_working_forum_meets_all_six_criteria(reference_data: None, django_assert_max_num_queries: Any) -> None:
    forum = forum_with_seats(status=ForumStatus.ACTIVE)
    government, business, community, youth = fill_seats(forum, "opd", "perusahaan", "lsm", "karang-taruna")
    policy_object = PolicyObjectFactory(title="Ranperda Kota Layak Anak")
    forum.policy_objects.add(policy_object)
    held = make_meeting(forum, days=-7, status=MeetingStatus.CLOSED)
    for member in (government, business, community, youth):
        Attendance.objects.create(meeting=held, member=member, sector=member.sector, status=AttendanceStatus.PRESENT)
    Minutes.objects.create(meeting=held, body="Notulen.", status=MinutesStatus.APPROVED)
    AgendaItem.objects.create(meeting=held, title="Usulan pemuda", proposed_by=youth.person)
    AgendaItem.objects.create(meeting=held, title="Laporan dinas", proposed_by=government.person)
    AgendaItem.objects.create(
        meeting=held, title="Usulan warga", proposed_by=PersonFactory(), proposer_sector=sector("masyarakat")
    )
    loaded = forum_get(slug=forum.slug)
    with django_assert_max_num_queries(8):
        criteria = {c.code: c for c in forum_criteria(loaded)}
    assert all(c.met for c in criteria.values()), {c.code: c.evidence for c in criteria.values() if not c.met}
    assert any("2 dari 3 acara" in e for e in criteria["C3"].evidence)
    assert any(
        "1 rapat selesai; 1 dengan daftar hadir; 1 dengan notulen disahkan" in e for e in criteria["C4"].evidence
    )
    assert criteria["C6"].evidence == [str(policy_object)]


def test_c4_needs_approved_minutes(reference_data: None) -> None:
    forum = forum_with_seats(status=ForumStatus.ACTIVE)
    (member,) = fill_seats(forum, "lsm")
    held = make_meeting(forum, days=-7, status=MeetingStatus.CLOSED)
    Attendance.objects.create(meeting=held, member=member, sector=member.sector, status=AttendanceStatus.PRESENT)
    Minutes.objects.create(meeting=held, body="Draf.", status=MinutesStatus.DRAFT)
    assert criteria_by_code(forum)["C4"].met is False


def test_governance_index_waits_for_enough_meetings(reference_data: None) -> None:
    forum = forum_with_seats(status=ForumStatus.ACTIVE)
    fill_seats(forum, "opd", "perusahaan")
    index = forum_governance_index(forum_get(slug=forum.slug))
    assert index.is_collaborative is True
    assert index.composite is None
    assert "sedikitnya 3 rapat" in index.note
    scores = {c.code: c.score for c in index.components}
    assert scores["C1"] == 1.0
    assert scores["C3"] is None
    assert scores["C2"] == pytest.approx((0.5 + math.log(2) / math.log(7)) / 2)


def test_governance_index_composite_and_consultation_label(reference_data: None) -> None:
    forum = forum_with_seats(status=ForumStatus.ACTIVE, terms_of_reference="ToR")
    _government, youth = fill_seats(forum, "opd", "karang-taruna")
    policy_object = PolicyObjectFactory()
    forum.policy_objects.add(policy_object)
    for days in (-30, -20, -10):
        held = make_meeting(forum, days=days, status=MeetingStatus.CLOSED)
        Attendance.objects.create(meeting=held, member=youth, sector=youth.sector, status=AttendanceStatus.PRESENT)
        Minutes.objects.create(meeting=held, body="Notulen.", status=MinutesStatus.APPROVED)
        AgendaItem.objects.create(
            meeting=held, title="Usulan", proposer_sector=youth.sector, policy_object=policy_object
        )
    index = forum_governance_index(forum_get(slug=forum.slug))
    scores = {c.code: c.score for c in index.components}
    assert scores["C3"] == 1.0
    assert scores["C4"] == 1.0
    assert scores["C6"] == 1.0
    assert index.composite == pytest.approx(sum(scores.values()) / 6)

    consultation = forum_with_seats(status=ForumStatus.ACTIVE)
    fill_seats(consultation, "opd", "dprd")
    index = forum_governance_index(forum_get(slug=consultation.slug))
    assert index.is_collaborative is False
    assert index.composite is None
    assert "konsultasi" in index.note
