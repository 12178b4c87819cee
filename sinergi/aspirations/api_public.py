"""API v1, public part: submit (no account needed), list, public case, tracker and reporter actions.

Submission is JSON; photos travel inside it as base64 (`photos: [{"filename", "content_base64"}]`,
at most 3, each at most 5 MB decoded) so one request format serves every client and the request can
be replayed byte for byte with the same `Idempotency-Key` header. The API takes what the web form takes:
this endpoint and the tracker's added information accept a JSON body up to 21 MB
(`settings.API_BODY_LIMITS`, enforced by `sinergi.core.api_errors`; 3 × 5 MB of photos as base64 is about
20 MB), while every other endpoint keeps Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB). A larger body is
refused unread with 413 `too_large` (`limit_bytes` says the limit). A token is optional: with one, the
case is linked to the token's account; a token that is sent but unknown is refused (401).
Same privacy rules as the pages (`selectors.public_view`): no NIK, phone or e-mail, ever.
"""

import base64
import binascii
import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.selectors import api_token_user
from sinergi.aspirations.identity import EMAIL_MAX, NAME_MAX, PHONE_INPUT_MAX
from sinergi.aspirations.models import TEXT_MAX, TITLE_MAX
from sinergi.aspirations.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from sinergi.aspirations.selectors import (
    aspiration_by_tracking_code,
    aspiration_public_get,
    aspiration_public_list,
    list_row,
    public_view,
)
from sinergi.aspirations.services import reporter
from sinergi.aspirations.services.intake import (
    ADDRESS_MAX,
    AspirationSubmission,
    aspiration_submit,
)
from sinergi.aspirations.states import Channel, Privacy
from sinergi.core.errors import NotPermitted, RuleViolation

router = Router(tags=["aspirations"])

PHOTO_BASE64_MAX = (MAX_PHOTO_BYTES * 4) // 3 + 8


class PhotoIn(Schema):
    filename: str = Field("", max_length=200)
    content_base64: str = Field(..., max_length=PHOTO_BASE64_MAX)


class AspirationIn(Schema):
    kind: str = Field(..., max_length=24, description="aspirasi | pengaduan | permintaan_informasi")
    title: str = Field("", max_length=TITLE_MAX)
    text: str = Field(..., max_length=TEXT_MAX)
    category: str = Field("", max_length=60, description="slug kategori; kosong = dipilihkan otomatis")
    privacy: str = Field(Privacy.ANONYMOUS.value, max_length=12, description="public | anonymous | confidential")
    region: str = Field("", max_length=13, description="kode kelurahan, mis. 35.72.01.1001")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=ADDRESS_MAX)
    reporter_name: str = Field("", max_length=NAME_MAX)
    nik: str = Field("", max_length=24)
    phone: str = Field("", max_length=PHONE_INPUT_MAX)
    email: str = Field("", max_length=EMAIL_MAX)
    wants_updates: bool = True
    consent_version: str = Field(..., max_length=20, description="versi teks persetujuan yang ditampilkan")
    photos: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS)


class SubmittedOut(Schema):
    uid: UUID
    tracking_code: str
    created: bool
    status: str
    verify_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    completion_due_at: dt.datetime | None


class AspirationRowOut(Schema):
    uid: UUID
    kind: str
    title: str
    is_confidential: bool
    status: str
    category: str
    region: str
    organisation: str
    received_at: dt.datetime
    support_count: int
    overdue: bool


class EventOut(Schema):
    kind: str
    to_status: str
    actor_label: str
    text: str
    created_at: dt.datetime


class PhotoOut(Schema):
    url: str
    width: int
    height: int


class AspirationOut(Schema):
    uid: UUID
    kind: str
    title: str
    text: str
    is_confidential: bool
    status: str
    category: str
    region: str
    organisation: str
    latitude: float | None
    longitude: float | None
    address: str
    reporter_name: str
    received_at: dt.datetime
    verify_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    completion_due_at: dt.datetime | None
    resolved_at: dt.datetime | None
    outcome_text: str
    rating: int | None
    support_count: int
    merged_into: UUID | None
    photos: list[PhotoOut]
    events: list[EventOut]


class TrackerOut(AspirationOut):
    can_add_information: bool
    can_confirm: bool
    can_rate: bool
    can_reopen: bool
    reopen_until: dt.datetime | None


class AspirationFilters(Schema):
    region: str = Field("", max_length=13)
    category: str = Field("", max_length=60)
    status: str = Field("", max_length=20, description="status, atau `open` untuk yang masih berjalan")
    organisation: str = Field("", max_length=120)
    kind: str = Field("", max_length=24)


class InformationIn(Schema):
    text: str = Field(..., max_length=2000)
    photos: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS)


class RateIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)


class ReopenIn(Schema):
    reason: str = Field(..., max_length=1000)


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


def _decode_photos(photos: list[PhotoIn]) -> tuple[tuple[str, bytes], ...]:
    decoded = []
    for photo in photos:
        try:
            content = base64.b64decode(photo.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise RuleViolation(_("Foto harus dikirim sebagai base64."), code="invalid_photo") from exc
        decoded.append((photo.filename, content))
    return tuple(decoded)


def _public_out(view: Any) -> dict[str, Any]:
    return {
        "uid": view.uid,
        "kind": view.kind,
        "title": view.title,
        "text": view.text,
        "is_confidential": view.is_confidential,
        "status": view.status,
        "category": view.category_slug,
        "region": view.region_code,
        "organisation": view.organisation_slug,
        "latitude": view.latitude,
        "longitude": view.longitude,
        "address": view.address,
        "reporter_name": view.reporter_name,
        "received_at": view.received_at,
        "verify_due_at": view.verify_due_at,
        "response_due_at": view.response_due_at,
        "completion_due_at": view.completion_due_at,
        "resolved_at": view.resolved_at,
        "outcome_text": view.outcome_text,
        "rating": view.rating,
        "support_count": view.support_count,
        "merged_into": view.merged_into_uid,
        "photos": [
            {"url": reverse("aspirations:photo", args=[p.uid]), "width": p.width, "height": p.height}
            for p in view.photos
        ],
        "events": [
            {
                "kind": e.kind,
                "to_status": e.to_status,
                "actor_label": e.actor_label,
                "text": e.text,
                "created_at": e.created_at,
            }
            for e in view.events
        ],
    }


def _private(response: HttpResponse) -> None:
    """Answers that carry a tracking code are never stored by the page cache or a proxy."""
    response["Cache-Control"] = "private, no-store"


@router.post(
    "/",
    response={200: SubmittedOut, 201: SubmittedOut},
    summary="Kirim aspirasi (tanpa akun; header Idempotency-Key disarankan)",
)
def aspirations_submit(request: HttpRequest, payload: AspirationIn, response: HttpResponse) -> Any:
    user = _token_user(request)
    submission = AspirationSubmission(
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        category_slug=payload.category,
        privacy=payload.privacy,
        channel=Channel.API,
        region_code=payload.region,
        latitude=payload.latitude,
        longitude=payload.longitude,
        address=payload.address,
        reporter_name=payload.reporter_name,
        nik=payload.nik,
        phone=payload.phone,
        email=payload.email,
        wants_updates=payload.wants_updates,
        consent_version=payload.consent_version,
        photos=_decode_photos(payload.photos),
    )
    key = request.headers.get("Idempotency-Key") or None
    _private(response)
    result = aspiration_submit(submission=submission, actor=user, idempotency_key=key)
    case = result.aspiration
    body = {
        "uid": case.uid,
        "tracking_code": result.tracking_code,
        "created": result.created,
        "status": case.status,
        "verify_due_at": case.verify_due_at,
        "response_due_at": case.response_due_at,
        "completion_due_at": case.completion_due_at,
    }
    return 201 if result.created else 200, body


@router.get("/", response=list[AspirationRowOut], summary="Daftar aspirasi publik")
@paginate
def aspirations_list(request: HttpRequest, filters: Query[AspirationFilters]) -> Any:
    rows = aspiration_public_list(
        region=filters.region,
        category=filters.category,
        status=filters.status,
        organisation=filters.organisation,
        kind=filters.kind,
    )
    return _LazyRows(rows)


class _LazyRows:
    """A queryset that the paginator slices, turned into public rows only for the page it returns."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def __len__(self) -> int:
        return int(self.queryset.count())

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [list_row(a) for a in self.queryset[item]]


@router.get("/{uuid:uid}", response=AspirationOut, summary="Aspirasi (tampilan publik)")
def aspirations_detail(request: HttpRequest, uid: UUID) -> Any:
    aspiration = aspiration_public_get(uid)
    if aspiration is None:
        raise Http404
    return _public_out(public_view(aspiration))


def _tracked(code: str) -> Any:
    aspiration = aspiration_by_tracking_code(code[:40])
    if aspiration is None:
        raise Http404
    return aspiration


def _tracker_out(aspiration: Any) -> dict[str, Any]:
    from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus

    resolved = aspiration.status == AspirationStatus.RESOLVED
    return {
        **_public_out(public_view(aspiration, with_name=False)),
        "can_add_information": aspiration.status in OPEN_STATUSES,
        "can_confirm": resolved and aspiration.confirmed_at is None,
        "can_rate": resolved and aspiration.rating is None,
        "can_reopen": resolved
        and aspiration.confirmed_at is None
        and aspiration.rating is None
        and aspiration.reopen_until is not None,
        "reopen_until": aspiration.reopen_until,
    }


# A tracking code as typed by a person (spaces/dashes allowed, normalised later); bounded so a path can be refused.
TrackingCodePath = Annotated[str, Path(max_length=32, pattern=r"^[0-9A-Za-z \-]{1,32}$")]


@router.get("/track/{code}", response=TrackerOut, summary="Pelacak (dengan kode lacak)")
def aspirations_track(request: HttpRequest, code: TrackingCodePath, response: HttpResponse) -> Any:
    _private(response)
    return _tracker_out(_tracked(code))


@router.post("/track/{code}/information", response=TrackerOut, summary="Pelapor menambahkan informasi")
def aspirations_track_information(
    request: HttpRequest, code: TrackingCodePath, payload: InformationIn, response: HttpResponse
) -> Any:
    _private(response)
    case = _tracked(code)
    reporter.reporter_add_information(
        text=payload.text, tracking_code=case.tracking_code, photos=_decode_photos(payload.photos)
    )
    return _tracker_out(_tracked(code))


@router.post("/track/{code}/confirm", response=TrackerOut, summary="Pelapor mengonfirmasi penyelesaian")
def aspirations_track_confirm(request: HttpRequest, code: TrackingCodePath, response: HttpResponse) -> Any:
    _private(response)
    reporter.reporter_confirm(tracking_code=_tracked(code).tracking_code)
    return _tracker_out(_tracked(code))


@router.post("/track/{code}/rate", response=TrackerOut, summary="Pelapor memberi penilaian 1–5")
def aspirations_track_rate(
    request: HttpRequest, code: TrackingCodePath, payload: RateIn, response: HttpResponse
) -> Any:
    _private(response)
    reporter.reporter_rate(rating=payload.rating, comment=payload.comment, tracking_code=_tracked(code).tracking_code)
    return _tracker_out(_tracked(code))


@router.post("/track/{code}/reopen", response=TrackerOut, summary="Pelapor membuka kembali aspirasi")
def aspirations_track_reopen(
    request: HttpRequest, code: TrackingCodePath, payload: ReopenIn, response: HttpResponse
) -> Any:
    _private(response)
    reporter.reporter_reopen(reason=payload.reason, tracking_code=_tracked(code).tracking_code)
    return _tracker_out(_tracked(code))
