"""Consultations API: public reads without a token; taking part and managing with a token, under the same rules as
the pages. Anonymous voting is a page-only feature (a browser cookie identifies the participant there): the API
needs a token for join, vote, statement and next."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.actors.models import Organisation, Sector
from sinergi.consultations.models import QUESTION_MAX, STATEMENT_MAX, Consultation, Statement
from sinergi.consultations.selectors import (
    accepted_statements,
    consultation_get,
    consultation_list_public,
    consultation_result,
    next_statement,
    participant_progress,
    pending_statements,
    results_view,
)
from sinergi.consultations.services import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_update,
    kelurahan_choices,
    participant_find,
    participant_join,
    statement_moderate,
    statement_submit,
    vote_cast,
)
from sinergi.core.errors import RuleViolation
from sinergi.forums.models import Forum

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"
SlugPath = Path(..., max_length=120, pattern=SLUG)
IdPath = Path(..., ge=1, le=2**62)


# ---------------------------------------------------------------------------- schemas


class ConsultationOut(Schema):
    uid: uuid.UUID
    slug: str
    title: str
    question: str
    status: str
    audience: str
    host_kind: str
    host: str
    host_name: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    accepts_statements: bool

    @staticmethod
    def resolve_host_kind(obj: Consultation) -> str:
        return "forum" if obj.forum_id else "organisation"

    @staticmethod
    def resolve_host(obj: Consultation) -> str:
        host = obj.forum or obj.organiser
        return host.slug if host else ""

    @staticmethod
    def resolve_host_name(obj: Consultation) -> str:
        host = obj.forum or obj.organiser
        return host.name if host else ""


class ConsultationDetailOut(ConsultationOut):
    description: str
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class StatementOut(Schema):
    id: int
    text: str
    is_seed: bool
    status: str


class ProgressOut(Schema):
    voted: int
    total: int


class NextOut(Schema):
    statement: StatementOut | None
    progress: ProgressOut


class ResultOut(Schema):
    computed_at: dt.datetime | None
    change_sequence: int
    participant_count: int
    vote_count: int
    group_count: int
    votes_digest: str
    summary: dict[str, Any]


class ParticipantOut(Schema):
    row_index: int
    sector: str | None
    kelurahan: str | None


class VoteOut(Schema):
    statement: int
    value: int
    change_sequence: int


class ConsultationIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    question: str = Field(..., min_length=1, max_length=QUESTION_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    organiser: str | None = Field(None, max_length=120, pattern=SLUG, description="slug lembaga publik")
    forum: str | None = Field(None, max_length=120, pattern=SLUG, description="slug forum")
    opens_at: dt.datetime
    closes_at: dt.datetime
    audience: Literal["public", "verified", "forum_members"] = "public"
    accepts_statements: bool = True
    seed_statements: list[str] = Field(default_factory=list, max_length=200)


class ConsultationPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    question: str | None = Field(None, min_length=1, max_length=QUESTION_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    audience: Literal["public", "verified", "forum_members"] | None = None
    accepts_statements: bool | None = None
    seed_statements: list[str] | None = Field(None, max_length=200)


class JoinIn(Schema):
    sector: str | None = Field(None, max_length=30, pattern=SLUG, description="kode sektor")
    kelurahan: str | None = Field(None, max_length=13, pattern=r"^[0-9.]+$", description="kode wilayah kelurahan")


class VoteIn(Schema):
    statement: int = Field(..., ge=1, le=2**62)
    value: Literal[-1, 0, 1] = Field(..., description="1 setuju, -1 tidak setuju, 0 lewati")


class StatementIn(Schema):
    text: str = Field(..., min_length=1, max_length=STATEMENT_MAX)


class ModerateIn(Schema):
    decision: Literal["accept", "reject"]
    reason: str = Field("", max_length=REASON_MAX)


class CloseIn(Schema):
    reason: str = Field("", max_length=REASON_MAX)


# ---------------------------------------------------------------------------- helpers


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    try:
        consultation = consultation_get(slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return consultation


def _managed(request: HttpRequest, slug: str, perm: str) -> Consultation:
    """404 when there is no such consultation, 403 when the caller may not manage it (drafts included)."""
    try:
        consultation = consultation_get(slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    _require(request, perm, consultation)
    return consultation


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini pada konsultasi ini."))


def _statement(consultation: Consultation, statement_id: int) -> Statement:
    statement = consultation.statements.filter(pk=statement_id).first()
    if statement is None:
        raise Http404
    return statement


def _statement_out(statement: Statement) -> dict[str, Any]:
    return {"id": statement.pk, "text": statement.text, "is_seed": statement.is_seed, "status": statement.status}


def _participant(request: HttpRequest, consultation: Consultation) -> Any:
    _require(request, "consultations.take_part", consultation)
    return participant_find(consultation, user=request.user) or participant_join(
        consultation=consultation, user=request.user
    )


# ---------------------------------------------------------------------------- reads


@router.get("", response=list[ConsultationOut], summary="Daftar konsultasi (yang dibuka lebih dulu)")
@paginate
def consultation_list(request: HttpRequest) -> Any:
    return consultation_list_public()


@router.get("/{slug}", response=ConsultationDetailOut, summary="Satu konsultasi")
def consultation_detail(request: HttpRequest, slug: str = SlugPath) -> Consultation:
    return _consultation(request, slug)


@router.get("/{slug}/statements", response=list[StatementOut], summary="Pernyataan yang diterima")
@paginate
def statement_list(request: HttpRequest, slug: str = SlugPath) -> Any:
    return [_statement_out(s) for s in accepted_statements(_consultation(request, slug))]


@router.get("/{slug}/results", response=ResultOut, summary="Hasil pemetaan opini (ringkasan)")
def results(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    consultation = _consultation(request, slug)
    _require(request, "consultations.view_results", consultation)
    result = consultation_result(consultation)
    if result is None:
        return {
            "computed_at": None,
            "change_sequence": 0,
            "participant_count": 0,
            "vote_count": 0,
            "group_count": 0,
            "votes_digest": "",
            "summary": {},
        }
    view = results_view(consultation, result)
    for name in ("consensus_agree", "consensus_disagree", "group_aware"):
        view.pop(name, None)
    return {
        "computed_at": result.computed_at,
        "change_sequence": result.change_sequence,
        "participant_count": result.participant_count,
        "vote_count": result.vote_count,
        "group_count": result.group_count,
        "votes_digest": result.votes_digest,
        "summary": view,
    }


@router.get("/{slug}/next", response=NextOut, auth=token_auth, summary="Pernyataan berikutnya untuk pemilik token")
def next_for_caller(request: HttpRequest, slug: str = SlugPath) -> dict[str, Any]:
    consultation = _consultation(request, slug)
    _require(request, "consultations.take_part", consultation)
    participant = participant_find(consultation, user=request.user)
    statement = next_statement(participant, consultation)
    progress = participant_progress(participant, consultation)
    return {
        "statement": _statement_out(statement) if statement else None,
        "progress": {"voted": progress.voted, "total": progress.total},
    }


# ---------------------------------------------------------------------------- taking part


@router.post("/{slug}/join", response=ParticipantOut, auth=token_auth, summary="Ikut (sektor dan kelurahan opsional)")
def join(request: HttpRequest, payload: JoinIn, slug: str = SlugPath) -> dict[str, Any]:
    consultation = _consultation(request, slug)
    _require(request, "consultations.take_part", consultation)
    sector = None
    if payload.sector:
        sector = Sector.objects.filter(code=payload.sector).first()
        if sector is None:
            raise RuleViolation(_("Sektor tidak dikenal."), code="invalid_sector")
    region = None
    if payload.kelurahan:
        region = kelurahan_choices().filter(code=payload.kelurahan).first()
        if region is None:
            raise RuleViolation(_("Kelurahan tidak dikenal."), code="invalid_region")
    participant = participant_join(consultation=consultation, user=request.user, sector=sector, region=region)
    return {
        "row_index": participant.row_index,
        "sector": participant.sector.code if participant.sector else None,
        "kelurahan": participant.region_id,
    }


@router.post("/{slug}/votes", response=VoteOut, auth=token_auth, summary="Memberi suara (yang terakhir berlaku)")
def vote(request: HttpRequest, payload: VoteIn, slug: str = SlugPath) -> dict[str, Any]:
    consultation = _consultation(request, slug)
    _require(request, "consultations.take_part", consultation)
    statement = consultation.statements.filter(pk=payload.statement).first()
    if statement is None:
        raise RuleViolation(_("Pernyataan ini bukan bagian dari konsultasi ini."), code="unknown_statement")
    participant = _participant(request, consultation)
    cast = vote_cast(participant=participant, statement=statement, value=payload.value)
    return {"statement": statement.pk, "value": cast.value, "change_sequence": cast.change_sequence}


@router.post("/{slug}/statements", response={201: StatementOut}, auth=token_auth, summary="Mengirim pernyataan")
def statement_create(request: HttpRequest, payload: StatementIn, slug: str = SlugPath) -> tuple[int, dict[str, Any]]:
    consultation = _consultation(request, slug)
    _require(request, "consultations.submit_statement", consultation)
    participant = _participant(request, consultation)
    statement = statement_submit(participant=participant, text=payload.text)
    return 201, _statement_out(statement)


# ---------------------------------------------------------------------------- managing


@router.post("", response={201: ConsultationDetailOut}, auth=token_auth, summary="Membuat konsultasi (draf)")
def consultation_create_api(request: HttpRequest, payload: ConsultationIn) -> tuple[int, Consultation]:
    _require(request, "consultations.add_consultation", None)
    organiser = forum = None
    if payload.organiser:
        organiser = Organisation.objects.select_related("kind").filter(slug=payload.organiser).first()
        if organiser is None:
            raise RuleViolation(_("Lembaga tidak ditemukan."), code="unknown_organiser")
    if payload.forum:
        forum = Forum.objects.filter(slug=payload.forum).first()
        if forum is None:
            raise RuleViolation(_("Forum tidak ditemukan."), code="unknown_forum")
    consultation = consultation_create(
        actor=request.user,
        organiser=organiser,
        forum=forum,
        title=payload.title,
        question=payload.question,
        description=payload.description,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        audience=payload.audience,
        accepts_statements=payload.accepts_statements,
        seed_statements=payload.seed_statements,
    )
    return 201, consultation


@router.patch("/{slug}", response=ConsultationDetailOut, auth=token_auth, summary="Mengubah konsultasi")
def consultation_patch(request: HttpRequest, payload: ConsultationPatch, slug: str = SlugPath) -> Consultation:
    consultation = _managed(request, slug, "consultations.change_consultation")
    changes = payload.dict(exclude_unset=True)
    seeds = changes.pop("seed_statements", None)
    changes = {name: value for name, value in changes.items() if value is not None}
    return consultation_update(actor=request.user, consultation=consultation, seed_statements=seeds, **changes)


@router.post("/{slug}/open", response=ConsultationDetailOut, auth=token_auth, summary="Membuka konsultasi")
def open_(request: HttpRequest, slug: str = SlugPath) -> Consultation:
    consultation = _managed(request, slug, "consultations.open_consultation")
    return consultation_open(actor=request.user, consultation=consultation)


@router.post("/{slug}/close", response=ConsultationDetailOut, auth=token_auth, summary="Menutup konsultasi")
def close(request: HttpRequest, payload: CloseIn, slug: str = SlugPath) -> Consultation:
    consultation = _managed(request, slug, "consultations.close_consultation")
    return consultation_close(actor=request.user, consultation=consultation, reason=payload.reason)


@router.get("/{slug}/moderation", response=list[StatementOut], auth=token_auth, summary="Antrean moderasi")
@paginate
def moderation_list(request: HttpRequest, slug: str = SlugPath) -> Any:
    consultation = _managed(request, slug, "consultations.moderate_statement")
    return [_statement_out(s) for s in pending_statements(consultation)]


@router.post(
    "/{slug}/statements/{statement_id}/moderate", response=StatementOut, auth=token_auth, summary="Moderasi pernyataan"
)
def moderate(
    request: HttpRequest, payload: ModerateIn, slug: str = SlugPath, statement_id: int = IdPath
) -> dict[str, Any]:
    consultation = _managed(request, slug, "consultations.moderate_statement")
    statement = _statement(consultation, statement_id)
    moderated = statement_moderate(
        actor=request.user, statement=statement, accept=payload.decision == "accept", reason=payload.reason
    )
    return _statement_out(moderated)
