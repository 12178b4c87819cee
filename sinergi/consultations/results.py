"""Recomputing a consultation's opinion map: votes → `VoteMatrix` → engine update → stored summary.

Runs in a task (`sinergi.consultations.tasks`), never inside a request. The engine's dense indices are the
participants' `row_index` and the statements' `column_index`, both assigned once in creation order, so the pickled
`EngineState` of the previous result warm-starts the next update. Pending and rejected statements are moderated out.

The summary JSON holds everything the results page and the API show. Statements are referred to by their database
id and their text is read at render time from the accepted statements only, so a statement rejected after the
computation disappears from the results at once, not at the next recompute.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import string
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from numpy.typing import NDArray
from scipy.special import betaincinv

from sinergi.actors.models import Sector
from sinergi.consultations.models import Consultation, ConsultationResult, Participant, Statement, Vote
from sinergi.consultations.states import StatementStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.opinion.engine import EngineState, OpinionMap, VoteMatrix, update
from sinergi.opinion.engine.common_ground import CREDIBLE_LEVEL
from sinergi.regions.models import Region

logger = logging.getLogger(__name__)

SUMMARY_VERSION = 2  # 2: group-aware consensus carries each group's agree share and interval
# Participant positions kept in the summary (a fixed random sample beyond that); the page draws fewer.
STORED_POINTS = 2000
COORDINATE_DECIMALS = 3
SHARE_DECIMALS = 4
TOP_GROUP_AWARE = 5


def group_label(index: int) -> str:
    """Kelompok A, B, C, ... (the engine reports at most a handful of groups)."""
    letters = string.ascii_uppercase
    return letters[index] if index < len(letters) else f"{letters[index // 26 - 1]}{letters[index % 26]}"


@dataclass(frozen=True)
class Inputs:
    matrix: VoteMatrix
    moderated_out: NDArray[np.bool_]
    meta: NDArray[np.bool_]
    sector_of_participant: NDArray[np.int64]
    sector_codes: list[str]
    statement_id_of_column: dict[int, int]
    accepted_columns: set[int]
    participants: list[tuple[int, str, str]]  # (row_index, sector code, region code) of every participant
    change_sequence: int


def load_inputs(consultation: Consultation) -> Inputs:
    """Read the votes and the moderation state in one consistent snapshot (one transaction)."""
    with transaction.atomic():
        change_sequence = Consultation.objects.filter(pk=consultation.pk).values_list("vote_sequence", flat=True).get()
        statements = list(
            Statement.objects.filter(consultation=consultation).values_list("pk", "column_index", "status", "is_meta")
        )
        participants = list(
            Participant.objects.filter(consultation=consultation).values_list("row_index", "sector__code", "region_id")
        )
        votes = Vote.objects.filter(consultation=consultation).values_list(
            "participant__row_index", "statement__column_index", "value"
        )
        triples = np.fromiter(
            (item for vote in votes.iterator(chunk_size=20_000) for item in vote), dtype=np.int64
        ).reshape(-1, 3)
    n_statements = max((column for _, column, _, _ in statements), default=-1) + 1
    n_participants = max((row for row, _, _ in participants), default=-1) + 1
    matrix = VoteMatrix.from_votes(
        triples[:, 0], triples[:, 1], triples[:, 2], n_participants=n_participants, n_statements=n_statements
    )
    moderated_out = np.ones(n_statements, dtype=bool)  # gaps in the column numbering count as moderated out
    meta = np.zeros(n_statements, dtype=bool)
    accepted: set[int] = set()
    for _pk, column, status, is_meta in statements:
        if status == StatementStatus.ACCEPTED:
            moderated_out[column] = False
            accepted.add(column)
        meta[column] = is_meta
    sector_codes = list(Sector.objects.order_by("order", "pk").values_list("code", flat=True))
    sector_index = {code: index for index, code in enumerate(sector_codes)}
    sector_of_participant = np.full(n_participants, -1, dtype=np.int64)
    for row, code, _region in participants:
        if code is not None:
            sector_of_participant[row] = sector_index.get(code, -1)
    return Inputs(
        matrix=matrix,
        moderated_out=moderated_out,
        meta=meta,
        sector_of_participant=sector_of_participant,
        sector_codes=sector_codes,
        statement_id_of_column={column: pk for pk, column, _, _ in statements},
        accepted_columns=accepted,
        participants=[(row, code or "", region or "") for row, code, region in participants],
        change_sequence=change_sequence,
    )


def votes_digest(matrix: VoteMatrix) -> str:
    """SHA-256 over the counted votes as lines ``row,column,value`` sorted by row then column (UTF-8, each line
    ending in a newline): anyone with the vote export can recompute it."""
    digest = hashlib.sha256()
    rows = np.repeat(np.arange(matrix.n_participants), np.diff(matrix.indptr))
    chunk = 50_000
    for start in range(0, rows.shape[0], chunk):
        lines = zip(
            rows[start : start + chunk].tolist(),
            matrix.statements[start : start + chunk].tolist(),
            matrix.votes[start : start + chunk].tolist(),
            strict=True,
        )
        digest.update("".join(f"{row},{column},{value}\n" for row, column, value in lines).encode())
    return digest.hexdigest()


def _previous_state(consultation: Consultation) -> EngineState | None:
    blob = ConsultationResult.objects.filter(consultation=consultation).values_list("engine_state", flat=True).first()
    if not blob:
        return None
    try:
        state = pickle.loads(bytes(blob))  # noqa: S301 — written by `store_result` below, never user input
    except Exception:  # an incompatible engine version: start cold
        logger.warning("consultation %s: previous engine state unreadable, cold start", consultation.pk)
        return None
    return state if isinstance(state, EngineState) else None


def _round(value: float, decimals: int = SHARE_DECIMALS) -> float:
    return round(float(value), decimals)


def _share(part: int, whole: int) -> float:
    return _round(part / whole) if whole else 0.0


def _hull(points: NDArray[np.float64]) -> list[list[float]]:
    if points.shape[0] < 3:
        return []
    from scipy.spatial import ConvexHull, QhullError

    try:
        hull = ConvexHull(points)
    except (QhullError, ValueError):
        return []
    return [[_round(x, COORDINATE_DECIMALS), _round(y, COORDINATE_DECIMALS)] for x, y in points[hull.vertices]]


def group_aware_entry(result: OpinionMap, statement_id: int, column: int) -> dict[str, Any]:
    """One statement of the group-aware consensus with every opinion group's share agreeing: the engine's posterior
    mean and lower credible bound (the common-ground blocs), and the upper bound, which the engine computes for its
    own ranked statements only. ``confident`` as for common ground: every group's lower bound is above one half."""
    ground = result.common_ground
    stats = result.group_stats.stats
    bloc_rows = [ground.bloc_names.index(f"group:{g}") for g in range(result.group_count)]
    lowers = [float(ground.agree_lower[row, column]) for row in bloc_rows]
    groups = []
    for g, (bloc_row, lower) in enumerate(zip(bloc_rows, lowers, strict=True)):
        agree, seen = int(stats.agree[g, column]), int(stats.seen[g, column])
        upper = betaincinv(agree + 1.0, seen - agree + 1.0, (1.0 + CREDIBLE_LEVEL) / 2.0)
        label = group_label(g)
        groups.append(
            {
                "kind": "group",
                "key": label,
                "label": label,
                "agree": agree,
                "disagree": int(stats.disagree[g, column]),
                "seen": seen,
                "mean": _round(ground.agree_mean[bloc_row, column]),
                "lower": _round(lower),
                "upper": _round(upper),
            }
        )
    return {
        "statement": statement_id,
        "value": _round(result.group_aware_consensus_agree[column]),
        "confident": bool(lowers) and min(lowers) > 0.5,
        "groups": groups,
    }


def build_summary(inputs: Inputs, result: OpinionMap, sector_names: dict[str, str]) -> dict[str, Any]:
    """The JSON the pages and the API render: no participant ids, positions rounded."""
    pk_of = inputs.statement_id_of_column
    accepted = inputs.accepted_columns
    groups_of = result.group_of_participant
    clustered = np.flatnonzero(groups_of >= 0)
    positions = result.projection.participants

    sample = clustered
    if sample.shape[0] > STORED_POINTS:
        sample = np.sort(np.random.default_rng(0).choice(clustered, STORED_POINTS, replace=False))
    # Ordered by group and position, not by participant, so the list cannot be matched to join order.
    points = sorted(
        [
            [
                _round(positions[i, 0], COORDINATE_DECIMALS),
                _round(positions[i, 1], COORDINATE_DECIMALS),
                int(groups_of[i]),
            ]
            for i in sample
        ],
        key=lambda point: (point[2], point[0], point[1]),
    )

    stats = result.group_stats.stats
    groups = []
    for g in range(result.group_count):
        members = clustered[groups_of[clustered] == g]
        representative = []
        for entry in result.representative[g]:
            j = entry.statement
            if j not in accepted:
                continue
            seen = int(stats.seen[g, j])
            representative.append(
                {
                    "statement": pk_of[j],
                    "direction": entry.direction,
                    "agree": _share(int(stats.agree[g, j]), seen),
                    "disagree": _share(int(stats.disagree[g, j]), seen),
                    "seen": seen,
                    "repness": _round(entry.repness),
                }
            )
        centre = result.group_centres[g] if g < result.group_centres.shape[0] else np.zeros(2)
        groups.append(
            {
                "label": group_label(g),
                "size": int(members.shape[0]),
                "centre": [_round(centre[0], COORDINATE_DECIMALS), _round(centre[1], COORDINATE_DECIMALS)],
                "hull": _hull(positions[members]),
                "representative": representative,
            }
        )

    def consensus(entries: list[Any]) -> list[dict[str, Any]]:
        return [
            {"statement": pk_of[e.statement], "share": _share(e.n_success, e.n_trials), "seen": e.n_trials}
            for e in entries
            if e.statement in accepted
        ]

    everybody = result.everybody_stats
    gac = result.group_aware_consensus_agree
    columns = sorted(accepted)
    by_gac = sorted(columns, key=lambda j: (-gac[j], j))[:TOP_GROUP_AWARE] if result.group_count else []

    def bloc(entry: Any) -> dict[str, Any]:
        kind, _, key = entry.bloc.partition(":")
        if kind == "group":
            key = group_label(int(key))
            label = key
        else:
            label = sector_names.get(key, key)
        return {
            "kind": kind,
            "key": key,
            "label": label,
            "agree": entry.agree,
            "disagree": entry.disagree,
            "seen": entry.seen,
            "mean": _round(entry.agree_mean),
            "lower": _round(entry.agree_lower),
            "upper": _round(entry.agree_upper),
        }

    common_ground = [
        {
            "statement": pk_of[item.statement],
            "score": _round(item.score),
            "probability_all_agree": _round(item.probability_all_blocs_agree),
            "weakest": next((bloc(b) for b in item.blocs if b.bloc == item.weakest_bloc), {"kind": "", "label": ""}),
            "confident": bool(item.confident),
            "blocs": [bloc(b) for b in item.blocs],
        }
        for item in result.common_ground.ranked
        if item.statement in accepted
    ]

    voted_rows = {int(row) for row in np.flatnonzero(inputs.matrix.votes_per_participant() > 0)}
    by_sector: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for row, sector, region in inputs.participants:
        if row in voted_rows:
            by_sector[sector] = by_sector.get(sector, 0) + 1
            by_region[region] = by_region.get(region, 0) + 1
    region_names = dict(
        Region.objects.filter(code__in=[code for code in by_region if code]).values_list("code", "name")
    )

    return {
        "version": SUMMARY_VERSION,
        "participant_count": len(voted_rows),
        "clustered_count": int(clustered.shape[0]),
        "vote_count": int(inputs.matrix.votes.shape[0]),
        "statement_count": len(accepted),
        "group_count": result.group_count,
        "point_count": int(clustered.shape[0]),
        "points": points,
        "groups": groups,
        "consensus": {
            "agree": consensus(result.consensus.agree),
            "disagree": consensus(result.consensus.disagree),
        },
        "group_aware_consensus": [group_aware_entry(result, pk_of[j], j) for j in by_gac],
        "common_ground": common_ground,
        "participation": {
            "by_sector": [
                {"code": code, "name": sector_names.get(code, code), "count": by_sector[code]}
                for code in [*inputs.sector_codes, ""]
                if by_sector.get(code)
            ],
            "by_kelurahan": sorted(
                [
                    {"code": code, "name": region_names.get(code, code), "count": count}
                    for code, count in by_region.items()
                ],
                key=lambda item: (item["code"] == "", -item["count"], item["name"]),
            ),
        },
        "statements": {
            str(pk_of[j]): [int(everybody.agree[0, j]), int(everybody.disagree[0, j]), int(everybody.seen[0, j])]
            for j in columns
        },
        "priorities": {str(pk_of[j]): _round(result.priorities[j], 6) for j in columns},
    }


def empty_summary(inputs: Inputs) -> dict[str, Any]:
    return {
        "version": SUMMARY_VERSION,
        "participant_count": 0,
        "clustered_count": 0,
        "vote_count": 0,
        "statement_count": len(inputs.accepted_columns),
        "group_count": 0,
        "point_count": 0,
        "points": [],
        "groups": [],
        "consensus": {"agree": [], "disagree": []},
        "group_aware_consensus": [],
        "common_ground": [],
        "participation": {"by_sector": [], "by_kelurahan": []},
        "statements": {},
        "priorities": {},
    }


def recompute(consultation: Consultation) -> ConsultationResult | None:
    """Compute and store the consultation's result; returns it (None when a newer result was stored meanwhile).
    Writes one public log entry when the counted votes changed."""
    inputs = load_inputs(consultation)
    previous = _previous_state(consultation)
    sector_names = dict(Sector.objects.values_list("code", "name"))
    state_blob: bytes | None = None
    if inputs.matrix.votes.shape[0] == 0:
        summary = empty_summary(inputs)
    else:
        try:
            result = update(
                inputs.matrix,
                inputs.moderated_out,
                meta=inputs.meta,
                sector_of_participant=inputs.sector_of_participant,
                sector_names=inputs.sector_codes,
                previous=previous,
            )
        except (ValueError, IndexError):
            if previous is None:
                raise
            logger.warning("consultation %s: warm start failed, cold start", consultation.pk)
            result = update(
                inputs.matrix,
                inputs.moderated_out,
                meta=inputs.meta,
                sector_of_participant=inputs.sector_of_participant,
                sector_names=inputs.sector_codes,
            )
        summary = build_summary(inputs, result, sector_names)
        state_blob = pickle.dumps(result.state, protocol=pickle.HIGHEST_PROTOCOL)
    digest = votes_digest(inputs.matrix)
    return store_result(consultation, inputs, summary, state_blob, digest)


@transaction.atomic
def store_result(
    consultation: Consultation, inputs: Inputs, summary: dict[str, Any], state_blob: bytes | None, digest: str
) -> ConsultationResult | None:
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
    stored = ConsultationResult.objects.filter(consultation=consultation).first()
    if stored is not None and stored.change_sequence > inputs.change_sequence:
        return None  # a concurrent recompute saw more votes; keep its result
    previous_digest = stored.votes_digest if stored else ""
    values = {
        "computed_at": timezone.now(),
        "change_sequence": inputs.change_sequence,
        "participant_count": summary["participant_count"],
        "vote_count": summary["vote_count"],
        "group_count": summary["group_count"],
        "summary": summary,
        "engine_state": state_blob,
        "votes_digest": digest,
    }
    result, _ = ConsultationResult.objects.update_or_create(consultation=consultation, defaults=values)
    if digest != previous_digest:
        ledger_record(
            event=LedgerEvent.CONSULTATION_RESULT_PUBLISHED,
            actor=None,
            subject_type="consultation",
            subject_id=str(consultation.uid),
            data={
                "consultation": consultation.slug,
                "participants": summary["participant_count"],
                "votes": summary["vote_count"],
                "statements": summary["statement_count"],
                "groups": summary["group_count"],
                "change_sequence": inputs.change_sequence,
                "votes_digest": digest,
            },
        )
    return result
