"""Synthetic conversations with a known opinion structure, for tests and the benchmark.

Clearly not real data: participants sit in latent 2-D opinion clusters, statements have Gaussian loadings,
and each vote is the sign of the participant-statement affinity (a pass inside a band around zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .matrix import AGREE, DISAGREE, PASS


@dataclass(frozen=True)
class SyntheticConversation:
    """Votes in arrival order (later rows win), the moderated-out mask and the latent cluster of each participant."""

    participant_index: NDArray[np.int32]
    statement_index: NDArray[np.int32]
    vote: NDArray[np.int8]
    n_participants: int
    n_statements: int
    moderated_out: NDArray[np.bool_]
    latent_cluster: NDArray[np.int8]
    sector: NDArray[np.int16]


def synthetic_conversation(
    n_participants: int = 33_422,
    n_statements: int = 783,
    target_votes: int = 2_000_000,
    cluster_shares: tuple[float, ...] = (0.5, 0.3, 0.2),
    moderated_out_share: float = 0.05,
    n_sectors: int = 5,
    seed: int = 12345,
) -> SyntheticConversation:
    """Generate a conversation; deterministic for a given seed.

    Votes per participant are log-normal (at least 1, at most every statement), statement popularity is Pareto,
    and |affinity| < 0.5 is a pass. Each participant votes at most once per statement.
    """
    rng = np.random.default_rng(seed)
    shares = np.asarray(cluster_shares, dtype=np.float64)
    latent = rng.choice(len(shares), size=n_participants, p=shares / shares.sum()).astype(np.int8)
    angles = 2 * np.pi * np.arange(len(shares)) / len(shares)
    cluster_centres = 1.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    positions = cluster_centres[latent] + 0.6 * rng.standard_normal((n_participants, 2))
    loadings = rng.standard_normal((n_statements, 2))

    # Log-normal activity, rescaled so the expected total is close to the target.
    raw_activity = rng.lognormal(mean=0.0, sigma=1.0, size=n_participants)
    votes_per_participant = np.clip(np.rint(raw_activity * target_votes / raw_activity.sum()), 1, n_statements).astype(
        np.int64
    )
    popularity_log_weight = np.log(rng.pareto(1.5, size=n_statements) + 1.0)

    participant_chunks: list[NDArray[np.int32]] = []
    statement_chunks: list[NDArray[np.int32]] = []
    chunk_rows = 2048
    for start in range(0, n_participants, chunk_rows):
        stop = min(start + chunk_rows, n_participants)
        # Gumbel-top-k: the n largest (log weight + Gumbel noise) are a weighted sample without replacement.
        keys = popularity_log_weight[None, :] + rng.gumbel(size=(stop - start, n_statements))
        order = np.argsort(-keys, axis=1)
        counts = votes_per_participant[start:stop]
        take = np.arange(n_statements)[None, :] < counts[:, None]
        participant_chunks.append(np.repeat(np.arange(start, stop, dtype=np.int32), counts))
        statement_chunks.append(order[take].astype(np.int32))
    participant_index = np.concatenate(participant_chunks)
    statement_index = np.concatenate(statement_chunks)

    affinity = np.einsum("ij,ij->i", positions[participant_index], loadings[statement_index])
    affinity += 0.5 * rng.standard_normal(affinity.shape[0])
    vote = np.full(affinity.shape[0], PASS, dtype=np.int8)
    vote[affinity >= 0.5] = AGREE
    vote[affinity <= -0.5] = DISAGREE

    arrival = rng.permutation(participant_index.shape[0])
    moderated_out = rng.random(n_statements) < moderated_out_share
    sector = rng.integers(0, n_sectors, size=n_participants).astype(np.int16)
    return SyntheticConversation(
        participant_index=participant_index[arrival],
        statement_index=statement_index[arrival],
        vote=vote[arrival],
        n_participants=n_participants,
        n_statements=n_statements,
        moderated_out=moderated_out,
        latent_cluster=latent,
        sector=sector,
    )
