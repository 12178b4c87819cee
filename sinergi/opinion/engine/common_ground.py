"""Common ground across declared sectors and opinion groups ("titik temu") — not part of Polis.

Every bloc (each declared sector present in the conversation, and each opinion group) gets a Beta(1, 1) posterior on
the share of its members who agree with a statement when they see it (agree / seen, passes count as not agreeing,
as in Polis's p-agree). A statement is common ground when *every* bloc probably agrees; its score is the weakest
bloc's lower credible bound, so a bloc with few votes has a wide posterior and a low bound and cannot make a
statement look agreed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import betainc, betaincinv

from .stats import Tallies, bloc_aware_consensus

CREDIBLE_LEVEL = 0.90  # two-sided interval reported; its lower end (5th percentile) is the pessimistic estimate


@dataclass(frozen=True)
class BlocSupport:
    """One bloc's view of one statement: counts, posterior mean and credible interval of P(agree)."""

    bloc: str
    agree: int
    disagree: int
    seen: int
    agree_mean: float
    agree_lower: float
    agree_upper: float
    probability_majority_agrees: float


@dataclass(frozen=True)
class CommonGroundStatement:
    """Ranked by ``score`` = min over blocs of ``agree_lower``; ``confident`` when that exceeds one half."""

    statement: int
    score: float
    probability_all_blocs_agree: float
    weakest_bloc: str
    confident: bool
    blocs: list[BlocSupport]


@dataclass(frozen=True, eq=False)
class CommonGround:
    """Per-bloc posterior arrays (blocs × statements) and the ranked statements.

    ``bloc_names`` lists sectors first (as ``"sector:<name>"``), then groups (``"group:<index>"``). Sectors with no
    participant who voted are in ``absent_sectors`` and not among the blocs.
    """

    bloc_names: list[str]
    absent_sectors: list[str]
    agree_mean: NDArray[np.float64]
    agree_lower: NDArray[np.float64]
    probability_majority_agrees: NDArray[np.float64]
    score: NDArray[np.float64]
    probability_all_blocs_agree: NDArray[np.float64]
    sector_aware_consensus_agree: NDArray[np.float64]
    sector_aware_consensus_disagree: NDArray[np.float64]
    ranked: list[CommonGroundStatement]


def common_ground(
    sector_tallies: Tallies | None,
    sector_names: list[str],
    group_tallies: Tallies,
    moderated_out: NDArray[np.bool_],
    *,
    top: int = 10,
    credible_level: float = CREDIBLE_LEVEL,
) -> CommonGround:
    """Score every statement for agreement across all sectors and all opinion groups.

    Upper bounds are computed for the ranked statements only (the inverse incomplete beta is the costly part).
    Invariants: 0 ≤ lower ≤ mean ≤ upper ≤ 1; a bloc with no votes on a statement has mean ½ and the prior's
    interval, so the score never exceeds (1 − credible_level)/2-quantile-of-Beta(1,1) = 0.05 for that statement.
    Moderated-out statements are never ranked. ``probability_all_blocs_agree`` multiplies the blocs' posterior
    probabilities that more than half agree (blocs treated as independent).
    """
    names: list[str] = []
    absent: list[str] = []
    parts: list[Tallies] = []
    n_statements = group_tallies.seen.shape[1]
    if sector_tallies is not None:
        present = sector_tallies.seen.sum(axis=1) > 0
        for index, name in enumerate(sector_names):
            if index < present.shape[0] and present[index]:
                names.append(f"sector:{name}")
            else:
                absent.append(name)
        keep = np.flatnonzero(present[: len(sector_names)])
        parts.append(sector_tallies.rows(keep))
    names.extend(f"group:{index}" for index in range(group_tallies.seen.shape[0]))
    parts.append(group_tallies)
    blocs = Tallies(
        agree=np.vstack([part.agree for part in parts]),
        disagree=np.vstack([part.disagree for part in parts]),
        seen=np.vstack([part.seen for part in parts]),
    )
    alpha = blocs.agree + 1.0
    beta = (blocs.seen - blocs.agree) + 1.0
    tail = (1.0 - credible_level) / 2.0
    mean = alpha / (alpha + beta)
    lower = betaincinv(alpha, beta, tail)
    majority = 1.0 - betainc(alpha, beta, 0.5)  # P(p > ½)
    if blocs.seen.shape[0]:
        score = lower.min(axis=0)
        weakest = lower.argmin(axis=0)
        all_agree = np.prod(majority, axis=0)
    else:
        score = np.zeros(n_statements)
        weakest = np.zeros(n_statements, dtype=np.int64)
        all_agree = np.zeros(n_statements)
    if sector_tallies is not None and len(parts) > 1:
        sector_agree, sector_disagree = bloc_aware_consensus(parts[0])
    else:
        sector_agree, sector_disagree = np.ones(n_statements), np.ones(n_statements)

    eligible = np.flatnonzero(~moderated_out[:n_statements])
    order = eligible[np.lexsort((eligible, -all_agree[eligible], -score[eligible]))][:top]
    ranked = [
        CommonGroundStatement(
            statement=int(j),
            score=float(score[j]),
            probability_all_blocs_agree=float(all_agree[j]),
            weakest_bloc=names[int(weakest[j])] if names else "",
            confident=bool(score[j] > 0.5),
            blocs=[
                BlocSupport(
                    bloc=names[b],
                    agree=int(blocs.agree[b, j]),
                    disagree=int(blocs.disagree[b, j]),
                    seen=int(blocs.seen[b, j]),
                    agree_mean=float(mean[b, j]),
                    agree_lower=float(lower[b, j]),
                    agree_upper=float(betaincinv(alpha[b, j], beta[b, j], 1.0 - tail)),
                    probability_majority_agrees=float(majority[b, j]),
                )
                for b in range(len(names))
            ],
        )
        for j in order
    ]
    return CommonGround(
        bloc_names=names,
        absent_sectors=absent,
        agree_mean=mean,
        agree_lower=lower,
        probability_majority_agrees=majority,
        score=score,
        probability_all_blocs_agree=all_agree,
        sector_aware_consensus_agree=sector_agree,
        sector_aware_consensus_disagree=sector_disagree,
        ranked=ranked,
    )
