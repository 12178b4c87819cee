"""Reads for forums: public lists, one forum with its charter, members by sector, and the live
checklist of the six collaborative-governance criteria (C1–C6)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.actors.models import Organisation, Sector
from sinergi.core.reference_labels import reference_label
from sinergi.forums.models import DecisionRule, FallbackRule, Forum, ForumMember, SeatAllocation
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.meetings.models import AgendaItem, Attendance, Meeting
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.policy.models import PolicyObject

PENDING_STATUSES = (ForumMemberStatus.INVITED, ForumMemberStatus.APPLIED)


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    counted = rows.order_by().values("forum").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def forum_list_public(
    *,
    status: str | None = None,
    convener: Organisation | None = None,
    sector: Sector | None = None,
    policy_object: PolicyObject | None = None,
) -> QuerySet[Forum]:
    """Every forum (drafts included: forming a forum is public too), newest activity first
    by status, with member and meeting counts computed in the same query."""
    active_members = ForumMember.objects.filter(forum=OuterRef("pk"), status=ForumMemberStatus.ACTIVE)
    # One correlated subquery per count: joining members and meetings together would multiply
    # the rows (members × meetings per forum) before counting them.
    forums = (
        Forum.objects.select_related("convener__kind", "charter")
        .prefetch_related("policy_objects")
        .annotate(
            active_member_count=_count_of(active_members),
            meeting_count=_count_of(Meeting.objects.filter(forum=OuterRef("pk"))),
        )
    )
    if status:
        forums = forums.filter(status=status)
    if convener is not None:
        forums = forums.filter(convener=convener)
    if sector is not None:
        seats = SeatAllocation.objects.filter(charter__forum=OuterRef("pk"), sector=sector)
        forums = forums.filter(Exists(seats) | Exists(active_members.filter(sector=sector)))
    if policy_object is not None:
        forums = forums.filter(policy_objects=policy_object)
    return forums.order_by("name", "pk")


def forum_get(*, slug: str) -> Forum:
    """One forum with everything its page shows about the charter; raises Forum.DoesNotExist."""
    return (
        Forum.objects.select_related("convener__kind", "convener__sector", "convener__parent", "charter")
        .prefetch_related(
            Prefetch("charter__seats", queryset=SeatAllocation.objects.select_related("sector")),
            "charter__quorum_sectors",
            "policy_objects",
        )
        .get(slug=slug)
    )


def forum_members(forum: Forum, *, statuses: tuple[str, ...] = (ForumMemberStatus.ACTIVE,)) -> QuerySet[ForumMember]:
    return (
        forum.members.filter(status__in=statuses)
        .select_related("person", "organisation", "sector")
        .order_by("sector__order", "person__full_name")
    )


def forum_pending_members(forum: Forum) -> QuerySet[ForumMember]:
    """Open invitations and applications awaiting an answer."""
    return forum_members(forum, statuses=PENDING_STATUSES)


@dataclass
class SectorGroup:
    sector: Sector
    members: list[ForumMember] = field(default_factory=list)
    minimum: int | None = None
    maximum: int | None = None

    @property
    def filled(self) -> int:
        return len(self.members)

    @property
    def has_seat(self) -> bool:
        return self.minimum is not None

    @property
    def is_met(self) -> bool:
        return self.filled >= (self.minimum or 0)


def forum_members_by_sector(forum: Forum) -> list[SectorGroup]:
    """Active members grouped by sector, with each sector's seat minimum and maximum; sectors
    with seats but nobody in them are listed too (an empty seat is information)."""
    groups: dict[int, SectorGroup] = {}
    seats = sorted(_charter_seats(forum), key=lambda s: (s.sector.order, s.sector.pk))
    for seat in seats:
        groups[seat.sector_id] = SectorGroup(sector=seat.sector, minimum=seat.minimum, maximum=seat.maximum)
    for member in forum_members(forum):
        group = groups.get(member.sector_id)
        if group is None:
            group = groups[member.sector_id] = SectorGroup(sector=member.sector)
        group.members.append(member)
    return sorted(groups.values(), key=lambda g: (g.sector.order, g.sector.pk))


def _charter_seats(forum: Forum) -> list[SeatAllocation]:
    charter = getattr(forum, "charter", None)
    if charter is None:
        return []
    return list(charter.seats.all())


def forum_meetings(forum: Forum) -> dict[str, list[Meeting]]:
    """Upcoming (not cancelled) and past meetings, each list capped for the forum page."""
    now = timezone.now()
    meetings = Meeting.objects.filter(forum=forum).only("uid", "title", "starts_at", "status", "location", "forum_id")
    upcoming = list(
        meetings.filter(starts_at__gte=now).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at")[:10]
    )
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10])
    return {"upcoming": upcoming, "past": past}


# ---------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    met: bool
    evidence: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "met": self.met, "evidence": self.evidence}


def _c1(forum: Forum) -> Criterion:
    convener = forum.convener
    met = convener.kind.is_public_institution
    if met:
        evidence = [
            _("Dibentuk oleh %(organisation)s (%(kind)s), lembaga publik.")
            % {"organisation": convener.name, "kind": convener.kind.name}
        ]
    else:
        evidence = [_("Penyelenggara %(organisation)s bukan lembaga publik.") % {"organisation": convener.name}]
    return Criterion("C1", _("Diprakarsai lembaga publik"), met, evidence)


def _c2(forum: Forum, groups: list[SectorGroup]) -> Criterion:
    non_state = [g for g in groups if not g.sector.is_state]
    seated = [g for g in non_state if g.minimum]
    evidence = [
        _("%(sector)s: %(filled)s dari minimum %(minimum)s kursi")
        % {"sector": reference_label(g.sector.name), "filled": g.filled, "minimum": g.minimum}
        for g in seated
    ]
    non_state_active = sum(g.filled for g in non_state)
    evidence.append(_("%(count)s anggota aktif dari sektor non-negara.") % {"count": non_state_active})
    if not seated:
        evidence.insert(0, _("Piagam belum menyediakan kursi minimum untuk sektor non-negara."))
    met = bool(seated) and all(g.is_met for g in seated) and non_state_active > 0
    return Criterion("C2", _("Melibatkan aktor non-negara"), met, evidence)


def agenda_item_counts(forum: Forum) -> dict[str, int]:
    """Agenda items of the forum's meetings: all, proposed by non-state members, linked to a
    policy object. One query."""
    non_state_proposers = ForumMember.objects.filter(
        forum=forum, person=OuterRef("proposed_by"), sector__is_state=False
    )
    return AgendaItem.objects.filter(meeting__forum=forum).aggregate(
        total=Count("id"),
        # The sector recorded when the item was tabled wins; older items fall back to the seat.
        non_state=Count(
            "id",
            filter=Q(proposer_sector__is_state=False)
            | (Q(proposer_sector__isnull=True) & Q(Exists(non_state_proposers))),
        ),
        linked=Count("id", filter=Q(policy_object__isnull=False)),
    )


def _c3(forum: Forum, groups: list[SectorGroup]) -> Criterion:
    non_state_members = sum(g.filled for g in groups if not g.sector.is_state)
    counts = agenda_item_counts(forum)
    evidence = [
        _("Setiap anggota, dari sektor mana pun, dapat mengusulkan acara rapat."),
        _("%(non_state)s dari %(total)s acara rapat diusulkan anggota non-negara.")
        % {"non_state": counts["non_state"], "total": counts["total"]},
    ]
    met = non_state_members > 0 and counts["non_state"] > 0
    if not met:
        evidence.append(_("Belum ada acara rapat yang diusulkan anggota non-negara."))
    return Criterion("C3", _("Peserta terlibat langsung dalam keputusan"), met, evidence)


def _c4(forum: Forum) -> Criterion:
    charter = getattr(forum, "charter", None)
    evidence: list[str] = []
    checks: list[bool] = []
    checks.append(charter is not None)
    legal_basis = charter.legal_basis if charter else ""
    checks.append(bool(legal_basis))
    evidence.append(
        _("Dasar hukum: %(basis)s") % {"basis": legal_basis} if legal_basis else _("Dasar hukum belum dicantumkan.")
    )
    rrule = charter.meeting_rrule if charter else ""
    checks.append(bool(rrule))
    evidence.append(
        _("Jadwal rapat berkala: %(rule)s") % {"rule": rrule} if rrule else _("Jadwal rapat berkala belum ditetapkan.")
    )
    roll_called = Attendance.objects.filter(meeting=OuterRef("pk"))
    held = Meeting.objects.filter(forum=forum, status=MeetingStatus.CLOSED).aggregate(
        held=Count("id"),
        with_roll_call=Count("id", filter=Exists(roll_called)),
        with_minutes=Count("id", filter=Q(minutes__status=MinutesStatus.APPROVED)),
    )
    checks.append(held["with_roll_call"] > 0)
    checks.append(held["with_minutes"] > 0)
    evidence.append(
        _("%(held)s rapat selesai; %(roll)s dengan daftar hadir; %(minutes)s dengan notulen disahkan.")
        % {"held": held["held"], "roll": held["with_roll_call"], "minutes": held["with_minutes"]}
    )
    return Criterion("C4", _("Terorganisasi formal, bertemu bersama secara berkala"), all(checks), evidence)


def _c5(forum: Forum) -> Criterion:
    charter = getattr(forum, "charter", None)
    if charter is None:
        return Criterion("C5", _("Berorientasi mufakat"), False, [_("Piagam belum ada.")])
    consensus = charter.decision_rule == DecisionRule.CONSENSUS
    evidence = [_("Aturan keputusan: %(rule)s") % {"rule": charter.get_decision_rule_display()}]
    if charter.fallback_rule == FallbackRule.NONE:
        evidence.append(_("Tanpa aturan cadangan: keputusan hanya dengan mufakat."))
        fallback_ok = True
    else:
        fallback_ok = charter.fallback_after_rounds >= 1
        evidence.append(
            _("Cadangan: %(rule)s (ambang %(threshold)s), hanya setelah %(rounds)s putaran mufakat tercatat.")
            % {
                "rule": charter.get_fallback_rule_display(),
                "threshold": str(charter.fallback_threshold).replace(".", ","),
                "rounds": charter.fallback_after_rounds,
            }
        )
    return Criterion("C5", _("Berorientasi mufakat"), consensus and fallback_ok, evidence)


def _c6(forum: Forum) -> Criterion:
    linked = list(forum.policy_objects.all())
    evidence = [str(p) for p in linked] or [_("Belum ada objek kebijakan yang ditautkan.")]
    return Criterion("C6", _("Berfokus pada kebijakan dan urusan publik"), bool(linked), evidence)


def forum_criteria(forum: Forum, *, groups: list[SectorGroup] | None = None) -> list[Criterion]:
    """The live checklist of the six criteria, each met or unmet with its evidence."""
    groups = groups if groups is not None else forum_members_by_sector(forum)
    return [_c1(forum), _c2(forum, groups), _c3(forum, groups), _c4(forum), _c5(forum), _c6(forum)]


def forum_status_counts() -> dict[str, int]:
    rows = Forum.objects.values_list("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(ForumStatus.values, 0)
    counts.update(dict(rows))
    return counts


# ---------------------------------------------------------------------------- governance index

# Below this many meetings held, a composite score says more about chance than about the forum.
CGI_MINIMUM_MEETINGS = 3


@dataclass(frozen=True)
class IndexComponent:
    code: str
    title: str
    score: float | None  # 0–1; None when there is no data to compute it from
    basis: str


@dataclass(frozen=True)
class GovernanceIndex:
    """The Collaborative Governance Index (indonesia-context §3.3, part A): one score per
    criterion, always shown with its components, and a composite only when there is enough data."""

    components: list[IndexComponent]
    composite: float | None
    meetings_held: int
    is_collaborative: bool
    note: str


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def forum_governance_index(forum: Forum, *, groups: list[SectorGroup] | None = None) -> GovernanceIndex:
    """`groups`: the forum's members by sector when the caller already has them."""
    groups = groups if groups is not None else forum_members_by_sector(forum)
    active = sum(g.filled for g in groups)
    non_state_active = sum(g.filled for g in groups if not g.sector.is_state)
    sector_count = Sector.objects.count() or 1
    entropy = -sum((g.filled / active) * math.log(g.filled / active) for g in groups if g.filled) if active else 0.0
    diversity = entropy / math.log(sector_count) if sector_count > 1 else 0.0
    non_state_share = _share(non_state_active, active)
    c2 = None if non_state_share is None else (non_state_share + diversity) / 2

    items = agenda_item_counts(forum)
    roll_called = Attendance.objects.filter(meeting=OuterRef("pk"))
    meetings = Meeting.objects.filter(forum=forum, status=MeetingStatus.CLOSED).aggregate(
        held=Count("id"),
        with_roll_call=Count("id", filter=Exists(roll_called)),
        with_minutes=Count("id", filter=Q(minutes__status=MinutesStatus.APPROVED)),
    )
    charter = getattr(forum, "charter", None)
    formal_checks = [
        bool(charter and charter.legal_basis),
        bool(charter and charter.terms_of_reference),
        bool(charter and charter.meeting_rrule),
    ]
    held = meetings["held"]
    c4_parts = [float(check) for check in formal_checks]
    if held:
        c4_parts += [meetings["with_roll_call"] / held, meetings["with_minutes"] / held]
    consensus = bool(
        charter
        and charter.decision_rule == DecisionRule.CONSENSUS
        and (charter.fallback_rule == FallbackRule.NONE or charter.fallback_after_rounds >= 1)
    )
    linked_policy = forum.policy_objects.exists()
    c6 = _share(items["linked"], items["total"])
    components = [
        IndexComponent(
            "C1", _("Prakarsa publik"), 1.0 if forum.convener.kind.is_public_institution else 0.0, _("penyelenggara")
        ),
        IndexComponent(
            "C2",
            _("Partisipasi non-negara"),
            c2,
            _("rata-rata bagian anggota non-negara dan keragaman sektor (entropi Shannon ternormalisasi)"),
        ),
        IndexComponent(
            "C3",
            _("Keterlibatan langsung"),
            _share(items["non_state"], items["total"]),
            _("bagian acara rapat yang diusulkan anggota non-negara"),
        ),
        IndexComponent(
            "C4",
            _("Formal dan kolektif"),
            sum(c4_parts) / len(c4_parts),
            _("SK, ToR, jadwal berkala, daftar hadir dan notulen disahkan per rapat"),
        ),
        IndexComponent(
            "C5",
            _("Berorientasi mufakat"),
            1.0 if consensus else 0.0,
            _("aturan keputusan piagam (belum dari catatan keputusan)"),
        ),
        IndexComponent(
            "C6",
            _("Fokus kebijakan publik"),
            c6 if c6 is not None else (1.0 if linked_policy else 0.0),
            _("bagian acara rapat yang tertaut objek kebijakan")
            if c6 is not None
            else _("objek kebijakan tertaut pada forum"),
        ),
    ]
    is_collaborative = components[0].score == 1.0 and non_state_active > 0
    scores = [c.score for c in components if c.score is not None]
    composite = sum(scores) / len(scores) if scores and held >= CGI_MINIMUM_MEETINGS and is_collaborative else None
    if not is_collaborative:
        note = _("Bukan tata kelola kolaboratif (konsultasi): kriteria C1 atau C2 tidak terpenuhi sama sekali.")
    elif held < CGI_MINIMUM_MEETINGS:
        note = _("Indeks gabungan ditampilkan setelah sedikitnya %(n)s rapat selesai; baru %(held)s.") % {
            "n": CGI_MINIMUM_MEETINGS,
            "held": held,
        }
    else:
        note = _("Rata-rata tanpa bobot dari komponen yang datanya tersedia.")
    return GovernanceIndex(components, composite, held, is_collaborative, note)
