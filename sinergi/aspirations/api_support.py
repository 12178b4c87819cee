"""API v1, support part: dukung, phone verification, similar open cases, merging duplicates.

Dukung with a token (the token's account supports) or without one: first
`POST /phone-verifications {"phone"}` (a code goes out by SMS/WhatsApp), then
`POST /phone-verifications/check {"phone", "code"}` → `proof_token` (valid 30 minutes), then
`POST /{uid}/support {"phone", "proof_token"}`. Responses never carry a phone number or who supported.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sinergi.accounts.api import token_auth
from sinergi.accounts.selectors import api_token_user
from sinergi.aspirations.identity import PHONE_INPUT_MAX
from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.services.merge import REASON_MAX, aspiration_merge
from sinergi.aspirations.services.support import (
    CODE_VALID,
    aspiration_support,
    phone_from_proof,
    phone_proof_token,
    phone_verification_check,
    phone_verification_start,
)
from sinergi.aspirations.similar import LIMIT_MAX, QUERY_MAX_CHARS, find_similar
from sinergi.core.errors import NotPermitted

router = Router(tags=["aspirasi: dukungan dan penggabungan"])


class SupportIn(Schema):
    phone: str = Field("", max_length=PHONE_INPUT_MAX)
    proof_token: str = Field("", max_length=500)
    wants_updates: bool = True


class SupportOut(Schema):
    uid: uuid.UUID
    created: bool
    support_count: int


class PhoneIn(Schema):
    phone: str = Field(..., max_length=PHONE_INPUT_MAX)


class PhoneStartOut(Schema):
    sent: bool
    expires_in_seconds: int


class PhoneCheckIn(Schema):
    phone: str = Field(..., max_length=PHONE_INPUT_MAX)
    code: str = Field(..., max_length=16)


class PhoneCheckOut(Schema):
    verified: bool
    proof_token: str
    valid_seconds: int


class SimilarFilters(Schema):
    q: str = Field(..., min_length=1, max_length=QUERY_MAX_CHARS)
    kelurahan: str = Field("", max_length=13)
    category: str = Field("", max_length=60)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    limit: int = Field(5, ge=1, le=LIMIT_MAX)


class SimilarOut(Schema):
    uid: uuid.UUID
    title: str
    status: str
    support_count: int
    distance_m: float | None
    score: float
    region_name: str


class MergeIn(Schema):
    into: uuid.UUID
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class MergeOut(Schema):
    uid: uuid.UUID
    status: str
    merged_into: uuid.UUID
    into_support_count: int


def _token_user(request: HttpRequest) -> Any:
    """The token's account, None without a token; an unknown token is refused, not ignored."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _space, token = header.partition(" ")
    user = api_token_user(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        error = NotPermitted(_("Token API tidak ada atau tidak berlaku."), code="unauthenticated")
        error.status_code = 401
        raise error
    request.user = user
    return user


@router.post("/{uuid:uid}/support", response={200: SupportOut, 201: SupportOut}, summary="Dukung aspirasi")
def support_create(request: HttpRequest, uid: uuid.UUID, payload: SupportIn) -> Any:
    aspiration = get_object_or_404(Aspiration, uid=uid)
    user = _token_user(request)
    if user is not None:
        result = aspiration_support(aspiration=aspiration, user=user, wants_updates=payload.wants_updates)
    else:
        if not payload.phone or not payload.proof_token:
            error = NotPermitted(
                _("Kirim token API, atau nomor telepon dengan bukti verifikasinya (proof_token)."),
                code="unauthenticated",
            )
            error.status_code = 401
            raise error
        phone = phone_from_proof(payload.phone, payload.proof_token)
        result = aspiration_support(aspiration=aspiration, verified_phone=phone, wants_updates=payload.wants_updates)
    body = {"uid": aspiration.uid, "created": result.created, "support_count": result.support_count}
    return 201 if result.created else 200, body


@router.post("/phone-verifications", response={202: PhoneStartOut}, summary="Kirim kode verifikasi ke nomor telepon")
def phone_start(request: HttpRequest, payload: PhoneIn) -> Any:
    phone_verification_start(payload.phone)
    return 202, {"sent": True, "expires_in_seconds": int(CODE_VALID.total_seconds())}


@router.post("/phone-verifications/check", response=PhoneCheckOut, summary="Periksa kode verifikasi")
def phone_check(request: HttpRequest, payload: PhoneCheckIn) -> Any:
    from sinergi.aspirations.services.support import PROOF_VALID

    verification = phone_verification_check(payload.phone, payload.code)
    return {
        "verified": True,
        "proof_token": phone_proof_token(verification),
        "valid_seconds": int(PROOF_VALID.total_seconds()),
    }


@router.get("/similar", response=list[SimilarOut], summary="Aspirasi terbuka yang serupa (dan berdekatan)")
def similar_list(request: HttpRequest, filters: Query[SimilarFilters]) -> Any:
    category_id = None
    if filters.category:
        category_id = Category.objects.filter(slug=filters.category).values_list("pk", flat=True).first()
    return find_similar(
        text=filters.q,
        category_id=category_id,
        region_code=filters.kelurahan,
        latitude=filters.latitude,
        longitude=filters.longitude,
        limit=filters.limit,
    )


@router.post("/{uuid:uid}/merge", response=MergeOut, auth=token_auth, summary="Gabungkan aspirasi ganda (petugas)")
def merge_create(request: HttpRequest, uid: uuid.UUID, payload: MergeIn) -> Any:
    duplicate = get_object_or_404(Aspiration, uid=uid)
    if not request.user.has_perm("aspirations.merge_aspiration", duplicate):
        raise NotPermitted(_("Anda tidak berwenang menggabungkan aspirasi ini."))
    into = get_object_or_404(Aspiration, uid=payload.into)
    merged = aspiration_merge(duplicate=duplicate, into=into, actor=request.user, reason=payload.reason)
    into.refresh_from_db(fields=["support_count"])
    return {
        "uid": merged.uid,
        "status": merged.status,
        "merged_into": into.uid,
        "into_support_count": into.support_count,
    }
