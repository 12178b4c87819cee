"""Read a conversation in the Polis open-data export format (compdemocracy/openData) into engine inputs.

Files: ``votes.csv`` (vote events; export sign agree = +1) or, when absent, ``participants-votes.csv`` (the final
matrix), plus ``comments.csv`` (``moderated`` −1 = moderated out). Any file may be gzipped (``name.csv.gz``).
Participant and statement indices are Polis's pid and tid.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .matrix import VoteMatrix


@dataclass(frozen=True, eq=False)
class PolisConversation:
    """Votes in arrival order (``timestamp`` 0 when only the final matrix exists) and Polis's exported groups."""

    participant_index: NDArray[np.int64]
    statement_index: NDArray[np.int64]
    vote: NDArray[np.int8]
    timestamp: NDArray[np.int64]
    n_participants: int
    n_statements: int
    moderated_out: NDArray[np.bool_]
    exported_group: NDArray[np.int64]  # −1 where the export has no group id

    def matrix(self) -> VoteMatrix:
        """The final matrix: the latest vote per (participant, statement)."""
        return VoteMatrix.from_votes(
            self.participant_index,
            self.statement_index,
            self.vote,
            self.n_participants,
            self.n_statements,
            deduplicate=True,
        )


def _open_text(directory: Path, name: str) -> io.TextIOBase | None:
    plain, packed = directory / name, directory / f"{name}.gz"
    if plain.exists():
        return open(plain, encoding="utf-8", newline="")
    if packed.exists():
        return io.TextIOWrapper(gzip.open(packed, "rb"), encoding="utf-8", newline="")
    return None


def load_polis_export(directory: str | Path) -> PolisConversation:
    """Load one conversation directory; votes are sorted stably by timestamp so the latest vote wins."""
    folder = Path(directory)
    matrix_file = _open_text(folder, "participants-votes.csv")
    if matrix_file is None:
        raise FileNotFoundError(f"{folder}/participants-votes.csv")
    groups: dict[int, int] = {}
    matrix_cells: list[tuple[int, int, int]] = []
    with matrix_file:
        reader = csv.reader(matrix_file)
        header = next(reader)
        statement_columns = [(position, int(name)) for position, name in enumerate(header) if name.isdigit()]
        participant_column, group_column = header.index("participant"), header.index("group-id")
        for row in reader:
            pid = int(row[participant_column])
            if row[group_column] != "":
                groups[pid] = int(row[group_column])
            matrix_cells.extend(
                (pid, tid, int(float(row[position]))) for position, tid in statement_columns if row[position] != ""
            )

    votes_file = _open_text(folder, "votes.csv")
    if votes_file is not None:
        with votes_file:
            events = [
                (int(row["timestamp"]), int(row["voter-id"]), int(row["comment-id"]), int(row["vote"]))
                for row in csv.DictReader(votes_file)
            ]
        events.sort(key=lambda event: event[0])  # stable: equal timestamps keep file order
        timestamp = np.array([event[0] for event in events], dtype=np.int64)
        participants = np.array([event[1] for event in events], dtype=np.int64)
        statements = np.array([event[2] for event in events], dtype=np.int64)
        votes = np.array([event[3] for event in events], dtype=np.int8)
    else:
        participants = np.array([cell[0] for cell in matrix_cells], dtype=np.int64)
        statements = np.array([cell[1] for cell in matrix_cells], dtype=np.int64)
        votes = np.array([cell[2] for cell in matrix_cells], dtype=np.int8)
        timestamp = np.zeros(participants.shape[0], dtype=np.int64)

    moderated: set[int] = set()
    all_statements = {int(tid) for _, tid in statement_columns}
    comments_file = _open_text(folder, "comments.csv")
    if comments_file is not None:
        with comments_file:
            for comment in csv.DictReader(comments_file):
                all_statements.add(int(comment["comment-id"]))
                if int(comment["moderated"]) == -1:
                    moderated.add(int(comment["comment-id"]))
    n_participants = max(int(participants.max(initial=-1)) + 1, max(groups, default=-1) + 1)
    n_statements = max(int(statements.max(initial=-1)) + 1, max(all_statements, default=-1) + 1)
    moderated_out = np.zeros(n_statements, dtype=bool)
    moderated_out[list(moderated)] = True
    exported_group = np.full(n_participants, -1, dtype=np.int64)
    for pid, group in groups.items():
        exported_group[pid] = group
    return PolisConversation(
        participant_index=participants,
        statement_index=statements,
        vote=votes,
        timestamp=timestamp,
        n_participants=n_participants,
        n_statements=n_statements,
        moderated_out=moderated_out,
        exported_group=exported_group,
    )


def adjusted_rand_index(labels_a: NDArray[np.int64], labels_b: NDArray[np.int64]) -> float:
    """Hubert–Arabie adjusted Rand index of two labelings of the same items (1 = identical partitions)."""
    _, a = np.unique(labels_a, return_inverse=True)
    _, b = np.unique(labels_b, return_inverse=True)
    table = np.zeros((a.max(initial=-1) + 1, b.max(initial=-1) + 1))
    np.add.at(table, (a, b), 1)

    def pairs(counts: NDArray[np.float64]) -> float:
        return float((counts * (counts - 1) / 2).sum())

    index = pairs(table)
    expected_a, expected_b = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    if a.shape[0] != b.shape[0] or a.shape[0] < 2:
        raise ValueError("need two labelings of the same two or more items")
    total = pairs(np.array([float(a.shape[0])]))
    expected = expected_a * expected_b / total
    maximum = (expected_a + expected_b) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
