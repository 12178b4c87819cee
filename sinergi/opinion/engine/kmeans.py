"""Polis's weighted k-means with deterministic cold starts and warm starts (polis-math.md §2.6–2.7).

Clusters carry stable integer ids so that a later update can warm-start from them: a cluster keeps its id while it
has members, and new clusters get fresh ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

CONVERGENCE_DISTANCE = 0.01
# Re-examined points first compare against this many centres nearest their own (see `_reassign`).
NEIGHBOUR_LIST = 6


@dataclass(frozen=True, eq=False)
class Clustering:
    """``labels[i]`` is a position in ``ids``/``centres``; every cluster has at least one point (positive weight)."""

    labels: NDArray[np.int64]
    ids: NDArray[np.int64]
    centres: NDArray[np.float64]
    iterations: int

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])


def first_distinct_rows(points: NDArray[np.float64], limit: int) -> NDArray[np.int64]:
    """Indices of the first ``limit`` distinct rows, in row order (Polis's cold-start centres).

    Looks at growing prefixes: once a prefix holds ``limit`` distinct rows the answer is inside it, so 30 k points
    rarely need a full sort.
    """
    n_points = points.shape[0]
    prefix = min(n_points, max(4 * limit, 64))
    while True:
        _, first_index = np.unique(points[:prefix], axis=0, return_index=True)
        if first_index.shape[0] >= limit or prefix == n_points:
            return np.sort(first_index)[:limit].astype(np.int64)
        prefix = min(n_points, prefix * 4)


def squared_distances(points: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pairwise squared Euclidean distances, computed coordinate by coordinate.

    Elementwise on purpose: the BLAS form |x|² − 2x·c + |c|² loses precision for nearby points and, for these thin
    matrices, multithreaded BLAS on a busy 2-core machine was 10× slower than plain numpy.
    """
    result = np.zeros((points.shape[0], centres.shape[0]))
    for axis in range(points.shape[1]):
        difference = points[:, axis, None] - centres[None, :, axis]
        result += difference * difference
    return result


def _row_norms_squared(offsets: NDArray[np.float64]) -> NDArray[np.float64]:
    """Squared norm along the last axis; summing coordinates explicitly is much faster than `.sum(axis=-1)` when
    that axis has length 2."""
    total = offsets[..., 0] * offsets[..., 0]
    for axis in range(1, offsets.shape[-1]):
        total += offsets[..., axis] * offsets[..., axis]
    return total


def _weighted_means(
    points: NDArray[np.float64], weights: NDArray[np.float64], labels: NDArray[np.int64], count: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    mass = np.bincount(labels, weights=weights, minlength=count).astype(np.float64)
    sums = np.column_stack(
        [np.bincount(labels, weights=weights * points[:, axis], minlength=count) for axis in range(points.shape[1])]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / mass[:, None], mass


def kmeans(
    points: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    k: int,
    max_iterations: int,
    previous_labels: NDArray[np.int64] | None = None,
    previous_ids: NDArray[np.int64] | None = None,
    next_id: int = 0,
) -> Clustering:
    """Lloyd's k-means as Polis runs it.

    Cold start (no ``previous_labels``): centres are the first k distinct points in row order. Warm start:
    ``previous_labels[i]`` is the index into ``previous_ids`` of point i's old cluster, or −1 for a new point;
    old clusters are recentred on their members' current positions, empty ones dropped, identical centres merged,
    and while there are fewer than min(k, distinct points) clusters the point farthest from every centre is split
    off as a singleton. Each step assigns points to the nearest centre, drops empty clusters and moves centres to
    the weighted means; it stops when no centre moved by ``CONVERGENCE_DISTANCE`` or after ``max_iterations``.
    Fewer than k distinct points give fewer clusters.
    """
    n_points = points.shape[0]
    point_weights = np.ones(n_points) if weights is None else np.asarray(weights, dtype=np.float64)
    if n_points == 0 or k <= 0:
        return Clustering(np.zeros(n_points, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, 2)), 0)
    target = first_distinct_rows(points, k).shape[0]  # min(k, number of distinct points)

    guess: NDArray[np.int64] | None = None
    if previous_labels is None or previous_ids is None:
        seeds = first_distinct_rows(points, target)
        centres = points[seeds].copy()
        ids = np.arange(next_id, next_id + seeds.shape[0], dtype=np.int64)
        next_id += seeds.shape[0]
    else:
        centres, ids, next_id, guess = _warm_centres(
            points, point_weights, previous_labels, previous_ids, target, next_id
        )

    labels, centres, ids, iterations = _lloyd(points, point_weights, centres, ids, max_iterations, guess)
    return Clustering(labels=labels, ids=ids, centres=centres, iterations=iterations)


def _nearest_two(
    points: NDArray[np.float64], centres: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Nearest centre, its distance and the second-nearest distance (inf with one centre)."""
    distances = np.sqrt(squared_distances(points, centres))
    nearest = np.argmin(distances, axis=1)
    rows = np.arange(points.shape[0])
    first = distances[rows, nearest]
    if centres.shape[0] < 2:
        return nearest, first, np.full(points.shape[0], np.inf)
    distances[rows, nearest] = np.inf
    return nearest, first, distances.min(axis=1)


def _reassign(
    points: NDArray[np.float64],
    centres: NDArray[np.float64],
    between: NDArray[np.float64],
    own: NDArray[np.int64],
    distance_to_own: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Exact nearest and second-nearest distance, looking first only at the centres nearest to each point's own.

    By the triangle inequality a centre c'' outside own's neighbour list is at least d(own, c'') − d(x, own) away,
    so when the best listed centre is nearer than that bound the answer is exact; other points get a full search.
    """
    count = centres.shape[0]
    if count <= NEIGHBOUR_LIST + 1:
        return _nearest_two(points, centres)
    # After partitioning, columns 0..L hold the L+1 nearest centres (own included) and column L+1 the next one.
    order = np.argpartition(between, NEIGHBOUR_LIST + 1, axis=1)
    listed = order[:, : NEIGHBOUR_LIST + 1]
    outside_distance = between[np.arange(count), order[:, NEIGHBOUR_LIST + 1]]
    candidates = listed[own]
    # Squared distances to the listed centres, one coordinate at a time on contiguous arrays (fast in numpy).
    squared = np.square(points[:, 0, None] - centres[candidates, 0])
    squared += np.square(points[:, 1, None] - centres[candidates, 1])
    for axis in range(2, points.shape[1]):
        squared += np.square(points[:, axis, None] - centres[candidates, axis])
    rows = np.arange(points.shape[0])
    position = np.argmin(squared, axis=1)
    nearest = candidates[rows, position]
    first = np.sqrt(squared[rows, position])
    squared[rows, position] = np.inf
    beyond = outside_distance[own] - distance_to_own
    second = np.minimum(np.sqrt(squared.min(axis=1)), beyond)
    unsure = np.flatnonzero(first > beyond)
    if unsure.shape[0]:
        nearest[unsure], first[unsure], second[unsure] = _nearest_two(points[unsure], centres)
    return nearest, first, second


def _lloyd(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    centres: NDArray[np.float64],
    ids: NDArray[np.int64],
    max_iterations: int,
    guess: NDArray[np.int64] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64], int]:
    """Lloyd iterations with Hamerly's bounds: the same assignments as recomputing every distance every step, but a
    point is re-examined only when its upper bound (distance to its centre, grown by that centre's drift) exceeds its
    lower bound (distance to the second-nearest centre, shrunk by the largest drift) or half the gap to the nearest
    other centre. At 30 k participants most points are settled after a few steps, which makes the 100 steps Polis
    allows cheap."""
    if guess is None or centres.shape[0] <= NEIGHBOUR_LIST + 1:
        labels, upper, lower = _nearest_two(points, centres)
    else:
        # Warm start: most points are still nearest their old cluster, so search near it first.
        labels = np.zeros(points.shape[0], dtype=np.int64)
        upper, lower = np.zeros(points.shape[0]), np.zeros(points.shape[0])
        known, unknown = np.flatnonzero(guess >= 0), np.flatnonzero(guess < 0)
        between = np.sqrt(squared_distances(centres, centres))
        own = guess[known]
        distance_to_own = np.sqrt(_row_norms_squared(points[known] - centres[own]))
        # A point within half the gap between its old centre and that centre's nearest neighbour is certainly
        # still nearest to it, and every other centre is at least (gap − distance) away.
        np.fill_diagonal(between, np.inf)
        gap = between.min(axis=1)[own] if centres.shape[0] > 1 else np.full(own.shape[0], np.inf)
        np.fill_diagonal(between, 0.0)
        settled = distance_to_own <= gap / 2.0
        labels[known[settled]] = own[settled]
        upper[known[settled]] = distance_to_own[settled]
        lower[known[settled]] = gap[settled] - distance_to_own[settled]
        unsettled = known[~settled]
        labels[unsettled], upper[unsettled], lower[unsettled] = _reassign(
            points[unsettled], centres, between, own[~settled], distance_to_own[~settled]
        )
        if unknown.shape[0]:
            labels[unknown], upper[unknown], lower[unknown] = _nearest_two(points[unknown], centres)
    iterations = 0
    weighted_coordinates = [weights * points[:, axis] for axis in range(points.shape[1])]
    for iterations in range(1, max_iterations + 1):
        count = centres.shape[0]
        mass = np.bincount(labels, weights=weights, minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            new_centres = np.column_stack(
                [np.bincount(labels, weights=coordinate, minlength=count) / mass for coordinate in weighted_coordinates]
            )
        alive = mass > 0
        shift = np.sqrt(_row_norms_squared(new_centres[alive] - centres[alive]))
        converged = bool(alive.all()) and bool(np.all(shift < CONVERGENCE_DISTANCE))
        if not alive.all():
            # Dropping a centre can only raise the second-nearest distance, so the lower bounds stay valid.
            labels = (np.cumsum(alive) - 1)[labels]
            new_centres, ids = new_centres[alive], ids[alive]
        centres = new_centres
        if converged or iterations == max_iterations:
            break
        own_shift = shift[labels]
        upper += own_shift
        if shift.shape[0] > 1:
            runner_up, largest = np.sort(shift)[-2:]
            lower -= np.where(own_shift == largest, runner_up, largest)
        between = np.sqrt(squared_distances(centres, centres))
        if centres.shape[0] > 1:
            np.fill_diagonal(between, np.inf)
            half_gap = between.min(axis=1) / 2.0
            np.fill_diagonal(between, 0.0)
            bound = np.maximum(lower, half_gap[labels])
        else:
            bound = np.full_like(upper, np.inf)
        suspect = np.flatnonzero(upper > bound)
        if suspect.shape[0] == 0:
            continue
        tightened = np.sqrt(_row_norms_squared(points[suspect] - centres[labels[suspect]]))
        upper[suspect] = tightened
        suspect = suspect[tightened > bound[suspect]]
        if suspect.shape[0] == 0:
            continue
        nearest, first, second = _reassign(points[suspect], centres, between, labels[suspect], upper[suspect])
        labels[suspect], upper[suspect], lower[suspect] = nearest, first, second
    # The last step moved the centres; Polis reports the assignment that produced them, as above.
    return labels.astype(np.int64), centres, ids, iterations


def _warm_centres(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    previous_labels: NDArray[np.int64],
    previous_ids: NDArray[np.int64],
    target: int,
    next_id: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], int, NDArray[np.int64]]:
    """Polis's ``clean-start-clusters``; also returns each point's old cluster as a position in the new centres
    (−1 if none), which lets the first assignment look only near it."""
    members = previous_labels >= 0
    count = previous_ids.shape[0]
    centres, mass = _weighted_means(points[members], weights[members], previous_labels[members], count)
    new_position = np.full(count, -1, dtype=np.int64)
    alive = np.flatnonzero(mass > 0)
    centres, ids = centres[alive], previous_ids[alive]
    # Merge clusters whose centres coincide: all of them map to the first one (its id is kept).
    if centres.shape[0]:
        _, first, inverse = np.unique(centres, axis=0, return_index=True, return_inverse=True)
        rank_of_first = np.argsort(np.argsort(first))
        keep_order = np.sort(first)
        new_position[alive] = rank_of_first[inverse.reshape(-1)]
        centres, ids = centres[keep_order], ids[keep_order]
    if centres.shape[0] > target:
        centres, ids = centres[:target], ids[:target]
        new_position[new_position >= target] = -1
    while centres.shape[0] < target:
        farthest = 0 if centres.shape[0] == 0 else int(np.argmax(squared_distances(points, centres).min(axis=1)))
        centres = np.vstack([centres, points[farthest]])
        ids = np.append(ids, next_id)
        next_id += 1
    guess = np.where(members, new_position[np.maximum(previous_labels, 0)], -1)
    return centres, ids.astype(np.int64), next_id, guess


def silhouette_of_centres(centres: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette over the points (Polis: base-cluster centres, unweighted).

    For point i: a = mean distance to the other points of its cluster, b = the smallest mean distance to another
    cluster's points, s = (b − a)/max(a, b); a point alone in its cluster scores 0. Returns 0 for one cluster.
    """
    n_points = centres.shape[0]
    cluster_count = int(labels.max()) + 1 if n_points else 0
    if cluster_count < 2:
        return 0.0
    distances = np.sqrt(squared_distances(centres, centres))
    np.fill_diagonal(distances, 0.0)
    membership = np.zeros((n_points, cluster_count))
    membership[np.arange(n_points), labels] = 1.0
    sizes = membership.sum(axis=0)
    totals = distances @ membership  # (points, clusters): summed distance from each point to each cluster
    own_size = sizes[labels]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_to_cluster = totals / sizes[None, :]
        own_mean = totals[np.arange(n_points), labels] / np.maximum(own_size - 1, 1)
    mean_to_cluster[np.arange(n_points), labels] = np.inf
    nearest_other = mean_to_cluster.min(axis=1)
    denominator = np.maximum(own_mean, nearest_other)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(denominator > 0, (nearest_other - own_mean) / denominator, 0.0)
    scores[own_size <= 1] = 0.0
    return float(scores.mean())
