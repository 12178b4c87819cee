"""Polis's k-means (§2.6–2.7): cold and warm starts, bounded Lloyd steps against brute force, silhouette."""

from __future__ import annotations

import numpy as np
import pytest

from sinergi.opinion.engine.kmeans import (
    CONVERGENCE_DISTANCE,
    first_distinct_rows,
    kmeans,
    silhouette_of_centres,
    squared_distances,
)


def brute_force_lloyd(points: np.ndarray, weights: np.ndarray, centres: np.ndarray, iterations: int):
    """Textbook Lloyd with Polis's stopping rule, every distance recomputed every step."""
    labels = np.zeros(points.shape[0], dtype=np.int64)
    for _ in range(iterations):
        labels = np.argmin(squared_distances(points, centres), axis=1)
        mass = np.bincount(labels, weights=weights, minlength=centres.shape[0])
        sums = np.stack(
            [np.bincount(labels, weights=weights * points[:, a], minlength=centres.shape[0]) for a in (0, 1)], 1
        )
        alive = mass > 0
        new = sums[alive] / mass[alive, None]
        moved = np.sqrt(((new - centres[alive]) ** 2).sum(axis=1))
        done = alive.all() and np.all(moved < CONVERGENCE_DISTANCE)
        labels = (np.cumsum(alive) - 1)[labels]
        centres = new
        if done:
            break
    return labels, centres


def blobs(seed: int, n: int = 3000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-6, 6, size=(5, 2))
    return centres[rng.integers(0, 5, n)] + rng.standard_normal((n, 2))


def test_first_distinct_rows_in_row_order() -> None:
    points = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 2.0], [1.0, 1.0], [3.0, 0.0]])
    assert first_distinct_rows(points, 2).tolist() == [0, 2]
    assert first_distinct_rows(points, 10).tolist() == [0, 2, 4]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bounded_lloyd_matches_brute_force(seed: int) -> None:
    points = blobs(seed)
    weights = np.random.default_rng(seed).integers(1, 4, points.shape[0]).astype(float)
    result = kmeans(points, weights, 40, 100)
    labels, centres = brute_force_lloyd(points, weights, points[first_distinct_rows(points, 40)].copy(), 100)
    assert np.array_equal(result.labels, labels)
    assert np.allclose(result.centres, centres)


def test_fewer_distinct_points_than_k_gives_fewer_clusters() -> None:
    points = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    result = kmeans(points, None, 5, 10)
    assert result.size == 2
    assert result.labels[0] == result.labels[1] != result.labels[2]


def test_warm_start_keeps_ids_and_drops_empty_clusters() -> None:
    points = blobs(3, n=600)
    cold = kmeans(points, None, 10, 100)
    warm = kmeans(points, None, 10, 100, previous_labels=cold.labels, previous_ids=cold.ids, next_id=cold.size)
    assert np.array_equal(warm.ids, cold.ids)
    assert np.array_equal(warm.labels, cold.labels)
    assert warm.iterations <= 2
    # the members of cluster position 0 leave: it is dropped, a new cluster is split off to get back to k
    survivors = cold.labels != 0
    shrunk = kmeans(
        points[survivors], None, 10, 100, previous_labels=cold.labels[survivors], previous_ids=cold.ids, next_id=99
    )
    assert cold.ids[0] not in shrunk.ids.tolist()
    assert shrunk.size == 10 and 99 in shrunk.ids.tolist()


def test_warm_start_splits_off_the_farthest_point_for_new_data() -> None:
    points = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0], [40.0, 40.0]])
    previous = np.array([0, 0, 1, 1, -1])  # the far point is new
    result = kmeans(points, None, 3, 20, previous_labels=previous, previous_ids=np.array([7, 8]), next_id=9)
    assert result.ids.tolist() == [7, 8, 9]
    assert result.labels.tolist() == [0, 0, 1, 1, 2]


def test_warm_start_merges_identical_centres() -> None:
    points = np.array([[0.0, 0.0], [0.0, 0.0], [3.0, 3.0]])
    previous = np.array([0, 1, 2])  # clusters 0 and 1 sit on the same point
    result = kmeans(points, None, 3, 20, previous_labels=previous, previous_ids=np.array([4, 5, 6]), next_id=7)
    assert result.size == 2 and result.ids.tolist() == [4, 6]


def test_silhouette_by_hand() -> None:
    centres = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    labels = np.array([0, 0, 1, 1])
    a = 1.0
    b = (10.0 + np.hypot(10.0, 1.0)) / 2
    assert silhouette_of_centres(centres, labels) == pytest.approx((b - a) / b)
    # a point alone in its cluster scores 0
    single = silhouette_of_centres(centres, np.array([0, 1, 1, 1]))
    others = []
    for i in (1, 2, 3):
        same = [j for j in (1, 2, 3) if j != i]
        a_i = np.mean([np.linalg.norm(centres[i] - centres[j]) for j in same])
        b_i = np.linalg.norm(centres[i] - centres[0])
        others.append((b_i - a_i) / max(a_i, b_i))
    assert single == pytest.approx(sum(others) / 4)
    assert silhouette_of_centres(centres, np.zeros(4, dtype=np.int64)) == 0.0
