"""Per-statement statistics (§2.9–2.12): hand-computed examples, red-dwarf's values, and every selection branch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from sinergi.opinion.engine.matrix import VoteMatrix
from sinergi.opinion.engine.polis_export import PolisConversation
from sinergi.opinion.engine.stats import (
    META_PRIORITY,
    Z_90,
    Tallies,
    bloc_aware_consensus,
    one_proportion_z,
    repness_stats,
    select_consensus,
    select_representative,
    statement_priorities,
    statement_stats,
    tally,
    two_proportion_z,
)

REDDWARF_Z_90 = 1.2815515655446004  # scipy.stats.norm.ppf(0.9), what red-dwarf uses


def tallies(agree: list[list[int]], disagree: list[list[int]], seen: list[list[int]]) -> Tallies:
    return Tallies(np.array(agree), np.array(disagree), np.array(seen))


# --- hand-computed formulas -------------------------------------------------------------------------------------


def test_tally_counts_agree_disagree_and_passes_as_seen() -> None:
    # participants 0,1 in bloc 0; participant 2 in bloc 1; participant 3 not counted
    matrix = VoteMatrix.from_votes([0, 0, 1, 1, 2, 3], [0, 1, 0, 1, 0, 0], [1, 0, -1, 1, 1, 1], 4, 2)
    counted = tally(matrix, np.array([0, 0, 1, -1]), 2)
    assert counted.agree.tolist() == [[1, 1], [1, 0]]
    assert counted.disagree.tolist() == [[1, 0], [0, 0]]
    assert counted.seen.tolist() == [[2, 2], [1, 0]]


def test_smoothed_probabilities_and_one_proportion_test() -> None:
    stats = statement_stats(tallies([[3, 0]], [[1, 0]], [[5, 0]]))
    assert stats.p_agree[0, 0] == pytest.approx(4 / 7)  # (3+1)/(5+2)
    assert stats.p_disagree[0, 0] == pytest.approx(2 / 7)
    assert stats.p_agree[0, 1] == pytest.approx(0.5)  # no votes: the prior
    # 2·√(ns+1)·((na+1)/(ns+1) − ½) = 2·√6·(4/6 − ½)
    assert stats.p_agree_test[0, 0] == pytest.approx(2 * math.sqrt(6) * (4 / 6 - 0.5))
    assert stats.p_disagree_test[0, 0] == pytest.approx(2 * math.sqrt(6) * (2 / 6 - 0.5))
    assert one_proportion_z(np.array([0]), np.array([0]))[0] == pytest.approx(2.0 * (1.0 - 0.5))


def test_two_proportion_test_by_hand_and_zero_when_pooled_is_one() -> None:
    # +1 on all counts: p1 = 4/5, p2 = 2/5, pooled = 6/10
    expected = (0.8 - 0.4) / math.sqrt(0.6 * 0.4 * (1 / 5 + 1 / 5))
    assert two_proportion_z(np.array([3]), np.array([1]), np.array([4]), np.array([4]))[0] == pytest.approx(expected)
    # everyone agreed in both: pooled proportion is 1, Polis returns 0
    assert two_proportion_z(np.array([4]), np.array([4]), np.array([4]), np.array([4]))[0] == 0.0


def test_repness_ratios_use_the_other_groups_as_rest() -> None:
    # three groups; for group 0 the rest is groups 1 + 2
    group = tallies([[6], [1], [2]], [[1], [4], [3]], [[8], [6], [6]])
    repness = repness_stats(group)
    rest_agree, rest_seen = 1 + 2, 6 + 6
    assert repness.repness_agree[0, 0] == pytest.approx(((6 + 1) / (8 + 2)) / ((rest_agree + 1) / (rest_seen + 2)))
    rest_disagree = 4 + 3
    assert repness.repness_disagree[0, 0] == pytest.approx(
        ((1 + 1) / (8 + 2)) / ((rest_disagree + 1) / (rest_seen + 2))
    )
    assert repness.repness_agree_test[0, 0] == pytest.approx(
        two_proportion_z(np.array([6]), np.array([rest_agree]), np.array([8]), np.array([rest_seen]))[0]
    )


def test_group_aware_consensus_is_the_product_over_groups() -> None:
    group = tallies([[3, 0], [1, 0]], [[0, 2], [1, 0]], [[4, 2], [2, 0]])
    agree, disagree = bloc_aware_consensus(group)
    assert agree[0] == pytest.approx((4 / 6) * (2 / 4))
    assert disagree[1] == pytest.approx((3 / 4) * (1 / 2))


def test_priorities_formula_meta_and_moderated() -> None:
    group = tallies([[2, 1, 0], [1, 0, 0]], [[0, 1, 0], [1, 0, 0]], [[3, 2, 0], [2, 1, 0]])
    extremity = np.array([0.5, 2.0, 1.0])
    priorities = statement_priorities(
        group, extremity, moderated_out=np.array([False, False, True]), meta=np.array([False, True, False])
    )
    agree, disagree, seen = 3.0, 1.0, 5.0
    passes = seen - agree - disagree
    importance = (1 - (passes + 1) / (seen + 2)) * (0.5 + 1) * (agree + 1) / (seen + 2)
    assert priorities[0] == pytest.approx((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2)
    assert priorities[1] == META_PRIORITY
    assert priorities[2] == 0.0


# --- against red-dwarf 0.4.0 for the same group assignment ------------------------------------------------------


def _engine_tallies(conversation: PolisConversation, labels: dict[str, int]) -> tuple[VoteMatrix, Tallies]:
    matrix = conversation.matrix()
    group_of_participant = np.full(matrix.n_participants, -1, dtype=np.int64)
    for pid, group in labels.items():
        group_of_participant[int(pid)] = group
    return matrix, tally(matrix, group_of_participant, int(group_of_participant.max()) + 1)


def test_statistics_match_reddwarf(biodiversity: PolisConversation, reddwarf_biodiversity: dict[str, Any]) -> None:
    _, group_tallies = _engine_tallies(biodiversity, reddwarf_biodiversity["labels"])
    repness = repness_stats(group_tallies)
    stats = repness.stats
    fields = {
        "na": stats.agree,
        "nd": stats.disagree,
        "ns": stats.seen,
        "pa": stats.p_agree,
        "pd": stats.p_disagree,
        "pat": stats.p_agree_test,
        "pdt": stats.p_disagree_test,
        "ra": repness.repness_agree,
        "rd": repness.repness_disagree,
        "rat": repness.repness_agree_test,
        "rdt": repness.repness_disagree_test,
    }
    rows = reddwarf_biodiversity["group_statement_stats"]
    assert len(rows) > 500
    for row in rows:
        for name, values in fields.items():
            assert values[row["group"], row["statement"]] == pytest.approx(row[name], rel=1e-9, abs=1e-12), (
                row["group"],
                row["statement"],
                name,
            )


def test_group_aware_consensus_matches_reddwarf(
    biodiversity: PolisConversation, reddwarf_biodiversity: dict[str, Any]
) -> None:
    _, group_tallies = _engine_tallies(biodiversity, reddwarf_biodiversity["labels"])
    agree, disagree = bloc_aware_consensus(group_tallies)
    for statement, value in reddwarf_biodiversity["group_aware_consensus_agree"].items():
        assert agree[int(statement)] == pytest.approx(value, rel=1e-9)
    for statement, value in reddwarf_biodiversity["group_aware_consensus_disagree"].items():
        assert disagree[int(statement)] == pytest.approx(value, rel=1e-9)


def test_selections_match_reddwarf(biodiversity: PolisConversation, reddwarf_biodiversity: dict[str, Any]) -> None:
    matrix, group_tallies = _engine_tallies(biodiversity, reddwarf_biodiversity["labels"])
    repness = repness_stats(group_tallies)
    for group, expected in reddwarf_biodiversity["repness"].items():
        chosen = select_representative(repness, int(group), biodiversity.moderated_out, z_threshold=REDDWARF_Z_90)
        assert [(entry.statement, entry.direction, entry.best_agree) for entry in chosen] == [
            (row["tid"], row["repful-for"], row["best-agree"]) for row in expected
        ]
    everybody = tally(matrix, np.zeros(matrix.n_participants, dtype=np.int64), 1)
    consensus = select_consensus(everybody, biodiversity.moderated_out, z_threshold=REDDWARF_Z_90)
    assert [entry.statement for entry in consensus.agree] == reddwarf_biodiversity["consensus_agree"]
    assert [entry.statement for entry in consensus.disagree] == reddwarf_biodiversity["consensus_disagree"]


# --- §2.10 selection branches -------------------------------------------------------------------------------------


def _select(
    group: Tallies, moderated_out: list[bool] | None = None, group_index: int = 0
) -> list[tuple[int, str, bool]]:
    mask = np.zeros(group.seen.shape[1], dtype=bool) if moderated_out is None else np.array(moderated_out)
    chosen = select_representative(repness_stats(group), group_index, mask)
    return [(entry.statement, entry.direction, entry.best_agree) for entry in chosen]


def test_nothing_sufficient_returns_best_agree() -> None:
    # group 0 mildly agrees with statement 0 (pat > z, but not different from group 1: rat small)
    group = tallies([[8, 1], [8, 1]], [[2, 1], [2, 1]], [[10, 4], [10, 4]])
    assert _select(group) == [(0, "disagree", True)]  # rat = rdt = 0: a tie finalises as disagree


def test_nothing_sufficient_and_no_best_agree_returns_best_by_repness_test() -> None:
    # nobody agrees anywhere, so there is no best-agree; statement 1 has the larger max(rat, rdt)
    group = tallies([[0, 0], [0, 0]], [[1, 2], [1, 0]], [[2, 2], [2, 2]])
    chosen = _select(group)
    assert len(chosen) == 1 and chosen[0][0] == 1 and chosen[0][2] is False


def test_nothing_left_returns_empty() -> None:
    group = tallies([[5], [0]], [[0], [5]], [[5], [5]])
    assert _select(group, moderated_out=[True]) == []


def test_sufficient_without_best_agree_still_returns_them() -> None:
    # red-dwarf 0.4.0 returns [] here (polis-math.md §3.1); Polis returns the sufficient statements
    group = tallies([[0], [10]], [[20], [0]], [[20], [10]])
    assert _select(group) == [(0, "disagree", False)]


def test_sufficient_with_best_agree_first_top_five_agrees_before_disagrees() -> None:
    n = 8
    agree_0 = [18, 0, 0, 0, 0, 0, 0, 17]
    disagree_0 = [0, 18, 17, 16, 15, 14, 13, 0]
    agree_1 = [0, 18, 18, 18, 18, 18, 18, 0]
    disagree_1 = [18, 0, 0, 0, 0, 0, 0, 18]
    group = tallies([agree_0, agree_1], [disagree_0, disagree_1], [[20] * n, [20] * n])
    chosen = _select(group)
    assert len(chosen) == 5
    assert chosen[0] == (0, "agree", True)  # best-agree leads and is not repeated
    directions = [direction for _, direction, _ in chosen]
    assert directions == sorted(directions)  # "agree" entries before "disagree" ones
    assert sum(1 for statement, *_ in chosen if statement == 0) == 1
    assert (7, "agree", False) in chosen


def test_best_agree_can_come_out_labelled_disagree() -> None:
    # the group agrees 6/10 (ra > 1, pa > .5: best-agree), but against a rest that never disagrees rdt > rat
    group = tallies([[6], [4]], [[4], [0]], [[10], [20]])
    repness = repness_stats(group)
    assert repness.repness_disagree_test[0, 0] > repness.repness_agree_test[0, 0]
    chosen = select_representative(repness, 0, np.zeros(1, dtype=bool))
    assert len(chosen) == 1
    assert chosen[0].statement == 0 and chosen[0].best_agree and chosen[0].direction == "disagree"
    assert chosen[0].n_agree == 6


def test_best_agree_skips_unvoted_and_needs_evidence_to_be_accepted() -> None:
    # statement 0 only passes (na = nd = 0) — skipped; statement 1 has pat < z and ra < 1 — not accepted
    group = tallies([[0, 1], [0, 5]], [[0, 1], [0, 0]], [[5, 3], [5, 6]])
    chosen = select_representative(repness_stats(group), 0, np.zeros(2, dtype=bool))
    assert all(not entry.best_agree for entry in chosen)


def test_best_agree_replacement_uses_repness_product_when_incumbent_is_representative() -> None:
    # statement 0 is accepted first (ra > 1, pa > .5); statement 1 beats it on ra·rat·pa·pat; statement 2 has a
    # higher pa·pat but a lower ra·rat·pa·pat, so it must not replace statement 1
    group = tallies([[4, 9, 10], [1, 0, 10]], [[0, 0, 0], [3, 9, 0]], [[5, 10, 10], [5, 10, 10]])
    repness = repness_stats(group)
    stats = repness.stats
    assert repness.repness_agree[0, 0] > 1 and stats.p_agree[0, 0] > 0.5
    assert stats.p_agree[0, 2] * stats.p_agree_test[0, 2] > stats.p_agree[0, 1] * stats.p_agree_test[0, 1]
    chosen = select_representative(repness, 0, np.zeros(3, dtype=bool))
    assert chosen[0].best_agree and chosen[0].statement == 1


def test_best_agree_replacement_uses_probability_when_incumbent_is_not_representative() -> None:
    # statement 0 accepted by pat > z while ra ≤ 1 (the other group agrees as much); then only pa·pat counts
    group = tallies([[9, 10, 6], [9, 10, 0]], [[0, 0, 0], [0, 0, 6]], [[10, 10, 10], [10, 10, 10]])
    repness = repness_stats(group)
    assert repness.repness_agree[0, 0] <= 1 and repness.stats.p_agree_test[0, 0] > Z_90
    chosen = select_representative(repness, 0, np.zeros(3, dtype=bool))
    best = [entry for entry in chosen if entry.best_agree]
    assert best and best[0].statement == 1  # larger pa·pat than 0; statement 2 has higher ra but lower pa·pat


# --- §2.11 consensus ---------------------------------------------------------------------------------------------


def test_consensus_needs_majority_and_significance_ranked_by_p_times_z() -> None:
    everybody = tallies(
        [[9, 30, 3, 0, 30, 30, 30, 30, 30]],
        [[0, 0, 0, 20, 0, 0, 0, 0, 0]],
        [[10, 30, 4, 20, 31, 32, 33, 34, 35]],
    )
    moderated = np.zeros(9, dtype=bool)
    moderated[8] = True
    consensus = select_consensus(everybody, moderated)
    agreed = [entry.statement for entry in consensus.agree]
    assert 2 not in agreed  # 3 of 4: pa > .5 but pat < z
    assert 8 not in agreed  # moderated out
    assert len(agreed) == 5
    stats = statement_stats(everybody)
    scores = [stats.p_agree[0, j] * stats.p_agree_test[0, j] for j in agreed]
    assert scores == sorted(scores, reverse=True)
    assert [entry.statement for entry in consensus.disagree] == [3]
