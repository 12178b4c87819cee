"""API v1 for officers (/api/v1/aspirations/kelola/...): the desk, queue and overdue reads, the
officer's view of a case, and every lifecycle action. Token required; the same rules and the same
form validation as the pages (``views.manage.ACTIONS``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.aspirations import officer_selectors as selectors
from sinergi.aspirations.models import Aspiration, AspirationEvent
from sinergi.aspirations.services.lifecycle import REASON_MAX, REFERRED_TO_MAX, RESPONSE_MAX, stage_due
from sinergi.aspirations.views.manage import ACTIONS

router = Router()

ACTION_PATTERN = "^(" + "|".join(ACTIONS) + ")$"


class CaseRowOut(Schema):
    uid: uuid.UUID
    title: str
    kind: str
    status: str
    privacy: str
    received_at: dt.datetime
    category: str | None
    suggested_category: str | None
    suggested_organisation: str | None
    suggestion_score: float | None
    assigned_organisation: str | None
    verify_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    completion_due_at: dt.datetime | None
    first_response_at: dt.datetime | None
    overdue_stage: str
    overdue_since: dt.datetime | None


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    actor_label: str
    public_text: str
    internal_note: str
    is_public: bool
    created_at: dt.datetime


class CaseOut(CaseRowOut):
    text: str
    address: str
    region: str | None
    latitude: float | None
    longitude: float | None
    needs_investigation: bool
    deadline_extended: bool
    outcome_text: str
    referred_to: str
    current_stage_due_at: dt.datetime | None
    available_actions: list[str]
    events: list[EventOut]


class IdentityOut(Schema):
    name: str
    wants_updates: bool
    phone: str | None = None
    email: str | None = None
    nik: str | None = None


class OverdueRowOut(Schema):
    organisation: str
    open: int
    overdue: int
    first_response: int
    completion: int


class ActionIn(Schema):
    """Fields of every action; each action reads only its own (as its page form does)."""

    category: str | None = Field(None, max_length=60)
    organisation: str | None = Field(None, max_length=120)
    note: str | None = Field(None, max_length=REASON_MAX)
    question: str | None = Field(None, max_length=REASON_MAX)
    reason: str | None = Field(None, max_length=REASON_MAX)
    referred_to: str | None = Field(None, max_length=REFERRED_TO_MAX)
    text: str | None = Field(None, max_length=RESPONSE_MAX)
    internal_note: str | None = Field(None, max_length=REASON_MAX)
    outcome: str | None = Field(None, max_length=RESPONSE_MAX)


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini untuk aspirasi ini."))


def _slug(organisation: Any) -> str | None:
    return organisation.slug if organisation is not None else None


def case_row(case: Aspiration) -> dict[str, Any]:
    return {
        "uid": case.uid,
        "title": case.title,
        "kind": case.kind,
        "status": case.status,
        "privacy": case.privacy,
        "received_at": case.received_at,
        "category": case.category.slug if case.category else None,
        "suggested_category": case.suggested_category.slug if case.suggested_category else None,
        "suggested_organisation": _slug(case.suggested_organisation),
        "suggestion_score": case.suggestion_score,
        "assigned_organisation": _slug(case.assigned_organisation),
        "verify_due_at": case.verify_due_at,
        "response_due_at": case.response_due_at,
        "completion_due_at": case.completion_due_at,
        "first_response_at": case.first_response_at,
        "overdue_stage": case.overdue_stage,
        "overdue_since": case.overdue_since,
    }


def _event(event: AspirationEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor_label": event.actor_label,
        "public_text": event.public_text,
        "internal_note": event.internal_note,
        "is_public": event.is_public,
        "created_at": event.created_at,
    }


def case_data(request: HttpRequest, case: Aspiration) -> dict[str, Any]:
    return {
        **case_row(case),
        "text": case.text,
        "address": case.address,
        "region": case.region.code if case.region else None,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "needs_investigation": case.needs_investigation,
        "deadline_extended": case.deadline_extended,
        "outcome_text": case.outcome_text,
        "referred_to": case.referred_to,
        "current_stage_due_at": stage_due(case),
        "available_actions": [
            slug for slug, spec in ACTIONS.items() if spec.available(case) and request.user.has_perm(spec.perm, case)
        ],
        "events": [_event(event) for event in case.events.all()],
    }


@router.get("/kelola/verifikasi", response=list[CaseRowOut], auth=token_auth, summary="Meja verifikasi (koordinator)")
@paginate
def desk_list(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "aspirations.view_verification_desk")
    return [case_row(case) for case in selectors.verification_desk()[: selectors.API_LIMIT]]


@router.get("/kelola/antrean", response=list[CaseRowOut], auth=token_auth, summary="Antrean OPD")
@paginate
def queue_list(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "aspirations.view_opd_queue")
    everything = request.user.has_perm("aspirations.view_verification_desk")
    cases = selectors.opd_queue(request.user, everything=everything)[: selectors.API_LIMIT]
    return [case_row(case) for case in cases]


@router.get("/kelola/terlambat", response=list[OverdueRowOut], auth=token_auth, summary="Keterlambatan per OPD")
def overdue_list(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, "aspirations.view_opd_queue")
    everything = request.user.has_perm("aspirations.view_verification_desk")
    ids = None if everything else [o.pk for o in selectors.organisations_handled_by(request.user)]
    return [
        {
            "organisation": row["assigned_organisation__name"],
            "open": row["open"],
            "overdue": row["overdue"],
            "first_response": row["first_response"],
            "completion": row["completion"],
        }
        for row in selectors.overdue_by_organisation(ids)
    ]


@router.get("/kelola/{uuid:uid}", response=CaseOut, auth=token_auth, summary="Aspirasi untuk petugas")
def case_get(request: HttpRequest, uid: uuid.UUID) -> dict[str, Any]:
    case = selectors.officer_case(uid)
    _require(request, "aspirations.view_officer_case", case)
    return case_data(request, case)


@router.get("/kelola/{uuid:uid}/pelapor", response=IdentityOut, auth=token_auth, summary="Identitas pelapor")
def identity_get(request: HttpRequest, uid: uuid.UUID) -> dict[str, Any]:
    """The reporter's name (never to the OPD for an anonymous case); contact and NIK for the
    coordinator desk and administrators only."""
    case = selectors.officer_case(uid)
    _require(request, "aspirations.view_reporter_identity", case)
    identity = selectors.reporter_identity(case)
    if identity is None:
        return {"name": "", "wants_updates": False}
    data: dict[str, Any] = {"name": identity.name, "wants_updates": identity.wants_updates}
    if request.user.has_perm("aspirations.view_reporter_contact", case):
        data.update(phone=identity.phone or None, email=identity.email or None, nik=identity.nik or None)
    return data


@router.post("/kelola/{uuid:uid}/{action}", response=CaseOut, auth=token_auth, summary="Tindakan petugas atas aspirasi")
def case_action(
    request: HttpRequest, uid: uuid.UUID, payload: ActionIn, action: str = Path(..., pattern=ACTION_PATTERN)
) -> dict[str, Any]:
    spec = ACTIONS[action]
    case = selectors.officer_case(uid)
    _require(request, spec.perm, case)
    form = spec.form(data={key: value for key, value in payload.dict().items() if value is not None})
    if not form.is_valid():
        raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
    spec.run(case, request.user, form.cleaned_data)
    return case_data(request, selectors.officer_case(uid))
