"""Directory API: sectors, organisations, listed people and their memberships.

Reads are public. Writes need a token and follow the same rules as the manage pages.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.actors.forms import resolve_person
from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationKind, Person, Sector
from sinergi.actors.selectors import (
    membership_get,
    membership_list_public,
    organisation_children,
    organisation_get,
    organisation_list,
    person_get_listed,
    person_memberships,
    sector_list,
)
from sinergi.actors.services import (
    membership_end,
    membership_start,
    organisation_alias_add,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    sector_create,
)
from sinergi.core.errors import RuleViolation
from sinergi.core.pagination import BoundedLimitOffsetPagination
from sinergi.regions.models import Region

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"
# PostgreSQL refuses NUL characters in text; refuse them at the door (422), not in the database (500).
TEXT = r"^[^\x00]*$"
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
REGION_CODE = r"^[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{4})?$"


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


# ---- schemas -------------------------------------------------------------------------------


class SectorOut(Schema):
    code: str
    name: str
    description: str
    is_state: bool
    organisation_count: int | None = None


class SectorIn(Schema):
    code: str = Field(..., min_length=1, max_length=30, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(..., min_length=1, max_length=80, pattern=TEXT)
    description: str = Field("", max_length=2000, pattern=TEXT)
    is_state: bool = False


class AliasOut(Schema):
    name: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class OrganisationOut(Schema):
    uid: uuid.UUID
    slug: str
    name: str
    short_name: str
    sector: str = Field(..., alias="sector.code")
    sector_name: str = Field(..., alias="sector.name")
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    is_public_institution: bool = Field(..., alias="kind.is_public_institution")
    parent: str | None
    region: str | None = Field(None, alias="region_id")
    seat_count: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.slug if obj.parent_id and obj.parent else None


class OrganisationDetailOut(OrganisationOut):
    description: str
    website: str
    public_email: str
    address: str
    aliases: list[AliasOut]
    children: list[str]

    @staticmethod
    def resolve_aliases(obj: Organisation) -> list[Any]:
        return list(obj.aliases.order_by("valid_from", "name"))

    @staticmethod
    def resolve_children(obj: Organisation) -> list[str]:
        return list(organisation_children(obj).values_list("slug", flat=True))


class OrganisationFilters(Schema):
    sector: str = Field("", max_length=30, pattern=TEXT)
    kind: str = Field("", max_length=40, pattern=TEXT)
    q: str = Field("", max_length=100, description="nama, singkatan, atau nama lain", pattern=TEXT)
    parent: str = Field("", max_length=120, description="slug induk", pattern=TEXT)
    include_invalid: bool = Field(False, description="termasuk yang sudah tidak berlaku")


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=255, pattern=TEXT)
    sector: str = Field(..., max_length=30, pattern=TEXT)
    kind: str = Field(..., max_length=40, pattern=TEXT)
    slug: str = Field("", max_length=110, pattern=r"^([-a-z0-9]+)?$")
    short_name: str = Field("", max_length=60, pattern=TEXT)
    parent: str = Field("", max_length=120, description="slug organisasi induk", pattern=TEXT)
    region: str = Field("", max_length=13, pattern=r"^([0-9.]{2,13})?$")
    description: str = Field("", max_length=5000, pattern=TEXT)
    website: str = Field("", max_length=200, pattern=TEXT)
    public_email: str = Field("", max_length=254, pattern=TEXT)
    address: str = Field("", max_length=255, pattern=TEXT)
    seat_count: int | None = Field(None, ge=0, le=1000)
    valid_from: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    valid_until: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=255, pattern=TEXT)
    sector: str | None = Field(None, max_length=30, pattern=TEXT)
    kind: str | None = Field(None, max_length=40, pattern=TEXT)
    short_name: str | None = Field(None, max_length=60, pattern=TEXT)
    parent: str | None = Field(None, max_length=120, description="slug induk; kosong untuk tanpa induk", pattern=TEXT)
    region: str | None = Field(None, max_length=13, pattern=r"^([0-9.]{2,13})?$")
    description: str | None = Field(None, max_length=5000, pattern=TEXT)
    website: str | None = Field(None, max_length=200, pattern=TEXT)
    public_email: str | None = Field(None, max_length=254, pattern=TEXT)
    address: str | None = Field(None, max_length=255, pattern=TEXT)
    seat_count: int | None = Field(None, ge=0, le=1000)
    valid_from: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    valid_until: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)


class AliasIn(Schema):
    name: str = Field(..., min_length=1, max_length=255, pattern=TEXT)
    valid_from: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    valid_until: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)


class PersonMembershipOut(Schema):
    uid: uuid.UUID
    organisation: str = Field(..., alias="organisation.slug")
    organisation_name: str = Field(..., alias="organisation.name")
    role: str = Field(..., alias="role.code")
    role_name: str = Field(..., alias="role.name")
    title: str
    valid_from: dt.date | None
    valid_until: dt.date | None


class PersonOut(Schema):
    uid: uuid.UUID
    slug: str
    full_name: str
    public_title: str
    bio: str
    memberships: list[PersonMembershipOut]

    @staticmethod
    def resolve_memberships(obj: Person) -> list[Any]:
        return list(person_memberships(obj)[:200])


class PersonIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=160, pattern=TEXT)
    public_title: str = Field("", max_length=160, pattern=TEXT)
    bio: str = Field("", max_length=5000, pattern=TEXT)
    is_listed: bool = True


class PersonPatch(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=160, pattern=TEXT)
    public_title: str | None = Field(None, max_length=160, pattern=TEXT)
    bio: str | None = Field(None, max_length=5000, pattern=TEXT)
    is_listed: bool | None = None


class PersonRefOut(Schema):
    slug: str
    full_name: str


class MembershipOut(PersonMembershipOut):
    person: PersonRefOut


class MembershipFilters(Schema):
    organisation: str = Field("", max_length=120, pattern=TEXT)
    person: str = Field("", max_length=120, pattern=TEXT)
    include_past: bool = False


class MembershipIn(Schema):
    organisation: str = Field(..., max_length=120, description="slug organisasi", pattern=TEXT)
    person: str = Field(..., max_length=150, description="slug profil publik atau nama pengguna akun", pattern=TEXT)
    role: str = Field(..., max_length=40, pattern=TEXT)
    title: str = Field("", max_length=160, pattern=TEXT)
    valid_from: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    valid_until: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)


class MembershipEndIn(Schema):
    last_day: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    reason: str = Field("", max_length=500, pattern=TEXT)


class MembershipCreatedOut(Schema):
    uid: uuid.UUID
    organisation: str = Field(..., alias="organisation.slug")
    role: str = Field(..., alias="role.code")
    title: str
    valid_from: dt.date | None
    valid_until: dt.date | None


# ---- lookups -------------------------------------------------------------------------------


def _organisation_or_404(slug: str) -> Organisation:
    organisation = organisation_get(slug)
    if organisation is None:
        raise Http404
    return organisation


def _by_code(model: type[Sector] | type[OrganisationKind] | type[MembershipRole], code: str, label: str) -> Any:
    found = model.objects.filter(code=code).first()
    if found is None:
        raise RuleViolation(_("%(label)s “%(code)s” tidak dikenal.") % {"label": label, "code": code}, code="invalid")
    return found


def _references(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the codes and slugs of an input into the objects the services take."""
    resolved = dict(data)
    if "sector" in data:
        resolved["sector"] = _by_code(Sector, data["sector"], _("Sektor"))
    if "kind" in data:
        resolved["kind"] = _by_code(OrganisationKind, data["kind"], _("Jenis organisasi"))
    if "parent" in data:
        resolved["parent"] = None
        if data["parent"]:
            resolved["parent"] = Organisation.objects.filter(slug=data["parent"]).first()
            if resolved["parent"] is None:
                raise RuleViolation(_("Organisasi induk tidak ditemukan."), code="invalid")
    if "region" in data:
        resolved["region"] = None
        if data["region"]:
            resolved["region"] = Region.objects.filter(code=data["region"]).first()
            if resolved["region"] is None:
                raise RuleViolation(_("Kode wilayah tidak ditemukan."), code="invalid")
    return resolved


# ---- sectors -------------------------------------------------------------------------------


@router.get("/sectors", response=list[SectorOut], summary="Sektor (pemerintah, legislatif, swasta, …)")
def sectors(
    request: HttpRequest, is_state: bool | None = Query(None, description="hanya sektor negara / non-negara")
) -> Any:
    found = sector_list()
    if is_state is not None:
        found = found.filter(is_state=is_state)
    return list(found)


@router.post("/sectors", response={201: SectorOut}, auth=token_auth, summary="Tambah sektor (administrator)")
def sector_add(request: HttpRequest, payload: SectorIn) -> Any:
    _require(request, "actors.add_sector")
    return 201, sector_create(actor=request.user, **payload.dict())  # type: ignore[arg-type]


# ---- organisations -------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], summary="Direktori organisasi")
@paginate(BoundedLimitOffsetPagination)
def organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return organisation_list(
        sector=filters.sector,
        kind=filters.kind,
        q=filters.q,
        parent=filters.parent,
        include_invalid=filters.include_invalid,
    )


@router.post("/organisations", response={201: OrganisationDetailOut}, auth=token_auth, summary="Daftarkan organisasi")
def organisation_add(request: HttpRequest, payload: OrganisationIn) -> Any:
    _require(request, "actors.add_organisation")
    organisation = organisation_create(actor=request.user, **_references(payload.dict()))  # type: ignore[arg-type]
    return 201, organisation


@router.get("/organisations/{slug}", response=OrganisationDetailOut, summary="Satu organisasi")
def organisation_detail(request: HttpRequest, slug: str = Path(..., max_length=120, pattern=SLUG)) -> Any:
    return _organisation_or_404(slug)


@router.patch("/organisations/{slug}", response=OrganisationDetailOut, auth=token_auth, summary="Ubah organisasi")
def organisation_change(
    request: HttpRequest, payload: OrganisationPatch, slug: str = Path(..., max_length=120, pattern=SLUG)
) -> Any:
    organisation = _organisation_or_404(slug)
    _require(request, "actors.change_organisation", organisation)
    changes = payload.dict(exclude_unset=True)
    for text_field in ("name", "sector", "kind", "short_name", "description", "website", "public_email", "address"):
        if text_field in changes and changes[text_field] is None:
            raise RuleViolation(_("Kolom %(field)s tidak boleh kosong (null).") % {"field": text_field}, code="invalid")
    for optional in ("parent", "region"):
        if optional in changes and changes[optional] is None:
            changes[optional] = ""
    return organisation_update(actor=request.user, organisation=organisation, **_references(changes))  # type: ignore[arg-type]


@router.post(
    "/organisations/{slug}/aliases",
    response={201: AliasOut},
    auth=token_auth,
    summary="Catat nama lain atau nama lama organisasi",
)
def organisation_alias(
    request: HttpRequest, payload: AliasIn, slug: str = Path(..., max_length=120, pattern=SLUG)
) -> Any:
    organisation = _organisation_or_404(slug)
    _require(request, "actors.change_organisation", organisation)
    return 201, organisation_alias_add(actor=request.user, organisation=organisation, **payload.dict())  # type: ignore[arg-type]


# ---- people --------------------------------------------------------------------------------


@router.post("/people", response={201: PersonOut}, auth=token_auth, summary="Daftarkan tokoh publik")
def person_add(request: HttpRequest, payload: PersonIn) -> Any:
    _require(request, "actors.add_person")
    return 201, person_create(actor=request.user, **payload.dict())  # type: ignore[arg-type]


@router.get("/people/{slug}", response=PersonOut, summary="Tokoh publik (hanya yang tampil di direktori)")
def person_detail(request: HttpRequest, slug: str = Path(..., max_length=120, pattern=SLUG)) -> Any:
    person = person_get_listed(slug)
    if person is None:
        raise Http404
    return person


@router.patch("/people/{slug}", response=PersonOut, auth=token_auth, summary="Ubah profil")
def person_change(
    request: HttpRequest, payload: PersonPatch, slug: str = Path(..., max_length=120, pattern=SLUG)
) -> Any:
    person = Person.objects.filter(slug=slug).first()
    # An unlisted profile does not exist for anyone but its owner and the administrator.
    if person is None or not (person.is_listed or request.user.has_perm("actors.change_person", person)):
        raise Http404
    _require(request, "actors.change_person", person)
    changes = {key: value for key, value in payload.dict(exclude_unset=True).items() if value is not None}
    return person_update(actor=request.user, person=person, **changes)  # type: ignore[arg-type]


# ---- memberships ---------------------------------------------------------------------------


@router.get("/memberships", response=list[MembershipOut], summary="Keanggotaan tokoh publik")
@paginate(BoundedLimitOffsetPagination)
def memberships(request: HttpRequest, filters: Query[MembershipFilters]) -> Any:
    organisation = person = None
    if filters.organisation:
        organisation = _organisation_or_404(filters.organisation)
    if filters.person:
        person = person_get_listed(filters.person)
        if person is None:
            raise Http404
    return membership_list_public(organisation=organisation, person=person, current_only=not filters.include_past)


@router.post("/memberships", response={201: MembershipCreatedOut}, auth=token_auth, summary="Tambah keanggotaan")
def membership_add(request: HttpRequest, payload: MembershipIn) -> Any:
    organisation = _organisation_or_404(payload.organisation)
    _require(request, "actors.add_membership", organisation)
    person = resolve_person(payload.person)
    if person is None:
        raise RuleViolation(_("Orang atau akun tersebut tidak ditemukan."), code="invalid")
    membership = membership_start(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        organisation=organisation,
        role=_by_code(MembershipRole, payload.role, _("Peran")),
        title=payload.title,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )
    return 201, membership


@router.post("/memberships/{uid}/end", response=MembershipCreatedOut, auth=token_auth, summary="Akhiri keanggotaan")
def membership_finish(request: HttpRequest, payload: MembershipEndIn, uid: uuid.UUID) -> Membership:
    membership = membership_get(uid)
    if membership is None:
        raise Http404
    _require(request, "actors.end_membership", membership)
    return membership_end(actor=request.user, membership=membership, **payload.dict())  # type: ignore[arg-type]


# ---- verification ----------------------------------------------------------------------------


class VerifyIn(Schema):
    verified: bool = True


class VerifiedOut(Schema):
    slug: str
    verified: bool


@router.post(
    "/people/{slug}/verify",
    response=VerifiedOut,
    auth=token_auth,
    summary="Catat verifikasi identitas warga (kelurahan, Dinas Dukcapil, administrator)",
)
def person_verify_api(
    request: HttpRequest, payload: VerifyIn, slug: str = Path(..., max_length=120, pattern=SLUG)
) -> Any:
    from sinergi.actors.services import person_verify

    person = Person.objects.filter(slug=slug).first()
    if person is None:
        raise Http404
    _require(request, "actors.verify_person")
    person = person_verify(actor=request.user, person=person, verified=payload.verified)  # type: ignore[arg-type]
    return {"slug": person.slug, "verified": person.verified_at is not None}
