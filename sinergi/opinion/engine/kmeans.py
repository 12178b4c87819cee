"""Polis's weighted k-means with deterministic cold starts and warm starts (polis-math.md §2.6–2.7).

Clusters carry stable integer ids so that a later update can warm-start from them: a cluster keeps its id while it
has members, and new clusters get fresh ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

CONVERGENCE_DISTANCE = 0.01


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
    """Indices of the first ``limit`` distinct rows, in row order (Polis's cold-start centres)."""
    if points.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    _, first_index = np.unique(points, axis=0, return_index=True)
    return np.sort(first_index)[:limit].astype(np.int64)


def squared_distances(points: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pairwise squared Euclidean distances, clipped at 0 against rounding."""
    cross = points @ centres.T
    result = (points * points).sum(axis=1)[:, None] - 2.0 * cross + (centres * centres).sum(axis=1)[None, :]
    return np.maximum(result, 0.0)


def _weighted_means(
    points: NDArray[np.float64], weights: NDArray[np.float64], labels: NDArray[np.int64], count: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    mass = np.bincount(labels, weights=weights, minlength=count)
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
    distinct_count = first_distinct_rows(points, n_points).shape[0]
    target = min(k, distinct_count)

    if previous_labels is None or previous_ids is None:
        seeds = first_distinct_rows(points, target)
        centres = points[seeds].copy()
        ids = np.arange(next_id, next_id + seeds.shape[0], dtype=np.int64)
        next_id += seeds.shape[0]
    else:
        centres, ids, next_id = _warm_centres(points, point_weights, previous_labels, previous_ids, target, next_id)

    labels = np.zeros(n_points, dtype=np.int64)
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 — the count is reported
        labels = np.argmin(squared_distances(points, centres), axis=1)
        new_centres, mass = _weighted_means(points, point_weights, labels, centres.shape[0])
        alive = mass > 0
        moved = np.sqrt(((new_centres[alive] - centres[alive]) ** 2).sum(axis=1))
        converged = bool(alive.all()) and bool(np.all(moved < CONVERGENCE_DISTANCE))
        if not alive.all():
            remap = np.cumsum(alive) - 1
            labels = remap[labels]
            new_centres, ids = new_centres[alive], ids[alive]
        centres = new_centres
        if converged:
            break
    return Clustering(labels=labels.astype(np.int64), ids=ids, centres=centres, iterations=iterations)


def _warm_centres(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    previous_labels: NDArray[np.int64],
    previous_ids: NDArray[np.int64],
    target: int,
    next_id: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], int]:
    members = previous_labels >= 0
    count = previous_ids.shape[0]
    centres, mass = _weighted_means(points[members], weights[members], previous_labels[members], count)
    alive = mass > 0
    centres, ids = centres[alive], previous_ids[alive]
    # Merge clusters whose centres coincide (keep the first id).
    if centres.shape[0]:
        _, first = np.unique(centres, axis=0, return_index=True)
        first.sort()
        centres, ids = centres[first], ids[first]
    centres = centres[:target]
    ids = ids[:target]
    while centres.shape[0] < target:
        farthest = 0 if centres.shape[0] == 0 else int(np.argmax(squared_distances(points, centres).min(axis=1)))
        centres = np.vstack([centres, points[farthest]])
        ids = np.append(ids, next_id)
        next_id += 1
    return centres, ids.astype(np.int64), next_id


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
