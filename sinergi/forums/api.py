"""Forums API: public reads without a token; writes with a token under the same rules as the pages."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.actors.models import Organisation, Person, Sector
from sinergi.core.errors import RuleViolation
from sinergi.forums.models import Forum, ForumMember
from sinergi.forums.selectors import (
    forum_criteria,
    forum_get,
    forum_governance_index,
    forum_list_public,
    forum_members,
    forum_members_by_sector,
)
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
)
from sinergi.policy.models import PolicyObject

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"
SlugPath = Path(..., max_length=120, pattern=SLUG)
MemberIdPath = Path(..., ge=1, le=2**62)


# ---------------------------------------------------------------------------- schemas out


class OrganisationRef(Schema):
    uid: uuid.UUID
    slug: str
    name: str


class PolicyObjectOut(Schema):
    uid: uuid.UUID
    kind: str
    code: str
    title: str


class ForumOut(Schema):
    uid: uuid.UUID
    slug: str
    name: str
    status: str
    convener: OrganisationRef
    active_member_count: int
    meeting_count: int
    policy_objects: list[PolicyObjectOut]
    activated_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_policy_objects(obj: Forum | dict[str, Any]) -> list[PolicyObject]:
        if isinstance(obj, dict):
            return obj["policy_objects"]
        return list(obj.policy_objects.all())


class SeatOut(Schema):
    sector: str
    sector_name: str
    is_state: bool
    minimum: int | None
    maximum: int | None
    filled: int


class CharterOut(Schema):
    purpose: str
    legal_basis: str
    terms_of_reference: str
    membership_policy: str
    quorum_member_share: str
    quorum_sectors: list[str]
    decision_rule: str
    fallback_rule: str
    fallback_threshold: str
    fallback_after_rounds: int
    meeting_rrule: str
    meeting_duration_minutes: int
    default_location: str
    agenda_notice_days: int


class ForumDetailOut(ForumOut):
    charter: CharterOut
    seats: list[SeatOut]
    closing_note: str


class CriterionOut(Schema):
    code: str
    title: str
    met: bool
    evidence: list[str]


class IndexComponentOut(Schema):
    code: str
    title: str
    score: float | None
    basis: str


class GovernanceIndexOut(Schema):
    components: list[IndexComponentOut]
    composite: float | None
    meetings_held: int
    is_collaborative: bool
    note: str


class MemberOut(Schema):
    id: int
    person: str
    name: str
    organisation: OrganisationRef | None
    sector: str
    role: str
    status: str
    joined_at: dt.datetime | None

    @staticmethod
    def resolve_person(obj: ForumMember) -> str:
        return obj.person.public_handle

    @staticmethod
    def resolve_name(obj: ForumMember) -> str:
        # People who chose not to be listed in the directory are not named in public output.
        return obj.person.full_name if obj.person.is_listed else _("Warga (nama tidak ditampilkan)")

    @staticmethod
    def resolve_sector(obj: ForumMember) -> str:
        return obj.sector.code


# ---------------------------------------------------------------------------- schemas in


class ForumFilters(Schema):
    status: Literal["draft", "active", "closed"] | None = None
    convener: str | None = Field(None, max_length=120, pattern=SLUG, description="slug organisasi penyelenggara")
    sector: str | None = Field(None, max_length=30, pattern=SLUG, description="kode sektor, mis. pemuda")
    policy_object: uuid.UUID | None = None


class SeatIn(Schema):
    sector: str = Field(..., max_length=30, pattern=SLUG)
    minimum: int = Field(..., ge=0, le=999)
    maximum: int | None = Field(None, ge=1, le=999)


class CharterPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    legal_basis: str | None = Field(None, max_length=255)
    terms_of_reference: str | None = Field(None, max_length=20000)
    membership_policy: Literal["invitation", "application"] | None = None
    quorum_member_share: Decimal | None = Field(None, ge=Decimal("0.01"), le=Decimal("1.00"), decimal_places=2)
    quorum_sectors: list[str] | None = Field(None, max_length=20)
    decision_rule: Literal["consensus"] | None = None
    fallback_rule: Literal["none", "qualified_majority_each_sector", "qualified_majority", "simple_majority"] | None = (
        None
    )
    fallback_threshold: Decimal | None = Field(None, ge=Decimal("0.51"), le=Decimal("1.00"), decimal_places=2)
    fallback_after_rounds: int | None = Field(None, ge=1, le=10)
    meeting_rrule: str | None = Field(None, max_length=255)
    meeting_duration_minutes: int | None = Field(None, ge=15, le=1440)
    default_location: str | None = Field(None, max_length=255)
    agenda_notice_days: int | None = Field(None, ge=0, le=60)
    seats: list[SeatIn] | None = Field(None, max_length=20)


class ConveneIn(CharterPatch):
    convener: str = Field(..., max_length=120, pattern=SLUG, description="slug lembaga publik penyelenggara")
    name: str = Field(..., min_length=1, max_length=200)  # type: ignore[assignment]
    purpose: str = Field(..., min_length=1, max_length=5000)  # type: ignore[assignment]
    policy_objects: list[uuid.UUID] = Field(default_factory=list, max_length=20)


class PolicyLinkIn(Schema):
    policy_object: uuid.UUID


class CloseIn(Schema):
    note: str = Field("", max_length=2000)


class InviteIn(Schema):
    person: str = Field(..., max_length=120, pattern=SLUG, description="slug profil orang")
    organisation: str | None = Field(None, max_length=120, pattern=SLUG, description="slug organisasi yang diwakili")
    role: Literal["member", "chair", "secretariat"] = "member"


class ApplyIn(Schema):
    organisation: str | None = Field(None, max_length=120, pattern=SLUG)
    motivation: str = Field("", max_length=2000)


class DecideIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=2000)


class RespondIn(Schema):
    answer: Literal["accept", "decline"]


class RoleIn(Schema):
    role: Literal["member", "chair", "secretariat"]


# ---------------------------------------------------------------------------- helpers


def _forum(slug: str) -> Forum:
    try:
        return forum_get(slug=slug)
    except Forum.DoesNotExist as error:
        raise Http404 from error


def _member(forum: Forum, member_id: int) -> ForumMember:
    try:
        return forum.members.select_related("person", "organisation", "sector").get(pk=member_id)
    except ForumMember.DoesNotExist as error:
        raise Http404 from error


def _require(request: HttpRequest, perm: str, obj: Any, message: str) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _organisation(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    organisation = Organisation.objects.select_related("kind", "sector").filter(slug=slug).first()
    if organisation is None:
        raise RuleViolation(_("Organisasi “%(slug)s” tidak ditemukan.") % {"slug": slug}, code="unknown_organisation")
    return organisation


def _sectors(codes: list[str]) -> list[Sector]:
    found = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise RuleViolation(_("Sektor tidak dikenal: %(codes)s") % {"codes": ", ".join(missing)}, code="unknown_sector")
    return [found[code] for code in codes]


def _charter_arguments(payload: CharterPatch) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True, exclude={"convener", "policy_objects"})
    arguments: dict[str, Any] = {
        k: v for k, v in data.items() if k not in {"seats", "quorum_sectors"} and v is not None
    }
    if data.get("quorum_sectors") is not None:
        arguments["quorum_sectors"] = _sectors(data["quorum_sectors"])
    if data.get("seats") is not None:
        sectors = _sectors([seat["sector"] for seat in data["seats"]])
        arguments["seats"] = [
            SeatSpec(sector=sector, minimum=seat["minimum"], maximum=seat.get("maximum"))
            for sector, seat in zip(sectors, data["seats"], strict=True)
        ]
    return arguments


def forum_detail_data(forum: Forum) -> dict[str, Any]:
    charter = forum.charter
    groups = forum_members_by_sector(forum)
    return {
        **{name: getattr(forum, name) for name in ("uid", "slug", "name", "status", "activated_at", "closed_at")},
        "convener": forum.convener,
        "closing_note": forum.closing_note,
        "active_member_count": sum(g.filled for g in groups),
        "meeting_count": forum.meetings.count(),
        "policy_objects": list(forum.policy_objects.all()),
        "charter": {
            **{
                name: getattr(charter, name)
                for name in (
                    "purpose",
                    "legal_basis",
                    "terms_of_reference",
                    "membership_policy",
                    "decision_rule",
                    "fallback_rule",
                    "fallback_after_rounds",
                    "meeting_rrule",
                    "meeting_duration_minutes",
                    "default_location",
                    "agenda_notice_days",
                )
            },
            "quorum_member_share": str(charter.quorum_member_share),
            "fallback_threshold": str(charter.fallback_threshold),
            "quorum_sectors": [s.code for s in charter.quorum_sectors.all()],
        },
        "seats": [
            {
                "sector": g.sector.code,
                "sector_name": g.sector.name,
                "is_state": g.sector.is_state,
                "minimum": g.minimum,
                "maximum": g.maximum,
                "filled": g.filled,
            }
            for g in groups
        ],
    }


# ---------------------------------------------------------------------------- reads


@router.get(
    "", response=list[ForumOut], summary="Daftar forum (saring per status, penyelenggara, sektor, objek kebijakan)"
)
@paginate
def forums_list(request: HttpRequest, filters: Query[ForumFilters]) -> Any:
    convener = Organisation.objects.filter(slug=filters.convener).first() if filters.convener else None
    sector = Sector.objects.filter(code=filters.sector).first() if filters.sector else None
    policy_object = PolicyObject.objects.filter(uid=filters.policy_object).first() if filters.policy_object else None
    if (
        (filters.convener and convener is None)
        or (filters.sector and sector is None)
        or (filters.policy_object and policy_object is None)
    ):
        return Forum.objects.none()
    return forum_list_public(status=filters.status, convener=convener, sector=sector, policy_object=policy_object)


@router.get("/{slug}", response=ForumDetailOut, summary="Satu forum dengan piagam dan kursinya")
def forum_detail(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    return forum_detail_data(_forum(slug))


@router.get("/{slug}/criteria", response=list[CriterionOut], summary="Enam kriteria C1–C6 dengan buktinya")
def forum_criteria_list(request: HttpRequest, slug: str = SlugPath) -> list[dict[str, Any]]:
    return [criterion.as_dict() for criterion in forum_criteria(_forum(slug))]


@router.get("/{slug}/index", response=GovernanceIndexOut, summary="Indeks Tata Kelola Kolaboratif dan komponennya")
def forum_index(request: HttpRequest, slug: str = SlugPath) -> Any:
    return forum_governance_index(_forum(slug))


@router.get("/{slug}/members", response=list[MemberOut], summary="Anggota aktif forum")
@paginate
def forum_member_list(request: HttpRequest, slug: str = SlugPath) -> Any:
    return forum_members(_forum(slug))


# ---------------------------------------------------------------------------- writes


@router.post("", response={201: ForumDetailOut}, auth=token_auth, summary="Bentuk forum (lembaga publik, C1)")
def forum_convene_endpoint(request: HttpRequest, payload: ConveneIn) -> tuple[int, dict[str, Any]]:
    _require(
        request,
        "forums.convene_forum",
        None,
        _("Hanya orang yang bertindak atas nama lembaga publik yang dapat membentuk forum."),
    )
    convener = _organisation(payload.convener)
    assert convener is not None
    policy_objects = list(PolicyObject.objects.filter(uid__in=payload.policy_objects))
    if len(policy_objects) != len(set(payload.policy_objects)):
        raise RuleViolation(_("Ada objek kebijakan yang tidak ditemukan."), code="unknown_policy_object")
    arguments = _charter_arguments(payload)
    forum = forum_convene(
        actor=request.user,
        convener=convener,
        policy_objects=policy_objects,
        **arguments,
    )
    return 201, forum_detail_data(_forum(forum.slug))


@router.patch("/{slug}/charter", response=ForumDetailOut, auth=token_auth, summary="Ubah piagam")
def forum_charter_patch(request: HttpRequest, payload: CharterPatch, slug: str = SlugPath) -> dict[str, Any]:
    forum = _forum(slug)
    _require(request, "forums.change_forum", forum, _("Hanya pengelola forum yang dapat mengubah piagam."))
    forum_charter_update(actor=request.user, forum=forum, **_charter_arguments(payload))
    return forum_detail_data(_forum(slug))


@router.post("/{slug}/policy-objects", response=ForumDetailOut, auth=token_auth, summary="Tautkan objek kebijakan (C6)")
def forum_policy_link(request: HttpRequest, payload: PolicyLinkIn, slug: str = SlugPath) -> dict[str, Any]:
    forum = _forum(slug)
    _require(request, "forums.change_forum", forum, _("Hanya pengelola forum yang dapat mengubah fokus kebijakan."))
    policy_object = PolicyObject.objects.filter(uid=payload.policy_object).first()
    if policy_object is None:
        raise RuleViolation(_("Objek kebijakan tidak ditemukan."), code="unknown_policy_object")
    forum_policy_object_link(actor=request.user, forum=forum, policy_object=policy_object)
    return forum_detail_data(_forum(slug))


@router.post("/{slug}/activate", response=ForumDetailOut, auth=token_auth, summary="Aktifkan forum (C2)")
def forum_activate_endpoint(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    forum = _forum(slug)
    _require(request, "forums.activate_forum", forum, _("Hanya pengelola forum yang dapat mengaktifkan forum."))
    forum_activate(actor=request.user, forum=forum)
    return forum_detail_data(_forum(slug))


@router.post("/{slug}/close", response=ForumDetailOut, auth=token_auth, summary="Tutup forum")
def forum_close_endpoint(request: HttpRequest, payload: CloseIn, slug: str = SlugPath) -> dict[str, Any]:
    forum = _forum(slug)
    _require(request, "forums.close_forum", forum, _("Hanya pengelola forum yang dapat menutup forum."))
    forum_close(actor=request.user, forum=forum, note=payload.note)
    return forum_detail_data(_forum(slug))


@router.post("/{slug}/members", response={201: MemberOut}, auth=token_auth, summary="Undang anggota")
def forum_invite_endpoint(request: HttpRequest, payload: InviteIn, slug: str = SlugPath) -> tuple[int, ForumMember]:
    forum = _forum(slug)
    _require(request, "forums.invite_member", forum, _("Hanya pengelola forum yang dapat mengundang anggota."))
    person = Person.objects.filter(slug=payload.person).first()
    if person is None:
        raise RuleViolation(_("Profil orang ini tidak ditemukan di direktori."), code="unknown_person")
    member = forum_member_invite(
        actor=request.user,
        forum=forum,
        person=person,
        organisation=_organisation(payload.organisation),
        role=payload.role,
    )
    return 201, member


@router.post("/{slug}/apply", response={201: MemberOut}, auth=token_auth, summary="Ajukan diri menjadi anggota")
def forum_apply_endpoint(request: HttpRequest, payload: ApplyIn, slug: str = SlugPath) -> tuple[int, ForumMember]:
    forum = _forum(slug)
    _require(
        request,
        "forums.apply_membership",
        forum,
        _("Permohonan hanya untuk pengguna dengan profil yang belum menjadi anggota forum ini."),
    )
    member = forum_member_apply(
        actor=request.user,
        forum=forum,
        organisation=_organisation(payload.organisation),
        motivation=payload.motivation,
    )
    return 201, member


@router.post("/{slug}/members/{member_id}/decide", response=MemberOut, auth=token_auth, summary="Putuskan permohonan")
def forum_decide_endpoint(
    request: HttpRequest, payload: DecideIn, slug: str = SlugPath, member_id: int = MemberIdPath
) -> ForumMember:
    forum = _forum(slug)
    _require(request, "forums.decide_membership", forum, _("Hanya pengelola forum yang dapat memutuskan permohonan."))
    member = _member(forum, member_id)
    if payload.decision == "approve":
        member = forum_member_approve(actor=request.user, member=member, reason=payload.reason)
    else:
        member = forum_member_reject(actor=request.user, member=member, reason=payload.reason)
    return member


@router.post("/{slug}/members/{member_id}/respond", response=MemberOut, auth=token_auth, summary="Jawab undangan")
def forum_respond_endpoint(
    request: HttpRequest, payload: RespondIn, slug: str = SlugPath, member_id: int = MemberIdPath
) -> ForumMember:
    forum = _forum(slug)
    member = _member(forum, member_id)
    _require(request, "forums.respond_invitation", member, _("Undangan ini bukan untuk Anda."))
    if payload.answer == "accept":
        member = forum_member_accept(actor=request.user, member=member)
    else:
        member = forum_member_decline(actor=request.user, member=member)
    return member


@router.post("/{slug}/members/{member_id}/role", response=MemberOut, auth=token_auth, summary="Ubah peran anggota")
def forum_role_endpoint(
    request: HttpRequest, payload: RoleIn, slug: str = SlugPath, member_id: int = MemberIdPath
) -> ForumMember:
    forum = _forum(slug)
    _require(request, "forums.set_member_role", forum, _("Hanya pengelola forum yang dapat mengubah peran anggota."))
    member = forum_member_set_role(actor=request.user, member=_member(forum, member_id), role=payload.role)
    return member


@router.post("/{slug}/members/{member_id}/leave", response=MemberOut, auth=token_auth, summary="Keluar dari forum")
def forum_leave_endpoint(request: HttpRequest, slug: str = SlugPath, member_id: int = MemberIdPath) -> ForumMember:
    forum = _forum(slug)
    member = _member(forum, member_id)
    _require(request, "forums.leave_forum", member, _("Hanya anggota itu sendiri yang dapat keluar dari forum."))
    return forum_member_leave(actor=request.user, member=member)
