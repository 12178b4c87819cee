"""The sparse vote matrix: construction, re-votes, growth."""

from __future__ import annotations

import numpy as np
import pytest

from sinergi.opinion.engine.matrix import VoteMatrix


def test_from_votes_orders_rows_and_keeps_passes() -> None:
    matrix = VoteMatrix.from_votes([2, 0, 0, 1], [1, 2, 0, 0], [0, 1, -1, 1])
    assert (matrix.n_participants, matrix.n_statements, matrix.n_votes) == (3, 3, 4)
    dense = matrix.to_dense()
    assert np.array_equal(dense[0], [-1.0, np.nan, 1.0], equal_nan=True)
    assert dense[2, 1] == 0.0  # a pass is a stored vote, not a missing cell
    assert matrix.votes_per_participant().tolist() == [2, 1, 1]


def test_duplicates_rejected_unless_deduplicating_and_then_last_wins() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        VoteMatrix.from_votes([0, 0], [1, 1], [1, -1])
    matrix = VoteMatrix.from_votes([0, 0, 0], [1, 1, 0], [1, -1, 0], deduplicate=True)
    assert matrix.to_dense(missing=9)[0].tolist() == [0, -1]


@pytest.mark.parametrize(
    ("participants", "statements", "votes"),
    [([-1], [0], [1]), ([0], [-1], [1]), ([0], [0], [2])],
)
def test_invalid_votes_rejected(participants: list[int], statements: list[int], votes: list[int]) -> None:
    with pytest.raises(ValueError):
        VoteMatrix.from_votes(participants, statements, votes)


def test_with_votes_equals_building_from_all_votes() -> None:
    rng = np.random.default_rng(7)
    pairs = rng.choice(40 * 25, size=300, replace=False)
    participants, statements = pairs // 25, pairs % 25
    votes = rng.integers(-1, 2, 300)
    base = VoteMatrix.from_votes(participants, statements, votes, 40, 25)
    # a batch with re-votes on existing cells, new cells, a new participant and a new statement, and a repeat
    new_participants = np.array([participants[0], participants[5], 3, 41, 7, 7])
    new_statements = np.array([statements[0], statements[5], 24, 2, 26, 26])
    new_votes = np.array([-votes[0] if votes[0] else 1, 0, 1, -1, 1, -1])
    grown = base.with_votes(new_participants, new_statements, new_votes)
    expected = VoteMatrix.from_votes(
        np.concatenate([participants, new_participants]),
        np.concatenate([statements, new_statements]),
        np.concatenate([votes, new_votes]),
        deduplicate=True,
    )
    assert (grown.n_participants, grown.n_statements) == (42, 27)
    assert np.array_equal(grown.indptr, expected.indptr)
    assert np.array_equal(grown.statements, expected.statements)
    assert np.array_equal(grown.votes, expected.votes)
    assert grown.to_dense(missing=9)[7, 26] == -1  # last vote in the batch wins
    assert base.n_votes == 300  # the original is unchanged


def test_with_no_votes_can_still_grow() -> None:
    base = VoteMatrix.from_votes([0], [0], [1])
    grown = base.with_votes([], [], [], n_participants=3, n_statements=2)
    assert (grown.n_participants, grown.n_statements, grown.n_votes) == (3, 2, 1)
    assert grown.votes_per_participant().tolist() == [1, 0, 0]


def test_cached_totals_are_carried_through_with_votes() -> None:
    rng = np.random.default_rng(9)
    pairs = rng.choice(30 * 12, size=200, replace=False)
    base = VoteMatrix.from_votes(pairs // 12, pairs % 12, rng.integers(-1, 2, 200), 30, 12)
    excluded = np.zeros(12, dtype=bool)
    excluded[[2, 5]] = True
    base.statement_totals()
    base.votes_outside(excluded)
    grown = base.with_votes(rng.integers(0, 31, 40), rng.integers(0, 12, 40), rng.integers(-1, 2, 40))
    fresh = VoteMatrix(grown.n_participants, grown.n_statements, grown.indptr, grown.statements, grown.votes)
    assert np.array_equal(grown.statement_totals()[0], fresh.statement_totals()[0])
    assert np.allclose(grown.statement_totals()[1], fresh.statement_totals()[1])
    assert np.array_equal(grown.votes_outside(excluded), fresh.votes_outside(excluded))
