"""Common ground across declared sectors and opinion groups (titik temu)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import beta

from sinergi.opinion.engine import VoteMatrix, update
from sinergi.opinion.engine.common_ground import common_ground
from sinergi.opinion.engine.stats import Tallies

SECTORS = ["pemerintah", "legislatif", "swasta", "masyarakat", "pemuda"]


def tallies(agree: list[list[int]], seen: list[list[int]]) -> Tallies:
    agree_array = np.array(agree)
    return Tallies(agree_array, np.zeros_like(agree_array), np.array(seen))


def test_posterior_interval_is_the_beta_quantiles() -> None:
    sectors = tallies([[8], [3]], [[10], [4]])
    groups = tallies([[9]], [[12]])
    ground = common_ground(sectors, ["pemerintah", "swasta"], groups, np.zeros(1, dtype=bool))
    assert ground.bloc_names == ["sector:pemerintah", "sector:swasta", "group:0"]
    assert ground.agree_lower[0, 0] == pytest.approx(beta.ppf(0.05, 9, 3))
    swasta = next(bloc for bloc in ground.ranked[0].blocs if bloc.bloc == "sector:swasta")
    assert swasta.agree_upper == pytest.approx(beta.ppf(0.95, 4, 2))
    assert ground.agree_mean[2, 0] == pytest.approx(10 / 14)
    assert ground.probability_majority_agrees[1, 0] == pytest.approx(beta.sf(0.5, 4, 2))
    assert ground.score[0] == pytest.approx(ground.agree_lower[:, 0].min())
    assert np.all(ground.agree_lower <= ground.agree_mean)
    assert all(bloc.agree_lower <= bloc.agree_mean <= bloc.agree_upper <= 1 for bloc in ground.ranked[0].blocs)


def test_few_votes_in_a_sector_do_not_look_like_agreement() -> None:
    # statement 0: every sector agrees with many votes; statement 1: same, but one sector has a single (agreeing)
    # vote; statement 2: one sector has no votes at all
    # rows are sectors (pemerintah, legislatif, swasta), columns statements
    sectors = tallies(
        [[40, 38, 45], [40, 40, 45], [40, 1, 0]],
        [[45, 44, 50], [45, 45, 50], [45, 1, 0]],
    )
    groups = tallies([[60, 50, 50], [63, 36, 35]], [[70, 55, 55], [69, 40, 40]])
    ground = common_ground(sectors, SECTORS[:3], groups, np.zeros(3, dtype=bool))
    ranked = [entry.statement for entry in ground.ranked]
    assert ranked[0] == 0
    assert ground.ranked[0].confident
    by_statement = {entry.statement: entry for entry in ground.ranked}
    assert not by_statement[1].confident and by_statement[1].weakest_bloc == "sector:swasta"
    assert by_statement[2].score < 0.05 + 1e-12  # the prior's 5th percentile


def test_disagreeing_group_blocks_common_ground_and_moderated_are_not_ranked() -> None:
    sectors = tallies([[30, 30]], [[35, 35]])
    groups = tallies([[25, 28], [2, 27]], [[28, 30], [30, 30]])
    moderated = np.array([False, True])
    ground = common_ground(sectors, ["masyarakat"], groups, moderated)
    assert [entry.statement for entry in ground.ranked] == [0]
    assert not ground.ranked[0].confident and ground.ranked[0].weakest_bloc == "group:1"


def test_absent_sectors_are_reported_not_scored() -> None:
    sectors = tallies([[5], [0]], [[6], [0]])
    ground = common_ground(sectors, ["pemuda", "legislatif"], tallies([[5]], [[6]]), np.zeros(1, dtype=bool))
    assert ground.absent_sectors == ["legislatif"]
    assert ground.bloc_names == ["sector:pemuda", "group:0"]


def test_sector_aware_consensus_in_a_full_update() -> None:
    rng = np.random.default_rng(5)
    n, m = 120, 12
    rows, cols = np.nonzero(rng.random((n, m)) < 0.8)
    votes = np.where(cols == 0, 1, rng.integers(-1, 2, rows.shape[0]))  # statement 0: everybody agrees
    sector = rng.integers(0, len(SECTORS), n)
    matrix = VoteMatrix.from_votes(rows, cols, votes, n, m)
    result = update(matrix, np.zeros(m, dtype=bool), sector_of_participant=sector, sector_names=SECTORS)
    ground = result.common_ground
    assert ground.bloc_names[: len(SECTORS)] == [f"sector:{name}" for name in SECTORS]
    assert ground.ranked[0].statement == 0 and ground.ranked[0].confident
    assert int(np.argmax(ground.sector_aware_consensus_agree)) == 0
    per_sector = [
        (np.sum((votes == 1) & (cols == 0) & (sector[rows] == s)) + 1) / (np.sum((cols == 0) & (sector[rows] == s)) + 2)
        for s in range(len(SECTORS))
    ]
    assert ground.sector_aware_consensus_agree[0] == pytest.approx(np.prod(per_sector))
