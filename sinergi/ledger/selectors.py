from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from sinergi.ledger.encoding import GENESIS_HASH
from sinergi.ledger.models import LedgerEntry


def ledger_entry_list(*, subject_type: str = "", subject_id: str = "", event_type: str = "") -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.all().order_by("-sequence")
    if subject_type:
        entries = entries.filter(subject_type=subject_type)
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    if event_type:
        entries = entries.filter(event_type=event_type)
    return entries


def ledger_entries_for(subject_type: str, subject_id: str) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("-sequence")


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


def ledger_verify_chain(*, batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Recompute every entry's hash and link; yields each break found (nothing if intact)."""
    expected_sequence = 1
    previous = GENESIS_HASH
    entries = LedgerEntry.objects.order_by("sequence").iterator(chunk_size=batch_size)
    for entry in entries:
        if entry.sequence != expected_sequence:
            yield ChainProblem(entry.sequence, f"expected sequence {expected_sequence}")
        if entry.previous_hash != previous:
            yield ChainProblem(entry.sequence, "previous_hash does not match the preceding entry")
        if entry.computed_hash() != entry.entry_hash:
            yield ChainProblem(entry.sequence, "content does not match entry_hash")
        previous = entry.entry_hash
        expected_sequence = entry.sequence + 1


def ledger_head_sequence() -> int:
    """The sequence number of the newest entry (0 for an empty log): it changes with every public act."""
    return LedgerEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
