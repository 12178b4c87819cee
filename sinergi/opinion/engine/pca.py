"""Mean-imputed PCA and Polis's sparsity-aware projection (polis-math.md §2.4–2.5), computed on sparse votes.

Missing cells are imputed with the column mean, so after centring they are exactly 0: the centred matrix X has
the same sparsity as the votes and XᵀX never needs the dense participants × statements matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import LinearOperator, eigsh

from .matrix import VoteMatrix

N_COMPONENTS = 2
# Lanczos (ARPACK) on the operator v ↦ Xᵀ(Xv) needs only sparse products; a dense LAPACK eigendecomposition of the
# statements × statements matrix is used only when it is tiny, because multithreaded BLAS on a busy 2-core machine
# made a 314 × 314 `eigh` take seconds instead of milliseconds.
SMALL_DENSE_COLUMNS = 3 * N_COMPONENTS + 1
LANCZOS_TOLERANCE = 1e-10
# A warm start is accepted when the residual ‖Gv − λv‖ is this small relative to λ₁ (so the component error is about
# this times λ₁/(λ₂ − λ₃)); otherwise more block steps, then Lanczos. Polis's own 100 power steps are no tighter.
WARM_RELATIVE_RESIDUAL = 1e-3
WARM_MAX_ITERATIONS = 8


@dataclass(frozen=True, eq=False)
class Projection:
    """PCA result. ``components`` rows are orthonormal; mod-out statements have centre 0 and loading 0."""

    center: NDArray[np.float64]  # (statements,) observed column mean of the moderation-zeroed matrix
    components: NDArray[np.float64]  # (2, statements)
    eigenvalues: NDArray[np.float64]  # (2,) of XᵀX, descending
    participants: NDArray[np.float64]  # (participants, 2)
    statements: NDArray[np.float64]  # (statements, 2)
    statement_extremity: NDArray[np.float64]  # (statements,)


def centred_matrix(matrix: VoteMatrix, moderated_out: NDArray[np.bool_]) -> tuple[sp.csr_matrix, NDArray[np.float64]]:
    """X = mean-imputed ``rating-mat`` minus its column means, as a sparse matrix, and those means.

    Mod-out columns are zeroed for everybody in Polis, so they are constant and centre to 0. Their stored cells here
    are centred on the raw votes instead (saving a pass over every vote); callers must treat those columns as absent,
    which `principal_components` does by masking them out of every vector (``kept_columns``).
    """
    counts, sums = matrix.statement_totals()
    center = np.divide(sums, counts, out=np.zeros(matrix.n_statements), where=counts > 0)
    values = matrix.votes - center[matrix.statements]
    center[moderated_out] = 0.0
    centred = sp.csr_matrix(
        (values, matrix.statements, matrix.indptr), shape=(matrix.n_participants, matrix.n_statements), copy=False
    )
    return centred, center


def principal_components(
    centred: sp.csr_matrix,
    previous_components: NDArray[np.float64] | None = None,
    kept_columns: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | None]:
    """The top two eigenvectors of XᵀX (rows, orthonormal), their eigenvalues (descending) and, when the warm path
    produced them for free, the scores X·componentsᵀ (else None).

    Only ``kept_columns`` (default: all) take part: the operator is P·XᵀX·P with P the projection onto them, so the
    components are exactly 0 on the other columns.

    Warm start (Polis carries components between updates): when ``previous_components`` — padded with ones for new
    statements as Polis does — already span the top eigenspace to within ``WARM_RELATIVE_RESIDUAL``, a few block power
    steps finish the job; otherwise Lanczos runs, seeded with the previous first component. Signs are made
    deterministic: aligned with the previous components, or on a cold start the largest-magnitude loading positive.
    """
    n_rows, n_cols = centred.shape
    if n_cols == 0 or n_rows == 0:
        return np.zeros((N_COMPONENTS, n_cols)), np.zeros(N_COMPONENTS), None
    transposed = centred.T  # a CSC view: no copy, and scipy multiplies with it directly
    mask = np.ones(n_cols) if kept_columns is None else kept_columns.astype(np.float64)

    def gram_times(block: NDArray[np.float64]) -> NDArray[np.float64]:
        masked = block * (mask if block.ndim == 1 else mask[:, None])
        image = np.asarray(transposed @ (centred @ masked))
        return image * (mask if image.ndim == 1 else mask[:, None])

    components: NDArray[np.float64] | None = None
    scores: NDArray[np.float64] | None = None
    eigenvalues = np.zeros(N_COMPONENTS)
    if previous_components is not None and n_cols > N_COMPONENTS:
        components, eigenvalues, scores = _refine_warm(
            centred, transposed, mask, _pad_components(previous_components, n_cols) * mask
        )
    if components is None:
        if n_cols <= SMALL_DENSE_COLUMNS:
            gram = np.asarray((transposed @ centred).toarray()) * np.outer(mask, mask)
            values, vectors = np.linalg.eigh(gram)
            order = np.argsort(values)[::-1][:N_COMPONENTS]
            components, eigenvalues = vectors[:, order].T.copy(), values[order]
        else:
            operator = LinearOperator((n_cols, n_cols), matvec=gram_times, matmat=gram_times, dtype=np.float64)
            start = (
                _pad_components(previous_components, n_cols)[0] * mask
                if previous_components is not None
                else mask / np.sqrt(max(mask.sum(), 1.0))
            )
            values, vectors = eigsh(operator, k=N_COMPONENTS, which="LA", v0=start, tol=LANCZOS_TOLERANCE)
            order = np.argsort(values)[::-1]
            components, eigenvalues = vectors[:, order].T.copy(), values[order]
    if components.shape[0] < N_COMPONENTS:
        components = np.vstack([components, np.zeros((N_COMPONENTS - components.shape[0], n_cols))])
        eigenvalues = np.append(eigenvalues, np.zeros(N_COMPONENTS - eigenvalues.shape[0]))
    signs = _signs(components, previous_components)
    if scores is not None:
        scores = scores * signs[None, :]
    return components * signs[:, None], np.maximum(eigenvalues, 0.0), scores


def _pad_components(previous: NDArray[np.float64], n_cols: int) -> NDArray[np.float64]:
    padded = np.ones((N_COMPONENTS, n_cols))
    width = min(previous.shape[1], n_cols)
    padded[:, :width] = previous[:, :width]
    return padded


def _refine_warm(
    centred: sp.csr_matrix, transposed: sp.csc_matrix, mask: NDArray[np.float64], start: NDArray[np.float64]
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64], NDArray[np.float64] | None]:
    """Block power iteration with Rayleigh–Ritz from the previous components; (None, …) if it does not settle
    within ``WARM_MAX_ITERATIONS``. Also returns X·ritz vectors, which the projection needs anyway."""
    basis, _ = np.linalg.qr(start.T)
    for _ in range(WARM_MAX_ITERATIONS):
        scores = np.asarray(centred @ basis)
        image = np.asarray(transposed @ scores) * mask[:, None]
        small = basis.T @ image
        values, rotation = np.linalg.eigh((small + small.T) / 2)
        order = np.argsort(values)[::-1]
        values, rotation = values[order], rotation[:, order]
        ritz_vectors = basis @ rotation
        residual = image @ rotation - ritz_vectors * values
        scale = max(float(values[0]), 1e-12)
        if np.max(np.linalg.norm(residual, axis=0)) <= WARM_RELATIVE_RESIDUAL * scale:
            return ritz_vectors.T.copy(), values, scores @ rotation
        basis, _ = np.linalg.qr(image @ rotation)
    return None, np.zeros(N_COMPONENTS), None


def _signs(components: NDArray[np.float64], previous: NDArray[np.float64] | None) -> NDArray[np.float64]:
    """±1 per component: aligned with the previous component, or the largest-magnitude loading made positive."""
    signs = np.ones(components.shape[0])
    for index in range(components.shape[0]):
        if previous is not None and index < previous.shape[0]:
            width = min(previous.shape[1], components.shape[1])
            reference = float(components[index, :width] @ previous[index, :width])
        else:
            row = components[index]
            reference = float(row[np.argmax(np.abs(row))]) if row.shape[0] else 1.0
        if reference < 0:
            signs[index] = -1.0
    return signs


def project(
    matrix: VoteMatrix,
    moderated_out: NDArray[np.bool_],
    previous_components: NDArray[np.float64] | None = None,
    active: NDArray[np.bool_] | None = None,
) -> Projection:
    """PCA of the moderation-zeroed, mean-imputed matrix and the sparsity-aware projections of §2.5.

    Participant i: √(N / max(nᵢ, 1)) · Σⱼ (xᵢⱼ − cⱼ)·pcⱼ, where N counts every statement column and nᵢ counts i's
    non-missing cells of ``rating-mat`` — the zeroed mod-out cells count as voted for everybody. Statement j: the
    projection of a virtual participant who agreed with j only (n = 1). Extremity is the norm of that projection.
    ``active`` marks the statement columns Polis would have (those with a vote); by default all of them.
    """
    centred, center = centred_matrix(matrix, moderated_out)
    components, eigenvalues, scores = principal_components(centred, previous_components, ~moderated_out)
    columns = np.ones(matrix.n_statements, dtype=bool) if active is None else active
    n_cols = int(columns.sum())
    moderated_count = int((moderated_out & columns).sum())
    kept_votes = matrix.votes_outside(moderated_out)
    cells = kept_votes + moderated_count
    scale = np.sqrt(n_cols / np.maximum(cells, 1))
    if scores is None:
        scores = np.asarray(centred @ components.T)  # components are 0 on mod-out columns
    participants = scores * scale[:, None]
    statements = (np.sqrt(n_cols) * (1.0 - center))[:, None] * components.T
    statements[moderated_out] = 0.0
    return Projection(
        center=center,
        components=components,
        eigenvalues=eigenvalues,
        participants=participants,
        statements=statements,
        statement_extremity=np.linalg.norm(statements, axis=1),
    )
