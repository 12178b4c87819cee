"""PCA on sparse votes and the sparsity-aware projection (§2.4–2.5), checked against dense numpy."""

from __future__ import annotations

import numpy as np
import pytest

from sinergi.opinion.engine.matrix import VoteMatrix
from sinergi.opinion.engine.pca import principal_components, project


def random_matrix(seed: int, n: int = 60, m: int = 20, density: float = 0.4) -> VoteMatrix:
    rng = np.random.default_rng(seed)
    mask = rng.random((n, m)) < density
    rows, cols = np.nonzero(mask)
    taste = rng.standard_normal((n, 1)) @ rng.standard_normal((1, m)) + 0.5 * rng.standard_normal((n, m))
    votes = np.sign(np.round(taste[rows, cols]))
    return VoteMatrix.from_votes(rows, cols, votes, n, m)


def dense_reference(matrix: VoteMatrix, moderated_out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polis's definition on the dense matrix: zero mod-out columns, impute column means, centre, top-2 by SVD."""
    rating = matrix.to_dense()
    rating[:, moderated_out] = 0.0
    means = np.nanmean(np.where(np.isnan(rating), np.nan, rating), axis=0)
    imputed = np.where(np.isnan(rating), means, rating)
    centred = imputed - means
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return means, vt[:2], rating


def test_components_match_dense_svd_and_are_zero_on_moderated_columns() -> None:
    matrix = random_matrix(1)
    moderated = np.zeros(matrix.n_statements, dtype=bool)
    moderated[[3, 11]] = True
    means, reference, _ = dense_reference(matrix, moderated)
    result = project(matrix, moderated)
    assert np.allclose(result.center, means)
    for index in range(2):
        assert abs(result.components[index] @ reference[index]) == pytest.approx(1.0, abs=1e-8)
    assert np.all(result.components[:, moderated] == 0.0)
    assert np.allclose(result.components @ result.components.T, np.eye(2), atol=1e-10)


def test_participant_projection_is_scaled_imputed_projection() -> None:
    matrix = random_matrix(2)
    moderated = np.zeros(matrix.n_statements, dtype=bool)
    moderated[5] = True
    means, _, rating = dense_reference(matrix, moderated)
    result = project(matrix, moderated)
    imputed = np.where(np.isnan(rating), means, rating)
    # mod-out cells are 0 (not missing) for everybody, so they count towards nᵢ
    cells = (~np.isnan(rating)).sum(axis=1)
    expected = (imputed - means) @ result.components.T * np.sqrt(matrix.n_statements / np.maximum(cells, 1))[:, None]
    assert np.allclose(result.participants, expected)
    # a statement's projection: a virtual participant who only agreed with it (n = 1)
    j = 7
    expected_statement = np.sqrt(matrix.n_statements) * (1.0 - means[j]) * result.components[:, j]
    assert np.allclose(result.statements[j], expected_statement)
    assert result.statement_extremity[j] == pytest.approx(np.linalg.norm(expected_statement))


def test_warm_start_reaches_the_same_components_and_keeps_signs() -> None:
    matrix = random_matrix(3, n=80, m=30)
    moderated = np.zeros(matrix.n_statements, dtype=bool)
    cold = project(matrix, moderated)
    rng = np.random.default_rng(4)
    updated = matrix.with_votes(rng.integers(0, 80, 10), rng.integers(0, 30, 10), rng.integers(-1, 2, 10))
    warm = project(updated, moderated, previous_components=cold.components)
    fresh = project(updated, moderated)
    assert np.allclose(np.abs(np.sum(warm.components * fresh.components, axis=1)), 1.0, atol=1e-6)
    # signs follow the previous components, so the map does not flip between updates
    assert np.all(np.sum(warm.components * cold.components, axis=1) > 0)


def test_cold_start_sign_is_deterministic() -> None:
    matrix = random_matrix(5)
    result = project(matrix, np.zeros(matrix.n_statements, dtype=bool))
    for component in result.components:
        assert component[np.argmax(np.abs(component))] > 0


def test_degenerate_shapes() -> None:
    one_row = VoteMatrix.from_votes([0, 0, 0], [0, 1, 2], [1, -1, 1])
    components, _, _ = principal_components(*_centred(one_row))
    assert components.shape == (2, 3)
    empty = VoteMatrix.from_votes([], [], [], 0, 0)
    assert project(empty, np.zeros(0, dtype=bool)).participants.shape == (0, 2)


def _centred(matrix: VoteMatrix) -> tuple:
    from sinergi.opinion.engine.pca import centred_matrix

    centred, _ = centred_matrix(matrix, np.zeros(matrix.n_statements, dtype=bool))
    return (centred,)
