"""Planning API (/api/v1/planning): reads without a token; writes with a token under the same rules
as the pages. Row errors of a refused batch come back as `errors` [{row, messages}]."""

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.actors.models import Organisation
from sinergi.aspirations.models import Aspiration
from sinergi.core.errors import RuleViolation
from sinergi.planning import selectors, services
from sinergi.planning.importer import MAX_IMPORT_BYTES, BatchRow
from sinergi.planning.models import Musrenbang, MusrenbangProposal, PokirItem, Reses
from sinergi.planning.permissions import POKIR_STEP_PERMISSION
from sinergi.planning.states import PokirStatus
from sinergi.regions.models import Region

router = Router()

MAX_REFS = 200


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise RuleViolation(_("Wilayah tidak dikenal."), code="invalid_region")
    return region


def _organisation(slug: str | None, *, required: bool = True) -> Organisation | None:
    if not slug:
        if required:
            raise RuleViolation(_("Organisasi wajib diisi."), code="invalid_organisation")
        return None
    organisation = Organisation.objects.select_related("kind").filter(slug=slug).first()
    if organisation is None:
        raise RuleViolation(_("Organisasi tidak dikenal."), code="invalid_organisation")
    return organisation


def _aspirations(uids: list[uuid.UUID]) -> list[Aspiration]:
    found = list(Aspiration.objects.filter(uid__in=uids))
    if len(found) != len(set(uids)):
        raise RuleViolation(_("Sebagian aspirasi tidak ditemukan."), code="unknown_aspiration")
    return found


# --- schemas -------------------------------------------------------------------------------------


class ResesOut(Schema):
    uid: uuid.UUID
    member: str = Field(..., alias="member.full_name")
    organisation: str = Field(..., alias="organisation.slug")
    dapil: str
    kecamatan: str | None = Field(None, alias="kecamatan_id")
    masa_sidang: str
    held_on: dt.date
    place: str
    attendee_count: int
    notes: str
    status: str


class CountOut(Schema):
    name: str
    count: int


class ReportAspirationOut(Schema):
    uid: uuid.UUID
    title: str
    kelurahan: str | None
    category: str | None
    status: str
    outcome: str


class ResesDetailOut(ResesOut):
    aspiration_count: int
    by_category: list[CountOut] = Field(..., alias="category_counts")
    by_kelurahan: list[CountOut] = Field(..., alias="kelurahan_counts")
    aspirations: list[ReportAspirationOut] = Field(..., alias="report_rows")


class ResesIn(Schema):
    organisation: str = Field(..., max_length=120)
    dapil: str = Field(..., max_length=80)
    kecamatan: str | None = Field(None, max_length=13)
    masa_sidang: str = Field(..., max_length=80)
    held_on: dt.date
    place: str = Field(..., max_length=255)
    attendee_count: int = Field(0, ge=0, le=100_000)
    notes: str = Field("", max_length=5000)


class HeldIn(Schema):
    attendee_count: int = Field(..., ge=0, le=100_000)
    notes: str = Field("", max_length=5000)


class BatchRowIn(Schema):
    kelurahan: str = Field(..., max_length=120)
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=5000)
    category: str = Field("", max_length=120)
    name: str = Field("", max_length=160)
    phone: str = Field("", max_length=20)
    privacy: str = Field("", max_length=20)


class BatchIn(Schema):
    batch_key: str = Field(..., pattern=r"^[0-9a-f]{8,32}$")
    rows: list[BatchRowIn] = Field(..., min_length=1, max_length=500)


class BatchOut(Schema):
    created: int
    aspirations: list[uuid.UUID]


class PokirOut(Schema):
    uid: uuid.UUID
    title: str
    member: str | None = Field(None, alias="member.full_name")
    komisi: str | None = Field(None, alias="komisi.slug")
    opd: str = Field(..., alias="opd.slug")
    location_text: str
    kelurahan: str | None = Field(None, alias="kelurahan_id")
    volume: Decimal
    unit: str
    target_group: str
    program_code: str
    program_name: str
    activity_code: str
    activity_name: str
    sub_activity_code: str
    sub_activity_name: str
    budget_estimate: Decimal
    fiscal_year: int
    status: str
    rejection_reason: str
    updated_at: dt.datetime


class HistoryOut(Schema):
    kind: str = Field(..., description="status (a step) or edit (fields corrected; the note lists them)")
    from_status: str
    to_status: str
    actor_label: str
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_kind(change: Any) -> str:
        return "edit" if change.is_edit else "status"


class PokirDetailOut(PokirOut):
    description: str
    history: list[HistoryOut] = Field(..., alias="history_rows")
    aspirations: list[uuid.UUID] = Field(..., alias="aspiration_uids")


class PokirIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    location_text: str = Field(..., max_length=255)
    kelurahan: str | None = Field(None, max_length=13)
    volume: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    unit: str = Field(..., max_length=40)
    target_group: str = Field(..., max_length=255)
    opd: str = Field(..., max_length=120)
    komisi: str | None = Field(None, max_length=120)
    program_code: str = Field(..., max_length=20)
    program_name: str = Field(..., max_length=255)
    activity_code: str = Field(..., max_length=24)
    activity_name: str = Field(..., max_length=255)
    sub_activity_code: str = Field(..., max_length=30)
    sub_activity_name: str = Field(..., max_length=255)
    budget_estimate: Decimal = Field(..., ge=0, max_digits=16, decimal_places=0)
    fiscal_year: int = Field(..., ge=2000, le=2100)
    aspirations: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_REFS)


class PokirEditIn(Schema):
    """Only the fields to change. An empty kelurahan or komisi clears it."""

    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    location_text: str | None = Field(None, max_length=255)
    kelurahan: str | None = Field(None, max_length=13)
    volume: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    unit: str | None = Field(None, max_length=40)
    target_group: str | None = Field(None, max_length=255)
    opd: str | None = Field(None, max_length=120)
    komisi: str | None = Field(None, max_length=120)
    program_code: str | None = Field(None, max_length=20)
    program_name: str | None = Field(None, max_length=255)
    activity_code: str | None = Field(None, max_length=24)
    activity_name: str | None = Field(None, max_length=255)
    sub_activity_code: str | None = Field(None, max_length=30)
    sub_activity_name: str | None = Field(None, max_length=255)
    budget_estimate: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=0)
    fiscal_year: int | None = Field(None, ge=2000, le=2100)
    aspirations: list[uuid.UUID] | None = Field(
        None,
        max_length=MAX_REFS,
        description="the new set of linked aspirations (public ids); absent or null: unchanged",
    )
    loaded_at: dt.datetime | None = Field(
        None, description="updated_at of the item as read: if it changed since, the edit is refused (409)"
    )


class StepIn(Schema):
    to_status: str = Field(..., max_length=24)
    note: str = Field("", max_length=5000)


class PokirFilters(Schema):
    komisi: str = Field("", max_length=120)
    member: str = Field("", max_length=120)
    opd: str = Field("", max_length=120)
    status: str = Field("", max_length=24)
    year: int | None = Field(None, ge=2000, le=2100)


class MusrenbangOut(Schema):
    uid: uuid.UUID
    level: str
    fiscal_year: int
    region: str | None = Field(None, alias="region_id")
    organiser: str = Field(..., alias="organiser.slug")
    title: str
    place: str
    held_on: dt.date
    status: str
    berita_acara_sha256: str


class DelegateOut(Schema):
    name: str
    origin: str
    elected_to_next_level: bool


class ProposalOut(Schema):
    uid: uuid.UUID
    title: str
    description: str
    location_text: str
    kelurahan: str | None = Field(None, alias="kelurahan_id")
    opd: str | None = Field(None, alias="opd.slug")
    volume: Decimal | None
    unit: str
    priority: int
    status: str
    rejection_reason: str
    parent: uuid.UUID | None = Field(None, alias="parent.uid")


class MusrenbangDetailOut(MusrenbangOut):
    berita_acara: str
    delegates: list[DelegateOut] = Field(..., alias="delegate_rows")
    proposals: list[ProposalOut] = Field(..., alias="proposal_rows")


class MusrenbangIn(Schema):
    organiser: str = Field(..., max_length=120)
    level: str = Field(..., max_length=12)
    region: str | None = Field(None, max_length=13)
    fiscal_year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., max_length=200)
    place: str = Field(..., max_length=255)
    held_on: dt.date


class DelegateIn(Schema):
    name: str = Field(..., max_length=160)
    origin: str = Field(..., max_length=160)
    elected_to_next_level: bool = False


class ProposalIn(Schema):
    title: str = Field(..., max_length=200)
    priority: int = Field(..., ge=1, le=999)
    description: str = Field("", max_length=5000)
    location_text: str = Field("", max_length=255)
    kelurahan: str | None = Field(None, max_length=13)
    opd: str | None = Field(None, max_length=120)
    volume: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    unit: str = Field("", max_length=40)
    aspirations: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_REFS)


class DecisionIn(Schema):
    decision: str = Field(..., max_length=12, description="agreed, rejected, in_rkpd or forward")
    reason: str = Field("", max_length=5000)


class CloseIn(Schema):
    berita_acara: str = Field(..., max_length=20_000)


class TrailStepOut(Schema):
    level: str
    kind: str
    title: str
    status: str
    status_label: str
    date: dt.date | dt.datetime | None
    url: str
    final: bool


# --- reses ---------------------------------------------------------------------------------------


def _reses(uid: uuid.UUID) -> Reses:
    return get_object_or_404(Reses.objects.select_related("member", "organisation", "kecamatan"), uid=uid)


@router.get("/reses", response=list[ResesOut], summary="Reses DPRD")
@paginate
def reses_list(
    request: HttpRequest, status: str = Query("", max_length=12), member: str = Query("", max_length=120)
) -> Any:
    return selectors.reses_list(status=status, member=member)


@router.get("/reses/{uid}", response=ResesDetailOut, summary="Satu reses dengan laporannya")
def reses_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    reses: Any = _reses(uid)
    report = selectors.reses_report(reses)
    reses.aspiration_count = len(report.aspirations)
    reses.category_counts = [{"name": n, "count": c} for n, c in report.by_category]
    reses.kelurahan_counts = [{"name": n, "count": c} for n, c in report.by_kelurahan]
    reses.report_rows = [
        {
            "uid": a.uid,
            "title": selectors.public_title(a),
            "kelurahan": a.region_id,
            "category": a.category.slug if a.category else None,
            "status": a.status,
            "outcome": report.outcomes.get(a.pk, ""),
        }
        for a in report.aspirations
    ]
    return reses


@router.post("/reses", response={201: ResesOut}, auth=token_auth, summary="Buka reses")
def reses_open(request: HttpRequest, payload: ResesIn) -> Any:
    _require(request, "planning.open_reses", None)
    organisation = _organisation(payload.organisation)
    assert organisation is not None
    reses = services.reses_open(
        actor=request.user,
        organisation=organisation,
        data=services.ResesInput(
            dapil=payload.dapil,
            kecamatan=_region(payload.kecamatan),
            masa_sidang=payload.masa_sidang,
            held_on=payload.held_on,
            place=payload.place,
            attendee_count=payload.attendee_count,
            notes=payload.notes,
        ),
    )
    return 201, reses


@router.post("/reses/{uid}/held", response=ResesOut, auth=token_auth, summary="Tandai reses dilaksanakan")
def reses_held(request: HttpRequest, uid: uuid.UUID, payload: HeldIn) -> Any:
    reses = _reses(uid)
    _require(request, "planning.manage_reses", reses)
    return services.reses_mark_held(
        reses=reses, actor=request.user, attendee_count=payload.attendee_count, notes=payload.notes
    )


@router.post("/reses/{uid}/reported", response=ResesOut, auth=token_auth, summary="Terbitkan laporan reses")
def reses_reported(request: HttpRequest, uid: uuid.UUID) -> Any:
    reses = _reses(uid)
    _require(request, "planning.manage_reses", reses)
    return services.reses_mark_reported(reses=reses, actor=request.user)


def _batch_error(request: HttpRequest, error: services.BatchRejected) -> HttpResponse:
    from sinergi.api import api

    errors = [{"row": index, "messages": messages} for index, messages in sorted(error.row_errors.items())]
    return api.create_response(request, {"detail": error.message, "code": error.code, "errors": errors}, status=400)


@router.post(
    "/reses/{uid}/aspirations",
    response={201: BatchOut, 400: dict},
    auth=token_auth,
    summary="Catat banyak aspirasi reses (semua atau tidak sama sekali)",
)
def reses_batch(request: HttpRequest, uid: uuid.UUID, payload: BatchIn) -> Any:
    reses = _reses(uid)
    _require(request, "planning.manage_reses", reses)
    rows = [BatchRow(**row.dict()) for row in payload.rows]
    try:
        result = services.reses_batch_submit(reses=reses, rows=rows, actor=request.user, batch_key=payload.batch_key)
    except services.BatchRejected as error:
        return _batch_error(request, error)
    return 201, {"created": result.created, "aspirations": [a.uid for a in result.aspirations]}


@router.post(
    "/reses/{uid}/import",
    response={201: BatchOut, 400: dict},
    auth=token_auth,
    summary="Impor aspirasi reses dari CSV/XLSX (semua atau tidak sama sekali)",
)
def reses_import(request: HttpRequest, uid: uuid.UUID, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    reses = _reses(uid)
    _require(request, "planning.manage_reses", reses)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise RuleViolation(_("Berkas paling besar 2 MB."), code="file_too_large")
    try:
        result = services.reses_import(
            reses=reses, filename=file.name or "", content=file.read(MAX_IMPORT_BYTES + 1), actor=request.user
        )
    except services.BatchRejected as error:
        return _batch_error(request, error)
    return 201, {"created": result.created, "aspirations": [a.uid for a in result.aspirations]}


# --- pokir ---------------------------------------------------------------------------------------


def _pokir(uid: uuid.UUID) -> PokirItem:
    return get_object_or_404(PokirItem.objects.select_related("member", "komisi", "opd", "kelurahan"), uid=uid)


@router.get("/pokir", response=list[PokirOut], summary="Pokir DPRD (saring: komisi, anggota, OPD, status, tahun)")
@paginate
def pokir_list(request: HttpRequest, filters: PokirFilters = Query(...)) -> Any:  # noqa: B008
    return selectors.pokir_list(**filters.dict())


@router.get("/pokir/{uid}", response=PokirDetailOut, summary="Satu pokir dengan riwayat statusnya")
def pokir_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    item: Any = _pokir(uid)
    item.history_rows = list(selectors.pokir_history(item))
    item.aspiration_uids = list(item.aspirations.values_list("uid", flat=True))
    return item


def _pokir_values(sent: dict[str, Any]) -> dict[str, Any]:
    """Pokir fields as the service takes them: the kelurahan by its code, OPD and komisi by slug."""
    values = dict(sent)
    if "kelurahan" in values:
        values["kelurahan"] = _region(values["kelurahan"])
    if "opd" in values:
        values["opd"] = _organisation(values["opd"])
    if "komisi" in values:
        values["komisi"] = _organisation(values["komisi"], required=False)
    return values


@router.post("/pokir", response={201: PokirOut}, auth=token_auth, summary="Usulkan pokir")
def pokir_propose(request: HttpRequest, payload: PokirIn) -> Any:
    _require(request, "planning.propose_pokir", None)
    item = services.pokir_propose(
        actor=request.user,
        data=services.PokirInput(**_pokir_values(payload.dict(exclude={"aspirations"}))),
        aspirations=_aspirations(payload.aspirations),
    )
    return 201, item


@router.patch(
    "/pokir/{uid}",
    response=PokirOut,
    auth=token_auth,
    summary="Ubah pokir yang masih diusulkan (anggota pengusul atau Setwan)",
)
def pokir_edit(request: HttpRequest, uid: uuid.UUID, payload: PokirEditIn) -> Any:
    item = _pokir(uid)
    services.check_pokir_editable(item)  # 409 before 403: the member learns the item moved on
    _require(request, "planning.edit_pokir", item)
    sent = payload.dict(exclude_unset=True)
    loaded_at = sent.pop("loaded_at", None)
    uids = sent.pop("aspirations", None)
    current = {field.name: getattr(item, field.name) for field in dataclasses.fields(services.PokirInput)}
    return services.pokir_edit(
        item=item,
        actor=request.user,
        data=services.PokirInput(**{**current, **_pokir_values(sent)}),
        loaded_at=loaded_at,
        aspirations=None if uids is None else _aspirations(uids),
    )


@router.post("/pokir/{uid}/photo", response=PokirOut, auth=token_auth, summary="Foto lokasi pokir (pengusul)")
def pokir_photo(request: HttpRequest, uid: uuid.UUID, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    item = _pokir(uid)
    _require(request, "planning.propose_pokir", None)
    return services.pokir_set_photo(
        item=item, actor=request.user, photo=(file.name or "", file.read(services.MAX_PHOTO_BYTES + 1))
    )


@router.post("/pokir/{uid}/status", response=PokirOut, auth=token_auth, summary="Langkah status pokir")
def pokir_step(request: HttpRequest, uid: uuid.UUID, payload: StepIn) -> Any:
    item = _pokir(uid)
    if payload.to_status not in POKIR_STEP_PERMISSION:
        raise RuleViolation(_("Status pokir tidak dikenal."), code="invalid_status")
    _require(request, POKIR_STEP_PERMISSION[PokirStatus(payload.to_status)], item)
    return services.pokir_transition(item=item, actor=request.user, to_status=payload.to_status, note=payload.note)


# --- Musrenbang ----------------------------------------------------------------------------------


def _musrenbang(uid: uuid.UUID) -> Musrenbang:
    return get_object_or_404(Musrenbang.objects.select_related("region", "organiser"), uid=uid)


@router.get("/musrenbang", response=list[MusrenbangOut], summary="Musrenbang per tingkat dan tahun")
@paginate
def musrenbang_list(
    request: HttpRequest, level: str = Query("", max_length=12), year: int | None = Query(None, ge=2000, le=2100)
) -> Any:
    return selectors.musrenbang_list(level=level, year=year)


@router.get(
    "/musrenbang/{uid}", response=MusrenbangDetailOut, summary="Satu Musrenbang: usulan, delegasi, berita acara"
)
def musrenbang_detail(request: HttpRequest, uid: uuid.UUID) -> Any:
    musrenbang: Any = _musrenbang(uid)
    musrenbang.delegate_rows = list(musrenbang.delegates.all())
    musrenbang.proposal_rows = list(selectors.musrenbang_proposals(musrenbang))
    return musrenbang


@router.post("/musrenbang", response={201: MusrenbangOut}, auth=token_auth, summary="Buka Musrenbang")
def musrenbang_open(request: HttpRequest, payload: MusrenbangIn) -> Any:
    _require(request, "planning.open_musrenbang", None)
    organiser = _organisation(payload.organiser)
    assert organiser is not None
    musrenbang = services.musrenbang_open(
        actor=request.user,
        organiser=organiser,
        data=services.MusrenbangInput(
            level=payload.level,
            fiscal_year=payload.fiscal_year,
            region=_region(payload.region),
            title=payload.title,
            place=payload.place,
            held_on=payload.held_on,
        ),
    )
    return 201, musrenbang


@router.post("/musrenbang/{uid}/delegates", response={201: DelegateOut}, auth=token_auth, summary="Catat delegasi")
def delegate_add(request: HttpRequest, uid: uuid.UUID, payload: DelegateIn) -> Any:
    musrenbang = _musrenbang(uid)
    _require(request, "planning.manage_musrenbang", musrenbang)
    return 201, services.musrenbang_delegate_add(musrenbang=musrenbang, actor=request.user, **payload.dict())


@router.post("/musrenbang/{uid}/proposals", response={201: ProposalOut}, auth=token_auth, summary="Tambah usulan")
def proposal_add(request: HttpRequest, uid: uuid.UUID, payload: ProposalIn) -> Any:
    musrenbang = _musrenbang(uid)
    _require(request, "planning.manage_musrenbang", musrenbang)
    proposal = services.musrenbang_proposal_add(
        musrenbang=musrenbang,
        actor=request.user,
        data=services.ProposalInput(
            title=payload.title,
            priority=payload.priority,
            description=payload.description,
            location_text=payload.location_text,
            kelurahan=_region(payload.kelurahan),
            opd=_organisation(payload.opd, required=False),
            volume=payload.volume,
            unit=payload.unit,
        ),
        aspirations=_aspirations(payload.aspirations),
    )
    return 201, proposal


@router.post(
    "/musrenbang/proposals/{uid}/decision",
    response=ProposalOut,
    auth=token_auth,
    summary="Putuskan usulan: disepakati, ditolak, diteruskan, masuk RKPD",
)
def proposal_decide(request: HttpRequest, uid: uuid.UUID, payload: DecisionIn) -> Any:
    proposal = get_object_or_404(MusrenbangProposal.objects.select_related("musrenbang__organiser"), uid=uid)
    _require(request, "planning.manage_musrenbang", proposal.musrenbang)
    if payload.decision == "forward":
        return services.musrenbang_proposal_forward(proposal=proposal, actor=request.user)
    return services.musrenbang_proposal_decide(
        proposal=proposal, actor=request.user, to_status=payload.decision, reason=payload.reason
    )


@router.post("/musrenbang/{uid}/close", response=MusrenbangOut, auth=token_auth, summary="Tetapkan berita acara")
def musrenbang_close(request: HttpRequest, uid: uuid.UUID, payload: CloseIn) -> Any:
    musrenbang = _musrenbang(uid)
    _require(request, "planning.manage_musrenbang", musrenbang)
    return services.musrenbang_close(musrenbang=musrenbang, actor=request.user, berita_acara=payload.berita_acara)


@router.get("/trail/{uid}", response=list[TrailStepOut], summary="Jejak perencanaan satu aspirasi")
def trail(request: HttpRequest, uid: uuid.UUID) -> Any:
    aspiration = get_object_or_404(Aspiration, uid=uid)
    return selectors.planning_trail(aspiration)
