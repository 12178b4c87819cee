import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffsetPagination
from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.selectors import ledger_entry_list

router = Router()


class LedgerEntryOut(Schema):
    sequence: int
    recorded_at: dt.datetime
    event_type: str
    actor: str
    actor_label: str
    subject_type: str
    subject_id: str
    payload: dict[str, Any]
    previous_hash: str
    entry_hash: str


@router.get("/entries", response=list[LedgerEntryOut], summary="Entri log publik, terbaru dulu")
@paginate(BoundedLimitOffsetPagination)
def entry_list(request: HttpRequest, subject_type: str = "", subject_id: str = "", event_type: str = "") -> Any:
    return ledger_entry_list(subject_type=subject_type[:40], subject_id=subject_id[:80], event_type=event_type[:64])


@router.get("/entries/{sequence}", response=LedgerEntryOut, summary="Satu entri log publik")
def entry_detail(request: HttpRequest, sequence: int = Path(..., ge=1, le=2**62)) -> LedgerEntry:
    return get_object_or_404(LedgerEntry, sequence=sequence)
