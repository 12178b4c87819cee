"""Whole updates: agreement with Polis's exported groups, in-conv rules, warm starts and the k smoother."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sinergi.opinion.engine import EngineConfig, VoteMatrix, update
from sinergi.opinion.engine.engine import select_in_conv, smooth_k
from sinergi.opinion.engine.polis_export import adjusted_rand_index
from sinergi.opinion.engine.synthetic import synthetic_conversation

from .conftest import RECENT_CONVERSATIONS, conversation


@pytest.mark.parametrize(("name", "minimum"), sorted(RECENT_CONVERSATIONS.items()))
def test_groups_agree_with_polis_export(name: str, minimum: float) -> None:
    data = conversation(name)
    result = update(data.matrix(), data.moderated_out)
    both = (result.group_of_participant >= 0) & (data.exported_group >= 0)
    assert both.sum() >= 0.95 * (data.exported_group >= 0).sum()  # the same people are clustered
    assert adjusted_rand_index(result.group_of_participant[both], data.exported_group[both]) >= minimum


def test_outputs_are_consistent_and_deterministic() -> None:
    data = conversation("scoop-hivemind.biodiversity")
    matrix = data.matrix()
    first = update(matrix, data.moderated_out)
    second = update(matrix, data.moderated_out)
    assert np.array_equal(first.group_of_participant, second.group_of_participant)
    assert np.array_equal(first.projection.participants, second.projection.participants)
    clustered = first.group_of_participant >= 0
    assert np.array_equal(clustered, first.in_conv)
    assert first.base_clusters.size == 100
    assert len(first.representative) == first.group_count
    moderated = set(np.flatnonzero(data.moderated_out).tolist())
    chosen = [entry.statement for group in first.representative for entry in group]
    chosen += [entry.statement for entry in first.consensus.agree + first.consensus.disagree]
    assert chosen and not moderated.intersection(chosen)
    assert np.all(first.priorities[data.moderated_out] == 0.0)


def test_in_conv_threshold_permanence_and_top_up() -> None:
    config = EngineConfig()
    counts = np.array([7, 6, 9, 0, 1] + [2] * 20)
    in_conv = select_in_conv(counts, 50, None, config)
    # 2 reach 7 votes; topped up to 15 with the heaviest voters (ties by index), never with non-voters
    assert in_conv.sum() == 15 and in_conv[[0, 2, 1]].all() and not in_conv[3]
    # fewer than 7 statements: voting on all of them is enough
    assert select_in_conv(np.array([3, 2] + [0] * 20), 3, None, config)[0]
    # once in, always in, even if the threshold is no longer met
    previous = np.zeros(25, dtype=bool)
    previous[4] = True
    assert select_in_conv(counts, 50, previous, dataclasses.replace(config, min_in_conv=0))[4]


def test_warm_update_without_new_votes_changes_nothing() -> None:
    data = conversation("vtaiwan.uberx")
    matrix = data.matrix()
    cold = update(matrix, data.moderated_out)
    settled = update(matrix, data.moderated_out, previous=cold.state)
    again = update(matrix, data.moderated_out, previous=settled.state)
    assert np.array_equal(settled.group_of_participant, again.group_of_participant)
    assert again.base_clusters.iterations <= 2
    assert np.array_equal(again.base_clusters.ids, settled.base_clusters.ids)


def test_warm_update_after_new_votes_keeps_groups_stable() -> None:
    data = conversation("austria-climate.5twd2jsnkf.2022-08-08")
    matrix = data.matrix()
    state = update(matrix, data.moderated_out)
    before = update(matrix, data.moderated_out, previous=state.state)  # let the base clusters settle
    rng = np.random.default_rng(11)
    voters = np.flatnonzero(before.in_conv)
    allowed = np.flatnonzero(~data.moderated_out[: matrix.n_statements] & (np.bincount(matrix.statements) > 0))
    changed = matrix.with_votes(rng.choice(voters, 100), rng.choice(allowed, 100), rng.integers(-1, 2, 100))
    after = update(changed, data.moderated_out, previous=before.state)
    assert after.group_count == before.group_count
    untouched = before.in_conv
    assert adjusted_rand_index(before.group_of_participant[untouched], after.group_of_participant[untouched]) > 0.98
    # the projection moves little: the warm PCA starts from, and stays aligned with, the previous components
    assert np.all(np.sum(after.projection.components * before.projection.components, axis=1) > 0.99)


def test_new_participants_join_on_a_warm_update() -> None:
    data = conversation("bg2050-volunteers")
    matrix = data.matrix()
    cold = update(matrix, data.moderated_out)
    newcomer = matrix.n_participants
    statements = np.flatnonzero(
        ~data.moderated_out & (np.bincount(matrix.statements, minlength=len(data.moderated_out)) > 0)
    )[:10]
    grown = matrix.with_votes(np.full(10, newcomer), statements, np.ones(10, dtype=np.int64))
    warm = update(grown, data.moderated_out, previous=cold.state)
    assert warm.in_conv[newcomer] and warm.group_of_participant[newcomer] >= 0
    assert warm.in_conv[: matrix.n_participants][cold.in_conv].all()


def test_smoother_function() -> None:
    data = conversation("bg2050-volunteers")
    state = update(data.matrix(), data.moderated_out).state
    held = dataclasses.replace(state, last_best_k=3, best_k_streak=9, reported_k=3)
    assert smooth_k(2, None, 4) == (1, 2)
    assert smooth_k(2, held, 4) == (1, 3)
    streak_three = dataclasses.replace(held, last_best_k=2, best_k_streak=3)
    assert smooth_k(2, streak_three, 4) == (4, 2)


def test_smoother_holds_k_for_three_updates_then_switches() -> None:
    data = conversation("austria-climate.5twd2jsnkf.2022-08-08")
    matrix = data.matrix()
    cold = update(matrix, data.moderated_out)
    assert cold.best_k == 2 and cold.group_count == 2
    # pretend the previous updates had settled on k = 3
    state = dataclasses.replace(cold.state, last_best_k=3, best_k_streak=7, reported_k=3)
    reported = []
    for _ in range(4):
        result = update(matrix, data.moderated_out, previous=state)
        reported.append(result.group_count)
        state = result.state
    assert reported == [3, 3, 3, 2]


def test_synthetic_latent_clusters_are_recovered() -> None:
    synthetic = synthetic_conversation(n_participants=1500, n_statements=120, target_votes=45_000, seed=3)
    matrix = VoteMatrix.from_votes(synthetic.participant_index, synthetic.statement_index, synthetic.vote, 1500, 120)
    result = update(matrix, synthetic.moderated_out, sector_of_participant=synthetic.sector)
    clustered = result.group_of_participant >= 0
    assert result.group_count >= 2
    assert adjusted_rand_index(result.group_of_participant[clustered], synthetic.latent_cluster[clustered]) > 0.5
    assert len(result.common_ground.bloc_names) == 5 + result.group_count


def test_empty_and_tiny_conversations() -> None:
    empty = update(VoteMatrix.from_votes([], [], [], 0, 0))
    assert empty.group_count == 0 and empty.in_conv.shape == (0,)
    tiny = update(VoteMatrix.from_votes([0, 1, 2], [0, 0, 0], [1, -1, 1], 3, 1))
    # one statement: voting on it is enough to be clustered; two distinct positions make two groups
    assert tiny.in_conv.all() and tiny.group_count == 2
    assert tiny.group_of_participant[0] == tiny.group_of_participant[2] != tiny.group_of_participant[1]
    grown = update(VoteMatrix.from_votes([0, 1, 2, 3], [0, 0, 0, 1], [1, -1, 1, 1], 4, 2), previous=tiny.state)
    assert grown.in_conv.all() and grown.group_of_participant.shape == (4,)


def test_meta_statements_are_excluded_and_get_fixed_priority() -> None:
    data = conversation("scoop-hivemind.biodiversity")
    matrix = data.matrix()
    voted = np.flatnonzero(~data.moderated_out & (np.bincount(matrix.statements, minlength=matrix.n_statements) > 0))
    meta = np.zeros(matrix.n_statements, dtype=bool)
    meta[voted[:3]] = True
    result = update(matrix, data.moderated_out, meta=meta)
    assert np.all(result.priorities[meta] == 49.0)
    assert np.all(result.projection.components[:, meta] == 0.0)
    chosen = [entry.statement for group in result.representative for entry in group]
    assert not set(voted[:3].tolist()).intersection(chosen)
