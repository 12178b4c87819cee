from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest

from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role, sector
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.forums.models import Charter, FallbackRule, Forum, ForumMember, ForumRole, MembershipPolicy
from sinergi.forums.services import (
    SeatSpec,
    forum_activate,
    forum_charter_update,
    forum_close,
    forum_convene,
    forum_member_accept,
    forum_member_apply,
    forum_member_approve,
    forum_member_decline,
    forum_member_invite,
    forum_member_leave,
    forum_member_reject,
    forum_member_set_role,
    forum_policy_object_link,
    resolve_representation,
)
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.forums.tests.factories import ForumMemberFactory, fill_seats, forum_with_seats
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.policy.services import policy_object_create
from sinergi.policy.tests.factories import PolicyObjectFactory

pytestmark = pytest.mark.django_db


@contextmanager
def one_entry(event: LedgerEvent) -> Iterator[None]:
    before = LedgerEntry.objects.count()
    yield
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-sequence").first().event_type == event


def refused(error: type[Exception], call: Callable[[], Any], *, match: str | None = None) -> Exception:
    before = LedgerEntry.objects.count()
    with pytest.raises(error, match=match) as info:
        call()
    assert LedgerEntry.objects.count() == before, "a refusal must not write to the log"
    return info.value


def standard_seats() -> list[SeatSpec]:
    return [
        SeatSpec(sector("swasta"), 1, 3),
        SeatSpec(sector("masyarakat"), 1),
        SeatSpec(sector("pemuda"), 1),
    ]


def convene(persona: Any, **overrides: Any) -> Forum:
    values: dict[str, Any] = {
        "actor": persona.user,
        "convener": persona.organisation,
        "name": "Forum Kota Layak Anak",
        "purpose": "Menyusun rencana aksi kota layak anak bersama.",
        "legal_basis": "SK Wali Kota Blitar Nomor 188/12/HK/2026",
        "meeting_rrule": "FREQ=MONTHLY;BYDAY=2TU",
        "seats": standard_seats(),
    }
    values.update(overrides)
    return forum_convene(**values)


# ---------------------------------------------------------------------------- convene (C1)


def test_opd_officer_convenes_a_draft_forum_and_becomes_its_secretariat(personas: Any) -> None:
    officer = personas["opd_officer"]
    with one_entry(LedgerEvent.FORUM_CONVENED):
        forum = convene(officer, quorum_member_share="0.60", quorum_sectors=[sector("swasta")])
    assert forum.status == ForumStatus.DRAFT
    assert forum.slug == "forum-kota-layak-anak"
    charter = Charter.objects.get(forum=forum)
    assert charter.quorum_member_share == Decimal("0.60")
    assert list(charter.quorum_sectors.values_list("code", flat=True)) == ["swasta"]
    assert {(s.sector.code, s.minimum, s.maximum) for s in charter.seats.all()} == {
        ("swasta", 1, 3),
        ("masyarakat", 1, None),
        ("pemuda", 1, None),
    }
    secretariat = forum.members.get()
    assert secretariat.person == officer.person
    assert secretariat.role == ForumRole.SECRETARIAT
    assert secretariat.sector.code == "pemerintah"
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.payload["seats"]["swasta"] == [1, 3]
    assert entry.subject_id == str(forum.uid)


def test_second_forum_with_the_same_name_gets_a_distinct_slug(personas: Any) -> None:
    first = convene(personas["opd_officer"])
    second = convene(personas["dprd_member"])
    assert first.slug != second.slug


@pytest.mark.parametrize("role_name", ["swasta", "masyarakat", "pemuda", "akademisi", "media"])
def test_non_state_accounts_cannot_convene(personas: Any, role_name: str) -> None:
    refused(NotPermitted, lambda: convene(personas[role_name]), match="lembaga publik")
    assert not Forum.objects.exists()


def test_official_cannot_convene_for_an_institution_they_do_not_act_for(personas: Any) -> None:
    other_opd = OrganisationFactory(kind=kind("opd"))
    refused(NotPermitted, lambda: convene(personas["opd_officer"], convener=other_opd), match="tidak bertindak")


def test_plain_member_of_an_opd_cannot_convene(personas: Any) -> None:
    """Holding a non-acting role (anggota) in an institution is not acting for it."""
    opd = OrganisationFactory(kind=kind("opd"))
    membership = MembershipFactory(organisation=opd, role=role("anggota"))
    refused(NotPermitted, lambda: forum_convene(actor=membership.person.user, convener=opd, name="X", purpose="Y"))


def test_administrator_may_convene_for_any_public_institution_without_joining(personas: Any) -> None:
    with one_entry(LedgerEvent.FORUM_CONVENED):
        forum = convene(personas["administrator"], convener=personas["dprd_member"].organisation)
    assert forum.members.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": " "}, "Nama forum"),
        ({"purpose": ""}, "Tujuan"),
        ({"meeting_rrule": "every tuesday"}, "RRULE"),
        ({"meeting_rrule": "FREQ=SOMETIMES"}, "RRULE"),
        ({"quorum_member_share": "1.5"}, "Kuorum"),
        ({"quorum_member_share": "abc"}, "angka"),
        ({"fallback_threshold": "0.40"}, "Ambang"),
        ({"fallback_after_rounds": 0}, "putaran"),
        ({"membership_policy": "open"}, "keanggotaan"),
        ({"colour": "red"}, "tidak dikenal"),
    ],
)
def test_convene_validates_the_charter(personas: Any, overrides: dict[str, Any], message: str) -> None:
    refused(RuleViolation, lambda: convene(personas["opd_officer"], **overrides), match=message)
    assert not Forum.objects.exists()


def test_convene_refuses_inconsistent_seats(personas: Any) -> None:
    twice = [SeatSpec(sector("swasta"), 1), SeatSpec(sector("swasta"), 2)]
    refused(RuleViolation, lambda: convene(personas["opd_officer"], seats=twice), match="dua kali")
    upside_down = [SeatSpec(sector("swasta"), 3, 2)]
    refused(RuleViolation, lambda: convene(personas["opd_officer"], seats=upside_down), match="lebih kecil")
    assert not Forum.objects.exists()


# ---------------------------------------------------------------------------- charter


def test_draft_charter_changes_structure_and_logs_old_and_new(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    with one_entry(LedgerEvent.FORUM_CHARTER_UPDATED):
        forum_charter_update(
            actor=personas["opd_officer"].user,
            forum=forum,
            quorum_member_share="0.75",
            fallback_rule=FallbackRule.QUALIFIED_MAJORITY_EACH_SECTOR,
            seats=[SeatSpec(sector("swasta"), 2)],
        )
    changes = LedgerEntry.objects.order_by("-sequence").first().payload["changes"]
    assert changes["quorum_member_share"] == {"old": "0.50", "new": "0.75"}
    assert changes["fallback_rule"]["new"] == FallbackRule.QUALIFIED_MAJORITY_EACH_SECTOR
    assert changes["seats"]["new"] == {"swasta": [2, None]}
    assert list(forum.charter.seats.values_list("sector__code", "minimum")) == [("swasta", 2)]


def test_active_forum_allows_descriptive_changes_only(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation, status=ForumStatus.ACTIVE)
    actor = personas["opd_officer"].user
    refused(
        RuleViolation,
        lambda: forum_charter_update(actor=actor, forum=forum, quorum_member_share="0.90"),
        match="draf",
    )
    refused(RuleViolation, lambda: forum_charter_update(actor=actor, forum=forum, seats=[]), match="draf")
    with one_entry(LedgerEvent.FORUM_CHARTER_UPDATED):
        forum_charter_update(actor=actor, forum=forum, legal_basis="SK Nomor 2/2027", name="Nama baru")
    payload = LedgerEntry.objects.order_by("-sequence").first().payload
    assert payload["changes"]["legal_basis"]["new"] == "SK Nomor 2/2027"
    assert payload["changes"]["name"] == {"old": forum.name, "new": "Nama baru"}
    assert payload["status"] == ForumStatus.ACTIVE


def test_charter_update_without_change_or_on_a_closed_forum_is_refused(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    actor = personas["opd_officer"].user
    refused(RuleViolation, lambda: forum_charter_update(actor=actor, forum=forum, purpose=forum.charter.purpose))
    forum_close(actor=actor, forum=forum)
    refused(RuleViolation, lambda: forum_charter_update(actor=actor, forum=forum, purpose="Baru"), match="ditutup")


def test_failed_charter_update_leaves_nothing_half_done(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    refused(
        RuleViolation,
        lambda: forum_charter_update(
            actor=personas["opd_officer"].user, forum=forum, purpose="Baru", meeting_rrule="FREQ=NEVER"
        ),
    )
    assert Charter.objects.get(forum=forum).purpose != "Baru"


# ---------------------------------------------------------------------------- policy objects (C6)


def test_policy_object_create_and_link(personas: Any) -> None:
    with one_entry(LedgerEvent.POLICY_OBJECT_CREATED):
        policy_object = policy_object_create(
            actor=None, kind="regulation", code="Ranperda 3/2026", title="Ranperda Kota Layak Anak"
        )
    refused(
        RuleViolation, lambda: policy_object_create(actor=None, kind="regulation", code="Ranperda 3/2026", title="X")
    )
    refused(RuleViolation, lambda: policy_object_create(actor=None, kind="wish", title="X"))
    refused(RuleViolation, lambda: policy_object_create(actor=None, kind="asset", title=" "))
    forum = convene(personas["opd_officer"])
    with one_entry(LedgerEvent.FORUM_POLICY_OBJECT_LINKED):
        forum_policy_object_link(actor=personas["opd_officer"].user, forum=forum, policy_object=policy_object)
    assert list(forum.policy_objects.all()) == [policy_object]
    refused(
        RuleViolation,
        lambda: forum_policy_object_link(actor=None, forum=forum, policy_object=policy_object),
        match="sudah",
    )


# ---------------------------------------------------------------------------- activation (C2)


def test_forum_with_only_government_members_cannot_be_activated(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    forum_policy_object_link(actor=None, forum=forum, policy_object=PolicyObjectFactory())
    for kind_code in ("opd", "kelurahan", "dprd"):
        ForumMemberFactory(forum=forum, organisation=OrganisationFactory(kind=kind(kind_code)))
    error = refused(RuleViolation, lambda: forum_activate(actor=personas["opd_officer"].user, forum=forum))
    assert "Swasta (0 dari 1)" in str(error)
    assert "Masyarakat (0 dari 1)" in str(error)
    assert "Pemuda (0 dari 1)" in str(error)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.DRAFT


def test_charter_without_non_state_seats_cannot_be_activated(personas: Any) -> None:
    forum = convene(personas["opd_officer"], seats=[SeatSpec(sector("pemerintah"), 1)])
    forum_policy_object_link(actor=None, forum=forum, policy_object=PolicyObjectFactory())
    error = refused(RuleViolation, lambda: forum_activate(actor=None, forum=forum))
    assert "kursi minimum untuk sektor non-negara" in str(error)


def test_activation_needs_a_policy_object_and_lists_only_what_is_missing(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation)
    fill_seats(forum, "perusahaan", "lsm")
    error = refused(RuleViolation, lambda: forum_activate(actor=None, forum=forum))
    assert "objek kebijakan" in str(error)
    assert "Pemuda (0 dari 1)" in str(error)
    assert "Swasta" not in str(error)


def test_invited_or_applied_people_do_not_fill_seats(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation)
    forum.policy_objects.add(PolicyObjectFactory())
    fill_seats(forum, "perusahaan", "lsm")
    ForumMemberFactory(
        forum=forum, organisation=OrganisationFactory(kind=kind("karang-taruna")), status=ForumMemberStatus.INVITED
    )
    refused(RuleViolation, lambda: forum_activate(actor=None, forum=forum), match="Pemuda")


def test_ready_forum_activates_then_closes(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation)
    forum.policy_objects.add(PolicyObjectFactory())
    fill_seats(forum, "perusahaan", "lsm", "karang-taruna")
    with one_entry(LedgerEvent.FORUM_ACTIVATED):
        forum_activate(actor=personas["opd_officer"].user, forum=forum)
    forum.refresh_from_db()
    assert forum.status == ForumStatus.ACTIVE
    assert forum.activated_at is not None
    assert LedgerEntry.objects.order_by("-sequence").first().payload["active_members_by_sector"] == {
        "swasta": 1,
        "masyarakat": 1,
        "pemuda": 1,
    }
    refused(InvalidTransition, lambda: forum_activate(actor=None, forum=forum))
    with one_entry(LedgerEvent.FORUM_CLOSED):
        forum_close(actor=personas["opd_officer"].user, forum=forum, note="Mandat selesai.")
    forum.refresh_from_db()
    assert (forum.status, forum.closing_note) == (ForumStatus.CLOSED, "Mandat selesai.")
    refused(InvalidTransition, lambda: forum_close(actor=None, forum=forum))
    refused(InvalidTransition, lambda: forum_activate(actor=None, forum=forum))


def test_close_refuses_an_overlong_note(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation)
    refused(RuleViolation, lambda: forum_close(actor=None, forum=forum, note="x" * 2001))


# ---------------------------------------------------------------------------- membership (C3)


def test_representation_follows_the_organisation_or_the_only_acting_membership(personas: Any) -> None:
    swasta = personas["swasta"]
    assert resolve_representation(swasta.person, None) == (swasta.organisation, sector("swasta"))
    assert resolve_representation(personas["citizen"].person, None) == (None, sector("masyarakat"))
    MembershipFactory(person=swasta.person, organisation=OrganisationFactory(kind=kind("umkm")), role=role("ketua"))
    with pytest.raises(RuleViolation, match="lebih dari satu"):
        resolve_representation(swasta.person, None)
    with pytest.raises(RuleViolation, match="tidak terdaftar"):
        resolve_representation(swasta.person, personas["pemuda"].organisation)


def test_invite_accept_and_the_invitee_only(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    pemuda = personas["pemuda"]
    with one_entry(LedgerEvent.FORUM_MEMBER_INVITED):
        member = forum_member_invite(actor=personas["opd_officer"].user, forum=forum, person=pemuda.person)
    assert (member.status, member.sector.code, member.organisation) == (
        ForumMemberStatus.INVITED,
        "pemuda",
        pemuda.organisation,
    )
    refused(RuleViolation, lambda: forum_member_invite(actor=None, forum=forum, person=pemuda.person), match="sudah")
    refused(NotPermitted, lambda: forum_member_accept(actor=personas["swasta"].user, member=member))
    with one_entry(LedgerEvent.FORUM_MEMBER_JOINED):
        forum_member_accept(actor=pemuda.user, member=member)
    member.refresh_from_db()
    assert member.status == ForumMemberStatus.ACTIVE
    assert member.joined_at is not None
    refused(RuleViolation, lambda: forum_member_accept(actor=pemuda.user, member=member))


def test_declined_invitation_can_be_renewed(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    media = personas["media"]
    member = forum_member_invite(actor=None, forum=forum, person=media.person)
    with one_entry(LedgerEvent.FORUM_MEMBER_DECLINED):
        forum_member_decline(actor=media.user, member=member)
    refused(RuleViolation, lambda: forum_member_decline(actor=media.user, member=member))
    with one_entry(LedgerEvent.FORUM_MEMBER_INVITED):
        again = forum_member_invite(actor=None, forum=forum, person=media.person)
    assert again.pk == member.pk
    assert again.status == ForumMemberStatus.INVITED


def test_invite_respects_seat_maximum_and_closed_forums(personas: Any) -> None:
    forum = convene(personas["opd_officer"], seats=[SeatSpec(sector("swasta"), 1, 1)])
    fill_seats(forum, "perusahaan")
    refused(
        RuleViolation,
        lambda: forum_member_invite(actor=None, forum=forum, person=personas["swasta"].person),
        match="penuh",
    )
    forum_close(actor=None, forum=forum)
    refused(
        RuleViolation,
        lambda: forum_member_invite(actor=None, forum=forum, person=personas["pemuda"].person),
        match="ditutup",
    )


def test_accept_refused_when_seats_filled_meanwhile(personas: Any) -> None:
    forum = convene(personas["opd_officer"], seats=[SeatSpec(sector("swasta"), 1, 1)])
    member = forum_member_invite(actor=None, forum=forum, person=personas["swasta"].person)
    fill_seats(forum, "perusahaan")
    refused(RuleViolation, lambda: forum_member_accept(actor=personas["swasta"].user, member=member), match="penuh")
    member.refresh_from_db()
    assert member.status == ForumMemberStatus.INVITED


def test_apply_approve_reject(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    steward = personas["opd_officer"].user
    with one_entry(LedgerEvent.FORUM_MEMBER_APPLIED):
        application = forum_member_apply(actor=personas["masyarakat"].user, forum=forum, motivation="Peduli anak.")
    assert (application.status, application.sector.code) == (ForumMemberStatus.APPLIED, "masyarakat")
    with one_entry(LedgerEvent.FORUM_MEMBER_JOINED):
        forum_member_approve(actor=steward, member=application, reason="Sesuai piagam.")
    application.refresh_from_db()
    assert application.status == ForumMemberStatus.ACTIVE
    assert application.decided_by == steward

    citizen_application = forum_member_apply(actor=personas["citizen"].user, forum=forum)
    assert citizen_application.organisation is None
    refused(RuleViolation, lambda: forum_member_reject(actor=steward, member=citizen_application, reason=" "))
    with one_entry(LedgerEvent.FORUM_MEMBER_DECLINED):
        forum_member_reject(actor=steward, member=citizen_application, reason="Kursi warga sudah terwakili.")
    assert LedgerEntry.objects.order_by("-sequence").first().payload["reason"] == "Kursi warga sudah terwakili."
    citizen_application.refresh_from_db()
    assert citizen_application.status == ForumMemberStatus.REJECTED
    refused(RuleViolation, lambda: forum_member_approve(actor=steward, member=citizen_application))
    refused(RuleViolation, lambda: forum_member_reject(actor=steward, member=citizen_application, reason="x"))


def test_apply_refused_by_invitation_only_charter_and_for_members(personas: Any) -> None:
    forum = convene(personas["opd_officer"], membership_policy=MembershipPolicy.INVITATION)
    refused(RuleViolation, lambda: forum_member_apply(actor=personas["swasta"].user, forum=forum), match="undangan")
    open_forum = convene(personas["dprd_member"])
    refused(
        RuleViolation, lambda: forum_member_apply(actor=personas["dprd_member"].user, forum=open_forum), match="sudah"
    )
    user_without_profile = PersonFactory().user
    user_without_profile.person.delete()
    user_without_profile.refresh_from_db()
    refused(RuleViolation, lambda: forum_member_apply(actor=user_without_profile, forum=open_forum), match="profil")
    assert not ForumMember.objects.filter(status=ForumMemberStatus.APPLIED).exists()


def test_member_leaves_and_only_for_themselves(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    member = ForumMemberFactory(
        forum=forum, person=personas["swasta"].person, organisation=personas["swasta"].organisation
    )
    refused(NotPermitted, lambda: forum_member_leave(actor=personas["opd_officer"].user, member=member))
    with one_entry(LedgerEvent.FORUM_MEMBER_LEFT):
        forum_member_leave(actor=personas["swasta"].user, member=member)
    member.refresh_from_db()
    assert member.status == ForumMemberStatus.LEFT
    assert member.left_at is not None
    refused(RuleViolation, lambda: forum_member_leave(actor=personas["swasta"].user, member=member))
    with one_entry(LedgerEvent.FORUM_MEMBER_APPLIED):
        forum_member_apply(actor=personas["swasta"].user, forum=forum)


def test_set_role_one_chair_at_a_time(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    first, second = fill_seats(forum, "perusahaan", "lsm")
    actor = personas["opd_officer"].user
    with one_entry(LedgerEvent.FORUM_MEMBER_ROLE_CHANGED):
        forum_member_set_role(actor=actor, member=first, role=ForumRole.CHAIR)
    payload = LedgerEntry.objects.order_by("-sequence").first().payload
    assert (payload["old_role"], payload["new_role"]) == ("member", "chair")
    refused(
        RuleViolation, lambda: forum_member_set_role(actor=actor, member=second, role=ForumRole.CHAIR), match="ketua"
    )
    refused(RuleViolation, lambda: forum_member_set_role(actor=actor, member=first, role=ForumRole.CHAIR))
    refused(RuleViolation, lambda: forum_member_set_role(actor=actor, member=first, role="king"))
    forum_member_set_role(actor=actor, member=first, role=ForumRole.MEMBER)
    with one_entry(LedgerEvent.FORUM_MEMBER_ROLE_CHANGED):
        forum_member_set_role(actor=actor, member=second, role=ForumRole.CHAIR)
    pending = ForumMemberFactory(forum=forum, status=ForumMemberStatus.INVITED)
    refused(RuleViolation, lambda: forum_member_set_role(actor=actor, member=pending, role=ForumRole.SECRETARIAT))


def test_an_invitation_to_chair_respects_the_sitting_chair(personas: Any) -> None:
    forum = convene(personas["opd_officer"])
    invitation = forum_member_invite(actor=None, forum=forum, person=personas["pemuda"].person, role=ForumRole.CHAIR)
    (chair,) = fill_seats(forum, "lsm")
    forum_member_set_role(actor=None, member=chair, role=ForumRole.CHAIR)
    refused(RuleViolation, lambda: forum_member_accept(actor=personas["pemuda"].user, member=invitation), match="ketua")
    refused(
        RuleViolation,
        lambda: forum_member_invite(actor=None, forum=forum, person=personas["media"].person, role=ForumRole.CHAIR),
        match="ketua",
    )
