"""Per-statement statistics and Polis's selection rules (polis-math.md §2.9–2.12).

Tallies are arrays shaped (blocs, statements) — a bloc is an opinion group, a sector, or everybody — and every formula
is vectorised over them; only the order-dependent selection walks the statements in a plain loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .matrix import VoteMatrix

Z_90 = 1.2816  # one-sided 90 % (Polis's constant; red-dwarf uses norm.ppf(0.9) = 1.28155)
PICK_MAX = 5
META_PRIORITY = 49.0  # 7², Polis's fixed priority for meta statements

Direction = Literal["agree", "disagree"]


@dataclass(frozen=True, eq=False)
class Tallies:
    """Vote counts per bloc and statement. Invariant: agree + disagree ≤ seen (seen includes passes)."""

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    seen: NDArray[np.int64]

    def total(self) -> Tallies:
        """All blocs summed into one (shape (1, statements))."""
        return Tallies(
            self.agree.sum(axis=0, keepdims=True),
            self.disagree.sum(axis=0, keepdims=True),
            self.seen.sum(axis=0, keepdims=True),
        )

    def rows(self, selection: NDArray[np.int64] | slice) -> Tallies:
        return Tallies(self.agree[selection], self.disagree[selection], self.seen[selection])


def tally(matrix: VoteMatrix, bloc_of_participant: NDArray[np.int64], bloc_count: int) -> Tallies:
    """Count agree/disagree/seen per bloc and statement in one pass over the votes; bloc −1 is not counted."""
    m = matrix.n_statements
    # Uncounted participants go to an extra last bin that is dropped, which avoids masking every vote.
    bins = np.where(bloc_of_participant >= 0, bloc_of_participant, bloc_count).astype(np.int64) * (3 * m)
    # One bincount over (bloc, statement, vote kind): kind 0 = disagree, 1 = pass, 2 = agree.
    cell = np.repeat(bins, np.diff(matrix.indptr))
    cell += matrix.statements * 3
    cell += matrix.votes
    cell += 1
    counts = np.bincount(cell, minlength=(bloc_count + 1) * m * 3).reshape(bloc_count + 1, m, 3)[:bloc_count]
    return Tallies(agree=counts[:, :, 2], disagree=counts[:, :, 0], seen=counts.sum(axis=2))


@dataclass(frozen=True, eq=False)
class StatementStats:
    """§2.9 statistics for each (bloc, statement): smoothed probabilities and one-proportion z-tests."""

    agree: NDArray[np.int64]
    disagree: NDArray[np.int64]
    seen: NDArray[np.int64]
    p_agree: NDArray[np.float64]  # (na+1)/(ns+2)
    p_disagree: NDArray[np.float64]
    p_agree_test: NDArray[np.float64]  # 2·√(ns+1)·((na+1)/(ns+1) − ½)
    p_disagree_test: NDArray[np.float64]


def statement_stats(tallies: Tallies) -> StatementStats:
    """Laplace-smoothed proportions and the one-proportion z statistics of §2.9."""
    seen = tallies.seen.astype(np.float64)
    return StatementStats(
        agree=tallies.agree,
        disagree=tallies.disagree,
        seen=tallies.seen,
        p_agree=(tallies.agree + 1.0) / (seen + 2.0),
        p_disagree=(tallies.disagree + 1.0) / (seen + 2.0),
        p_agree_test=one_proportion_z(tallies.agree, tallies.seen),
        p_disagree_test=one_proportion_z(tallies.disagree, tallies.seen),
    )


def one_proportion_z(successes: NDArray[np.int64], trials: NDArray[np.int64]) -> NDArray[np.float64]:
    """Polis's ``prop-test``: 2·√(n+1)·((s+1)/(n+1) − ½)."""
    trials_plus = trials + 1.0
    return 2.0 * np.sqrt(trials_plus) * ((successes + 1.0) / trials_plus - 0.5)


def two_proportion_z(
    successes_1: NDArray[np.int64],
    successes_2: NDArray[np.int64],
    trials_1: NDArray[np.int64],
    trials_2: NDArray[np.int64],
) -> NDArray[np.float64]:
    """Polis's ``two-prop-test`` with +1 on all four counts; 0 where the pooled proportion is 1 (or 0)."""
    s1, s2 = successes_1 + 1.0, successes_2 + 1.0
    n1, n2 = trials_1 + 1.0, trials_2 + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    variance = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (s1 / n1 - s2 / n2) / np.sqrt(variance)
    return np.where(variance > 0, z, 0.0)


@dataclass(frozen=True, eq=False)
class RepnessStats:
    """§2.10 statistics per (group, statement); "rest" is the sum over the other groups."""

    stats: StatementStats
    repness_agree: NDArray[np.float64]  # ra
    repness_disagree: NDArray[np.float64]  # rd
    repness_agree_test: NDArray[np.float64]  # rat
    repness_disagree_test: NDArray[np.float64]  # rdt


def repness_stats(group_tallies: Tallies) -> RepnessStats:
    """In-group vs rest-of-groups ratios and two-proportion z-tests for every group and statement."""
    stats = statement_stats(group_tallies)
    total = group_tallies.total()
    rest_agree = total.agree - group_tallies.agree
    rest_disagree = total.disagree - group_tallies.disagree
    rest_seen = total.seen - group_tallies.seen
    return RepnessStats(
        stats=stats,
        repness_agree=stats.p_agree / ((rest_agree + 1.0) / (rest_seen + 2.0)),
        repness_disagree=stats.p_disagree / ((rest_disagree + 1.0) / (rest_seen + 2.0)),
        repness_agree_test=two_proportion_z(group_tallies.agree, rest_agree, group_tallies.seen, rest_seen),
        repness_disagree_test=two_proportion_z(group_tallies.disagree, rest_disagree, group_tallies.seen, rest_seen),
    )


@dataclass(frozen=True)
class RepresentativeStatement:
    """One entry of a group's representative list (Polis's ``finalize-cmt-stats``)."""

    statement: int
    direction: Direction  # "repful-for"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False
    n_agree: int | None = None  # set on the best-agree entry only, as Polis does


def _finalize(repness: RepnessStats, group: int, statement: int, *, best_agree: bool) -> RepresentativeStatement:
    stats = repness.stats
    rat = float(repness.repness_agree_test[group, statement])
    rdt = float(repness.repness_disagree_test[group, statement])
    agree_wins = rat > rdt  # a tie goes to disagree
    return RepresentativeStatement(
        statement=statement,
        direction="agree" if agree_wins else "disagree",
        n_success=int((stats.agree if agree_wins else stats.disagree)[group, statement]),
        n_trials=int(stats.seen[group, statement]),
        p_success=float((stats.p_agree if agree_wins else stats.p_disagree)[group, statement]),
        p_test=float((stats.p_agree_test if agree_wins else stats.p_disagree_test)[group, statement]),
        repness=float((repness.repness_agree if agree_wins else repness.repness_disagree)[group, statement]),
        repness_test=rat if agree_wins else rdt,
        best_agree=best_agree,
        n_agree=int(stats.agree[group, statement]) if best_agree else None,
    )


def select_representative(
    repness: RepnessStats,
    group: int,
    moderated_out: NDArray[np.bool_],
    pick_max: int = PICK_MAX,
    z_threshold: float = Z_90,
) -> list[RepresentativeStatement]:
    """Polis's repness selection for one group (§2.10), walking statements in index (tid) order.

    Output: if nothing is sufficient, [best-agree] or else [best] or else []; otherwise best-agree first, then the
    sufficient statements by descending repness·repness-test·p-success·p-test, at most ``pick_max`` in all, with the
    agree entries stably moved ahead of the disagree ones.
    """
    stats = repness.stats
    pa = stats.p_agree[group]
    pat, pdt = stats.p_agree_test[group], stats.p_disagree_test[group]
    ra, rat, rdt = repness.repness_agree[group], repness.repness_agree_test[group], repness.repness_disagree_test[group]
    na, nd = stats.agree[group], stats.disagree[group]
    sufficient_mask = ((rat > z_threshold) & (pat > z_threshold)) | ((rdt > z_threshold) & (pdt > z_threshold))
    candidates = np.flatnonzero(~moderated_out[: pa.shape[0]])
    sufficient: list[int] = candidates[sufficient_mask[candidates]].tolist()
    # "best" keeps the first statement with the strictly largest max(rat, rdt): np.argmax returns the first maximum.
    best: int | None = None
    if candidates.shape[0]:
        best = int(candidates[np.argmax(np.maximum(rat[candidates], rdt[candidates]))])
    # best-agree depends on the incumbent, so it is a walk in tid order; over voted statements only, with the
    # products precomputed as Python floats (this loop runs per group on every update).
    voted = candidates[(na[candidates] > 0) | (nd[candidates] > 0)]
    repness_product = (ra * rat * pa * pat)[voted].tolist()
    probability_product = (pa * pat)[voted].tolist()
    accept = ((pat > z_threshold) | ((ra > 1.0) & (pa > 0.5)))[voted].tolist()
    representative_incumbent = (ra > 1.0)[voted].tolist()
    best_agree_position: int | None = None
    for position in range(voted.shape[0]):
        if best_agree_position is None:
            if accept[position]:
                best_agree_position = position
        elif representative_incumbent[best_agree_position]:
            if repness_product[position] > repness_product[best_agree_position]:
                best_agree_position = position
        elif probability_product[position] > probability_product[best_agree_position]:
            best_agree_position = position
    best_agree = None if best_agree_position is None else int(voted[best_agree_position])

    if not sufficient:
        if best_agree is not None:
            return [_finalize(repness, group, best_agree, best_agree=True)]
        if best is not None:
            return [_finalize(repness, group, best, best_agree=False)]
        return []
    chosen = np.asarray([statement for statement in sufficient if statement != best_agree], dtype=np.int64)
    agree_wins = rat[chosen] > rdt[chosen]
    metric = np.where(
        agree_wins,
        ra[chosen] * rat[chosen] * pa[chosen] * pat[chosen],
        repness.repness_disagree[group, chosen] * rdt[chosen] * stats.p_disagree[group, chosen] * pdt[chosen],
    )
    # Stable descending sort keeps tid order among equal metrics; only the entries that can be output are built.
    ranked = chosen[np.argsort(-metric, kind="stable")][:pick_max]
    entries = [_finalize(repness, group, int(statement), best_agree=False) for statement in ranked]
    if best_agree is not None:
        entries.insert(0, _finalize(repness, group, best_agree, best_agree=True))
    entries = entries[:pick_max]
    return [entry for entry in entries if entry.direction == "agree"] + [
        entry for entry in entries if entry.direction == "disagree"
    ]


@dataclass(frozen=True)
class ConsensusStatement:
    statement: int
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True)
class Consensus:
    agree: list[ConsensusStatement]
    disagree: list[ConsensusStatement]


def select_consensus(
    everybody: Tallies,
    moderated_out: NDArray[np.bool_],
    pick_max: int = PICK_MAX,
    z_threshold: float = Z_90,
) -> Consensus:
    """Whole-population consensus (§2.11): p > 0.5 and z > threshold, ranked by p·z, top ``pick_max`` each way."""
    stats = statement_stats(everybody)
    allowed = ~moderated_out

    def pick(successes: NDArray[np.int64], p: NDArray[np.float64], z: NDArray[np.float64]) -> list[ConsensusStatement]:
        eligible = np.flatnonzero(allowed & (p > 0.5) & (z > z_threshold))
        # Stable sort on −p·z keeps tid order among equal scores.
        ranked = eligible[np.argsort(-(p[eligible] * z[eligible]), kind="stable")][:pick_max]
        return [
            ConsensusStatement(int(j), int(successes[j]), int(stats.seen[0, j]), float(p[j]), float(z[j]))
            for j in ranked
        ]

    return Consensus(
        agree=pick(stats.agree[0], stats.p_agree[0], stats.p_agree_test[0]),
        disagree=pick(stats.disagree[0], stats.p_disagree[0], stats.p_disagree_test[0]),
    )


def bloc_aware_consensus(bloc_tallies: Tallies) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Polis's group-aware consensus Π_g (A_g+1)/(S_g+2), and the same for disagree (red-dwarf's extension)."""
    seen = bloc_tallies.seen + 2.0
    agree = np.prod((bloc_tallies.agree + 1.0) / seen, axis=0)
    disagree = np.prod((bloc_tallies.disagree + 1.0) / seen, axis=0)
    return agree, disagree


def statement_priorities(
    group_tallies: Tallies,
    extremity: NDArray[np.float64],
    moderated_out: NDArray[np.bool_],
    meta: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Priority for choosing the next statement to show (§2.12).

    importance = (1 − (P+1)/(S+2))·(E+1)·(A+1)/(S+2) with totals over the groups; priority =
    (importance·(1 + 8·2^(−S/5)))². Meta statements get 49; other moderated-out statements get 0 (never shown).
    Deliberate difference from Polis (quirk Q2): the tallies are this update's, not the previous update's.
    """
    total = group_tallies.total()
    agree, disagree, seen = (total.agree[0] * 1.0, total.disagree[0] * 1.0, total.seen[0] * 1.0)
    passes = seen - agree - disagree
    importance = (1.0 - (passes + 1.0) / (seen + 2.0)) * (extremity + 1.0) * (agree + 1.0) / (seen + 2.0)
    priority = (importance * (1.0 + 8.0 * np.power(2.0, -seen / 5.0))) ** 2
    priority = np.where(moderated_out, 0.0, priority)
    return np.where(meta, META_PRIORITY, priority)
