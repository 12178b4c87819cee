"""The one place that writes the public log."""

import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sinergi.ledger.encoding import GENESIS_HASH, canonical_json, entry_document, leaf_hash
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry

# Any constant works; it only has to be the same for every writer of this database.
_PG_ADVISORY_KEY = 7239_0001


def _lock_log_head() -> None:
    """Serialise writers so sequence numbers and the hash chain stay gap-free.

    SQLite runs every transaction IMMEDIATE (settings), which already holds the write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_ADVISORY_KEY])


def actor_handle(actor: Any) -> tuple[str, str]:
    """(public handle, display label) for the acting user; `None` means the platform itself."""
    if actor is None:
        return "system", "Sistem"
    return actor.public_handle, actor.display_name


def ledger_record(
    *,
    event: LedgerEvent,
    actor: Any,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Append one entry. Must run inside the caller's transaction, so the act and its record
    commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_record must be called inside the service's transaction")
    _lock_log_head()
    head = LedgerEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    sequence = head.sequence + 1 if head else 1
    previous = head.entry_hash if head else GENESIS_HASH
    handle, label = actor_handle(actor)
    recorded_at = timezone.now()
    # Stored exactly as it is hashed, so reading it back reproduces the same bytes.
    payload = json.loads(canonical_json(data or {}))
    document = entry_document(
        sequence=sequence,
        recorded_at=recorded_at,
        event_type=str(event),
        actor=handle,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload,
        previous_hash=previous,
    )
    entry = LedgerEntry(
        sequence=sequence,
        recorded_at=recorded_at,
        event_type=str(event),
        actor=handle,
        actor_label=label,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload,
        previous_hash=previous,
        entry_hash=leaf_hash(canonical_json(document)),
    )
    entry.save()
    return entry
