"""The sparse vote matrix: the latest vote of each participant on each statement.

Votes use the export convention **agree = +1, disagree = −1, pass = 0** (Polis's internal sign is the opposite;
flipping it flips every 2-D coordinate but no distance, cluster or count, see polis-math.md §2.1).
Missing cells are simply absent, so memory and time scale with the number of votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

AGREE = 1
DISAGREE = -1
PASS = 0

# A (participant, statement, vote) triple is packed into one int64 so a single fast `np.sort` orders the votes by
# participant then statement (argsort of 2 M keys is several times slower than sorting the keys themselves).
_VOTE_BITS = 2
_STATEMENT_BITS = 24
MAX_STATEMENTS = 1 << _STATEMENT_BITS
MAX_PARTICIPANTS = 1 << (63 - _STATEMENT_BITS - _VOTE_BITS)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants × statements, one vote per cell at most, stored row-major (CSR-like).

    Invariants: ``indptr`` has ``n_participants + 1`` non-decreasing entries from 0 to ``n_votes``; within a row the
    statement indices are strictly increasing; ``votes`` only holds −1, 0 or +1.
    """

    n_participants: int
    n_statements: int
    indptr: NDArray[np.int64]
    statements: NDArray[np.int32]
    votes: NDArray[np.int8]
    # Per-statement vote counts and sums, and per-participant counts of votes outside a moderation mask: computed on
    # first use and carried through `with_votes` by applying only the changed cells, so a warm update does not
    # rescan every vote for them.
    _statement_totals: tuple[NDArray[np.int64], NDArray[np.float64]] | None = field(default=None, repr=False)
    _kept_votes: dict[bytes, NDArray[np.int64]] = field(default_factory=dict, repr=False)

    @property
    def n_votes(self) -> int:
        return int(self.statements.shape[0])

    @property
    def participants(self) -> NDArray[np.int32]:
        """The participant (row) index of every stored vote, aligned with ``statements`` and ``votes``."""
        return np.repeat(np.arange(self.n_participants, dtype=np.int32), np.diff(self.indptr))

    def votes_per_participant(self) -> NDArray[np.int64]:
        return np.diff(self.indptr)

    def statement_totals(self) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """(number of votes, sum of votes) per statement; passes count as votes with value 0."""
        if self._statement_totals is None:
            counts = np.bincount(self.statements, minlength=self.n_statements)
            sums = np.bincount(self.statements, weights=self.votes, minlength=self.n_statements)
            object.__setattr__(self, "_statement_totals", (counts, sums))
        assert self._statement_totals is not None
        return self._statement_totals

    def votes_outside(self, excluded_statements: NDArray[np.bool_]) -> NDArray[np.int64]:
        """Per participant, the number of votes on statements not in ``excluded_statements`` (length n_statements)."""
        key = np.asarray(excluded_statements, dtype=bool).tobytes()
        if key not in self._kept_votes:
            kept_running_total = np.concatenate([[0], np.cumsum(~excluded_statements[self.statements])])
            self._kept_votes[key] = np.diff(kept_running_total[self.indptr])
        return self._kept_votes[key]

    @classmethod
    def from_votes(
        cls,
        participant_index: ArrayLike,
        statement_index: ArrayLike,
        vote: ArrayLike,
        n_participants: int | None = None,
        n_statements: int | None = None,
        *,
        deduplicate: bool = False,
    ) -> VoteMatrix:
        """Build the matrix from parallel arrays of votes.

        Pairs must be unique unless ``deduplicate`` is set, in which case the *last* row for a pair wins (votes given
        in arrival order, as Polis applies them). Shapes default to one past the largest index.
        """
        participants = _integers(participant_index)
        statements = _integers(statement_index)
        values = _integers(vote)
        if not participants.shape == statements.shape == values.shape or participants.ndim != 1:
            raise ValueError("participant_index, statement_index and vote must be 1-D arrays of equal length")
        n_rows = int(participants.max(initial=-1)) + 1 if n_participants is None else int(n_participants)
        n_cols = int(statements.max(initial=-1)) + 1 if n_statements is None else int(n_statements)
        _check_votes(participants, statements, values, n_rows, n_cols)
        if deduplicate and participants.shape[0]:
            pair = (participants.astype(np.int64) << _STATEMENT_BITS) | statements
            order = np.argsort(pair, kind="stable")
            sorted_pair = pair[order]
            last_of_pair = np.append(sorted_pair[1:] != sorted_pair[:-1], True)
            keep = order[last_of_pair]
            participants, statements, values = participants[keep], statements[keep], values[keep]
        # Built in place: at 2 M votes every temporary array costs page faults as well as a pass.
        keys = participants.astype(np.int64)
        keys <<= _STATEMENT_BITS
        keys |= statements
        keys <<= _VOTE_BITS
        keys += values
        keys += 1
        keys.sort()
        return cls._from_sorted_keys(keys, n_rows, n_cols, check_duplicates=not deduplicate)

    @classmethod
    def _from_sorted_keys(
        cls, keys: NDArray[np.int64], n_rows: int, n_cols: int, *, check_duplicates: bool = False
    ) -> VoteMatrix:
        pairs = keys >> _VOTE_BITS
        if check_duplicates and pairs.shape[0] > 1 and np.any(pairs[1:] == pairs[:-1]):
            raise ValueError("duplicate (participant, statement) pairs; pass deduplicate=True to keep the last vote")
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(pairs >> _STATEMENT_BITS, minlength=n_rows), out=indptr[1:])
        pairs &= MAX_STATEMENTS - 1
        statements = pairs.astype(np.int32)
        keys &= 3
        votes = keys.astype(np.int8)
        votes -= 1
        return cls(n_rows, n_cols, indptr, statements, votes)

    def with_votes(
        self,
        participant_index: ArrayLike,
        statement_index: ArrayLike,
        vote: ArrayLike,
        n_participants: int | None = None,
        n_statements: int | None = None,
    ) -> VoteMatrix:
        """A new matrix with the given votes applied in order (a re-vote replaces the old cell; later rows win).

        The matrix may grow (new participants and statements are appended); it never shrinks. Cost: one copy of the
        stored arrays plus a binary search inside the voter's row per new vote.
        """
        participants = np.asarray(participant_index, dtype=np.int64)
        statements = np.asarray(statement_index, dtype=np.int64)
        values = np.asarray(vote, dtype=np.int64)
        n_rows = max(self.n_participants, int(participants.max(initial=-1)) + 1, n_participants or 0)
        n_cols = max(self.n_statements, int(statements.max(initial=-1)) + 1, n_statements or 0)
        _check_votes(participants, statements, values, n_rows, n_cols)
        indptr = self._grown_indptr(n_rows)
        # Keep the last of repeated pairs in the batch, then order the batch by (participant, statement).
        batch_pair = (participants << _STATEMENT_BITS) | statements
        order = np.argsort(batch_pair, kind="stable")
        sorted_pair = batch_pair[order]
        keep = order[np.append(sorted_pair[1:] != sorted_pair[:-1], True)] if order.shape[0] else order
        keep = keep[np.argsort(batch_pair[keep], kind="stable")]
        participants, statements, values = participants[keep], statements[keep], values[keep]

        votes = self.votes.copy()
        insert_at: list[int] = []
        insert_row: list[int] = []
        insert_statement: list[int] = []
        insert_vote: list[int] = []
        replaced_statement: list[int] = []
        replaced_change: list[int] = []
        for row, column, value in zip(participants.tolist(), statements.tolist(), values.tolist(), strict=True):
            start, stop = int(indptr[row]), int(indptr[row + 1])
            offset = start + int(np.searchsorted(self.statements[start:stop], column))
            if offset < stop and self.statements[offset] == column:
                replaced_statement.append(column)
                replaced_change.append(value - int(votes[offset]))
                votes[offset] = value
            else:
                insert_at.append(offset)
                insert_row.append(row)
                insert_statement.append(column)
                insert_vote.append(value)
        if insert_at:
            positions = np.asarray(insert_at, dtype=np.int64)
            new_statements = np.insert(self.statements, positions, np.asarray(insert_statement, dtype=np.int32))
            new_votes = np.insert(votes, positions, np.asarray(insert_vote, dtype=np.int8))
            # Each inserted vote shifts every row boundary after its own row by one.
            growth = np.bincount(np.asarray(insert_row, dtype=np.int64), minlength=n_rows)
            new_indptr = indptr.copy()
            new_indptr[1:] += np.cumsum(growth)
        else:
            new_statements, new_votes, new_indptr = self.statements, votes, indptr

        totals = None
        if self._statement_totals is not None:
            counts = np.zeros(n_cols, dtype=np.int64)
            sums = np.zeros(n_cols)
            counts[: self.n_statements] = self._statement_totals[0]
            sums[: self.n_statements] = self._statement_totals[1]
            np.add.at(counts, np.asarray(insert_statement, dtype=np.int64), 1)
            np.add.at(sums, np.asarray(insert_statement, dtype=np.int64), np.asarray(insert_vote, dtype=np.float64))
            np.add.at(
                sums, np.asarray(replaced_statement, dtype=np.int64), np.asarray(replaced_change, dtype=np.float64)
            )
            totals = (counts, sums)
        kept: dict[bytes, NDArray[np.int64]] = {}
        if n_cols == self.n_statements:
            for key, previous_kept in self._kept_votes.items():
                excluded = np.frombuffer(key, dtype=bool)
                grown = np.zeros(n_rows, dtype=np.int64)
                grown[: self.n_participants] = previous_kept
                rows = np.asarray(insert_row, dtype=np.int64)
                np.add.at(grown, rows[~excluded[np.asarray(insert_statement, dtype=np.int64)]], 1)
                kept[key] = grown
        return VoteMatrix(n_rows, n_cols, new_indptr, new_statements, new_votes, totals, kept)

    def _grown_indptr(self, n_rows: int) -> NDArray[np.int64]:
        extra = n_rows - self.n_participants
        return np.concatenate([self.indptr, np.full(extra, self.indptr[-1], dtype=np.int64)])

    def to_dense(self, missing: float = np.nan) -> NDArray[np.float64]:
        """Dense copy for small matrices and tests; missing cells get ``missing``."""
        dense = np.full((self.n_participants, self.n_statements), missing, dtype=np.float64)
        dense[self.participants, self.statements] = self.votes
        return dense


def _integers(values: ArrayLike) -> NDArray[np.integer]:
    """The values as an integer array without copying integer input; whole-number floats (e.g. `[]`) are accepted."""
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return array
    if array.size and not np.all(np.mod(array, 1) == 0):
        raise ValueError("indices and votes must be whole numbers")
    return array.astype(np.int64)


def _check_votes(
    participants: NDArray[np.integer],
    statements: NDArray[np.integer],
    values: NDArray[np.integer],
    n_rows: int,
    n_cols: int,
) -> None:
    if participants.shape[0] == 0:
        return
    if participants.min() < 0 or participants.max() >= n_rows or n_rows > MAX_PARTICIPANTS:
        raise ValueError("participant index out of range")
    if statements.min() < 0 or statements.max() >= n_cols or n_cols > MAX_STATEMENTS:
        raise ValueError("statement index out of range")
    if values.min() < DISAGREE or values.max() > AGREE:
        raise ValueError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
