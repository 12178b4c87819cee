"""Canonical encoding of log entries.

Each entry is serialised as canonical JSON (keys sorted, no insignificant whitespace, UTF-8,
no floats) and hashed as an RFC 9162 Merkle leaf: SHA-256(0x00 || bytes). The chain hash of
an entry covers the previous entry's hash, so the sequence is verifiable link by link now,
and the same leaf hashes can be put into a Merkle tree (inclusion and consistency proofs)
without re-encoding anything.
"""

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in log payloads; use strings or Decimal")
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in a log payload")


def canonical_json(value: Any) -> bytes:
    return json.dumps(_normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def leaf_hash(data: bytes) -> str:
    return hashlib.sha256(b"\x00" + data).hexdigest()


def entry_document(
    *,
    sequence: int,
    recorded_at: dt.datetime,
    event_type: str,
    actor: str,
    subject_type: str,
    subject_id: str,
    payload: dict[str, Any],
    previous_hash: str,
) -> dict[str, Any]:
    """The exact document that is hashed; the verifier rebuilds it from the published fields."""
    return {
        "v": 1,
        "seq": sequence,
        "time": recorded_at,
        "event": event_type,
        "actor": actor,
        "subject": {"type": subject_type, "id": subject_id},
        "data": payload,
        "prev": previous_hash,
    }
