"""One update of the opinion map, with the state Polis carries from one update to the next (polis-math.md §2.2).

Pure computation: numpy/scipy arrays in, dataclasses out. Participants and statements are dense indices
0..n−1 chosen by the caller, who keeps the mapping to database ids; rows and columns may only be appended.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .common_ground import CommonGround, common_ground
from .kmeans import Clustering, kmeans, silhouette_of_centres
from .matrix import VoteMatrix
from .pca import Projection, project
from .stats import (
    PICK_MAX,
    Z_90,
    Consensus,
    RepnessStats,
    RepresentativeStatement,
    StatementStats,
    Tallies,
    bloc_aware_consensus,
    repness_stats,
    select_consensus,
    select_representative,
    statement_priorities,
    statement_stats,
    tally,
)


@dataclass(frozen=True)
class EngineConfig:
    """Polis's constants (§2.14). ``group_iterations`` is 20 because Polis's group k-means ignores its own 100."""

    min_votes: int = 7
    min_in_conv: int = 15
    base_k: int = 100
    max_k: int = 5
    base_iterations: int = 100
    group_iterations: int = 20
    smoother_buffer: int = 4
    pick_max: int = PICK_MAX
    z_threshold: float = Z_90


@dataclass(frozen=True, eq=False)
class GroupClusteringState:
    """A group clustering of base clusters for one k: ``group_of_base[i]`` indexes ``group_ids`` for ``base_ids[i]``."""

    base_ids: NDArray[np.int64]
    group_of_base: NDArray[np.int64]
    group_ids: NDArray[np.int64]
    next_group_id: int


@dataclass(frozen=True, eq=False)
class EngineState:
    """What one update hands to the next: PCA components, permanent in-conv set, base clusters (by stable id),
    the group clustering for each k, and the k smoother. Sized for the matrix it was computed on."""

    components: NDArray[np.float64]
    in_conv: NDArray[np.bool_]
    base_ids: NDArray[np.int64]
    base_of_participant: NDArray[np.int64]  # index into base_ids, −1 when not clustered
    next_base_id: int
    group_clusterings: dict[int, GroupClusteringState]
    last_best_k: int
    best_k_streak: int
    reported_k: int


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """Everything one update produces. Group g of participant i is ``group_of_participant[i]`` (−1 = not clustered);
    groups are numbered 0..k−1 in the order of their (stable) ids."""

    projection: Projection
    in_conv: NDArray[np.bool_]
    base_clusters: Clustering
    base_of_participant: NDArray[np.int64]
    group_count: int
    group_of_base: NDArray[np.int64]
    group_of_participant: NDArray[np.int64]
    group_centres: NDArray[np.float64]
    silhouette_by_k: dict[int, float]
    best_k: int
    group_stats: RepnessStats
    everybody_stats: StatementStats
    representative: list[list[RepresentativeStatement]]
    consensus: Consensus
    group_aware_consensus_agree: NDArray[np.float64]
    group_aware_consensus_disagree: NDArray[np.float64]
    priorities: NDArray[np.float64]
    common_ground: CommonGround
    state: EngineState = field(repr=False)


def _padded(values: ArrayLike | None, length: int, fill: object) -> NDArray[np.generic]:
    array = np.asarray([] if values is None else values)
    if array.shape[0] >= length:
        return array[:length]
    pad = np.full(length - array.shape[0], fill, dtype=array.dtype if array.size else type(fill))
    return np.concatenate([array.astype(pad.dtype), pad])


def select_in_conv(
    vote_counts: NDArray[np.int64], statement_count: int, previous: NDArray[np.bool_] | None, config: EngineConfig
) -> NDArray[np.bool_]:
    """§2.3: votes ≥ min(7, statements), permanent once reached, topped up to 15 with the heaviest other voters."""
    in_conv = vote_counts >= min(config.min_votes, max(statement_count, 1))
    if previous is not None:
        in_conv[: previous.shape[0]] |= previous[: in_conv.shape[0]]
    missing = config.min_in_conv - int(in_conv.sum())
    if missing > 0:
        candidates = np.flatnonzero(~in_conv & (vote_counts > 0))
        heaviest_first = candidates[np.lexsort((candidates, -vote_counts[candidates]))]
        in_conv[heaviest_first[:missing]] = True
    return in_conv


def _summed(table: Tallies, rows: int, columns: int, axis: int) -> Tallies:
    """Collapse a (rows·columns, statements) cross-table to (rows or columns, statements) by summing ``axis``."""

    def collapse(counts: NDArray[np.int64]) -> NDArray[np.int64]:
        return counts.reshape(rows, columns, -1).sum(axis=axis)

    return Tallies(collapse(table.agree), collapse(table.disagree), collapse(table.seen))


def smooth_k(best_k: int, previous: EngineState | None, buffer: int) -> tuple[int, int]:
    """Polis's k smoother (§2.7): returns (streak, reported k).

    The streak counts consecutive updates with the same best k (1 on a change). The reported k switches to the best
    k only once the streak reaches ``buffer``; until then the previous reported k is kept. A cold start reports the
    best k at once.
    """
    if previous is None:
        return 1, best_k
    streak = previous.best_k_streak + 1 if best_k == previous.last_best_k else 1
    return streak, best_k if streak >= buffer else previous.reported_k


def update(
    matrix: VoteMatrix,
    moderated_out: ArrayLike | None = None,
    *,
    meta: ArrayLike | None = None,
    sector_of_participant: ArrayLike | None = None,
    sector_names: list[str] | None = None,
    previous: EngineState | None = None,
    config: EngineConfig | None = None,
) -> OpinionMap:
    """Run one Polis update on ``matrix`` (a cold start when ``previous`` is None).

    ``moderated_out`` and ``meta`` are boolean per statement (shorter arrays are padded with False); meta statements
    are treated as moderated out and get priority 49. ``sector_of_participant`` holds an index into ``sector_names``
    or −1 (undeclared). Deterministic: the same inputs and state give the same output.
    """
    config = config or EngineConfig()
    n_participants, n_statements = matrix.n_participants, matrix.n_statements
    meta_mask = _padded(meta, n_statements, False).astype(bool)
    excluded = _padded(moderated_out, n_statements, False).astype(bool) | meta_mask

    votes_per_statement, _ = matrix.statement_totals()
    # Polis only has columns for statements that received a vote; counting them keeps N independent of padding.
    active = votes_per_statement > 0
    vote_counts = matrix.votes_per_participant()
    in_conv = select_in_conv(vote_counts, int(active.sum()), None if previous is None else previous.in_conv, config)

    projection = project(matrix, excluded, None if previous is None else previous.components, active=active)

    clustered = np.flatnonzero(in_conv)
    base_previous_labels: NDArray[np.int64] | None = None
    if previous is not None:
        base_previous_labels = _padded(previous.base_of_participant, n_participants, -1).astype(np.int64)[clustered]
    base = kmeans(
        projection.participants[clustered],
        None,
        config.base_k,
        config.base_iterations,
        previous_labels=base_previous_labels,
        previous_ids=None if previous is None else previous.base_ids,
        next_id=0 if previous is None else previous.next_base_id,
    )
    base_of_participant = np.full(n_participants, -1, dtype=np.int64)
    base_of_participant[clustered] = base.labels
    base_sizes = np.bincount(base.labels, minlength=base.size).astype(np.float64)

    max_k = min(config.max_k, 2 + base.size // 12)
    clusterings: dict[int, Clustering] = {}
    silhouettes: dict[int, float] = {}
    new_group_states: dict[int, GroupClusteringState] = {}
    for k in range(2, max_k + 1):
        prior = None if previous is None else previous.group_clusterings.get(k)
        previous_labels = None
        if prior is not None:
            position = {
                int(base_id): int(group) for base_id, group in zip(prior.base_ids, prior.group_of_base, strict=True)
            }
            previous_labels = np.array([position.get(int(base_id), -1) for base_id in base.ids], dtype=np.int64)
        clustering = kmeans(
            base.centres,
            base_sizes,
            k,
            config.group_iterations,
            previous_labels=previous_labels,
            previous_ids=None if prior is None else prior.group_ids,
            next_id=0 if prior is None else prior.next_group_id,
        )
        clusterings[k] = clustering
        silhouettes[k] = silhouette_of_centres(base.centres, clustering.labels)
        new_group_states[k] = GroupClusteringState(
            base_ids=base.ids.copy(),
            group_of_base=clustering.labels.copy(),
            group_ids=clustering.ids.copy(),
            next_group_id=max([0, *(int(i) + 1 for i in clustering.ids)])
            if prior is None
            else max(prior.next_group_id, *(int(i) + 1 for i in clustering.ids)),
        )
    if previous is not None:
        # Keep clusterings for k values not tried this time, so they can warm-start later.
        for k, kept in previous.group_clusterings.items():
            new_group_states.setdefault(k, kept)

    best_k = max(silhouettes, key=lambda k: (silhouettes[k], k)) if silhouettes else 1
    streak, reported_k = smooth_k(best_k, previous, config.smoother_buffer)
    if reported_k not in clusterings:
        reported_k = best_k
    if reported_k in clusterings:
        groups = clusterings[reported_k]
        group_of_base = groups.labels
        group_centres = groups.centres
    else:  # fewer than two base clusters: everybody clustered is one group
        group_of_base = np.zeros(base.size, dtype=np.int64)
        group_centres = base.centres[:1].copy() if base.size else np.zeros((0, 2))
    group_count = int(group_centres.shape[0])
    group_of_participant = np.full(n_participants, -1, dtype=np.int64)
    group_of_participant[clustered] = group_of_base[base.labels] if base.size else -1

    names = list(sector_names or [])
    sectors = np.full(n_participants, -1, dtype=np.int64)
    sector_count = 0
    if sector_of_participant is not None:
        sectors = _padded(sector_of_participant, n_participants, -1).astype(np.int64)
        if names:
            sectors = np.where(sectors < len(names), sectors, -1)
        sector_count = max(len(names), int(sectors.max(initial=-1)) + 1)
        names += [str(index) for index in range(len(names), sector_count)]
    # One pass over the votes for groups and sectors together: cell (g+1, s+1), where group −1 = not clustered and
    # sector −1 = undeclared; groups, sectors and everybody are sums over that table.
    cross = tally(
        matrix, (group_of_participant + 1) * (sector_count + 1) + (sectors + 1), (group_count + 1) * (sector_count + 1)
    )
    by_group = _summed(cross, group_count + 1, sector_count + 1, axis=1)
    group_tallies = by_group.rows(slice(1, None))
    everybody = by_group.total()
    sector_tallies: Tallies | None = None
    if sector_of_participant is not None:
        sector_tallies = _summed(cross, group_count + 1, sector_count + 1, axis=0).rows(slice(1, None))

    group_repness = repness_stats(group_tallies)
    representative = [
        select_representative(group_repness, g, excluded, config.pick_max, config.z_threshold)
        for g in range(group_count)
    ]
    consensus = select_consensus(everybody, excluded, config.pick_max, config.z_threshold)
    gac_agree, gac_disagree = bloc_aware_consensus(group_tallies)
    priorities = statement_priorities(group_tallies, projection.statement_extremity, excluded, meta_mask)
    ground = common_ground(sector_tallies, names, group_tallies, excluded)

    state = EngineState(
        components=projection.components,
        in_conv=in_conv,
        base_ids=base.ids,
        base_of_participant=base_of_participant,
        next_base_id=int(base.ids.max(initial=-1)) + 1
        if previous is None
        else max(previous.next_base_id, int(base.ids.max(initial=-1)) + 1),
        group_clusterings=new_group_states,
        last_best_k=best_k,
        best_k_streak=streak,
        reported_k=reported_k,
    )
    return OpinionMap(
        projection=projection,
        in_conv=in_conv,
        base_clusters=base,
        base_of_participant=base_of_participant,
        group_count=group_count,
        group_of_base=group_of_base,
        group_of_participant=group_of_participant,
        group_centres=group_centres,
        silhouette_by_k=silhouettes,
        best_k=best_k,
        group_stats=group_repness,
        everybody_stats=statement_stats(everybody),
        representative=representative,
        consensus=consensus,
        group_aware_consensus_agree=gac_agree,
        group_aware_consensus_disagree=gac_disagree,
        priorities=priorities,
        common_ground=ground,
        state=state,
    )
