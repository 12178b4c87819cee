"""The one place that writes the public log."""

import json
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from sinergi.core.rows import prepare_insert
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


class PreparedLogEntry:
    """A log entry with everything worked out but its place in the chain (sequence, time, previous hash),
    which only the transaction that appends it can know. Preparing it before the transaction keeps
    the work done while holding the write lock small (see `sinergi.core.rows`)."""

    __slots__ = ("_insert", "entry")

    def __init__(self, entry: LedgerEntry) -> None:
        self.entry = entry
        self._insert = prepare_insert(entry)


def ledger_prepare(
    *,
    event: LedgerEvent,
    actor: Any,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> PreparedLogEntry:
    """Everything of `ledger_record` that does not depend on the log's head; no database access."""
    handle, label = actor_handle(actor)
    # Stored exactly as it is hashed, so reading it back reproduces the same bytes.
    payload = json.loads(canonical_json(data or {}))
    entry = LedgerEntry(
        sequence=0,
        event_type=str(event),
        actor=handle,
        actor_label=label,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=payload,
        previous_hash=GENESIS_HASH,
        entry_hash="",
    )
    return PreparedLogEntry(entry)


def ledger_append(prepared: PreparedLogEntry) -> LedgerEntry:
    """Chain a prepared entry onto the log. Must run inside the caller's transaction, so the act and its
    record commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_record must be called inside the service's transaction")
    _lock_log_head()
    head = _log_head()
    sequence = head[0] + 1 if head else 1
    previous = head[1] if head else GENESIS_HASH
    recorded_at = timezone.now()
    entry = prepared.entry
    document = entry_document(
        sequence=sequence,
        recorded_at=recorded_at,
        event_type=entry.event_type,
        actor=entry.actor,
        subject_type=entry.subject_type,
        subject_id=entry.subject_id,
        payload=entry.payload,
        previous_hash=previous,
    )
    # Not `entry.save()`: the statement is compiled once (every public act of every service passes here).
    prepared._insert.execute(
        sequence=sequence,
        recorded_at=recorded_at,
        previous_hash=previous,
        entry_hash=leaf_hash(canonical_json(document)),
    )
    return entry


def ledger_record(
    *,
    event: LedgerEvent,
    actor: Any,
    subject_type: str,
    subject_id: str,
    data: dict[str, Any] | None = None,
) -> LedgerEntry:
    """Append one entry. Must run inside the caller's transaction (`ledger_append` checks), so the act
    and its record commit or roll back together."""
    return ledger_append(
        ledger_prepare(event=event, actor=actor, subject_type=subject_type, subject_id=subject_id, data=data)
    )


@cache
def _log_head_sql() -> str:
    quote = connection.ops.quote_name
    table, sequence, entry_hash = (
        quote(LedgerEntry._meta.db_table),
        quote(LedgerEntry._meta.get_field("sequence").column),
        quote(LedgerEntry._meta.get_field("entry_hash").column),
    )
    return f"SELECT {sequence}, {entry_hash} FROM {table} ORDER BY {sequence} DESC LIMIT 1"  # noqa: S608


def _log_head() -> tuple[int, str] | None:
    """(sequence, entry hash) of the newest entry; plain SQL, as it runs for every public act."""
    with connection.cursor() as cursor:
        cursor.execute(_log_head_sql())
        return cursor.fetchone()
