"""Runs red-dwarf 0.4.0 on one conversation, for `bench/opinion.py` (executed by the throwaway red-dwarf venv's
Python, so it must not import anything from this project).

Usage: python reddwarf_runner.py INPUT.npz REPEATS OUTPUT.json [stats LABELS.json]

Input arrays: participant_index, statement_index, vote (+1 agree), moderated_out (bool per statement).
Timed: `reddwarf.implementations.polis.run_pipeline(votes, mod_out_statement_ids, random_state=0)` with every
other argument at its default — exactly what the reference measurements in polis-math.md §5 timed. Building the
vote dicts is not timed. Peak memory: the process's peak resident set, reset (Linux clear_refs) just before the
first timed call, so it is the update's own peak including the data it holds.

In ``stats`` mode it instead computes red-dwarf's per-statement statistics for a given group assignment (used once
to produce the engine's test fixture).
"""

import json
import sys
import time

import numpy as np


def read_json(path):
    with open(path) as handle:
        return json.load(handle)


def write_json(path, payload, **options):
    with open(path, "w") as handle:
        json.dump(payload, handle, **options)


def read_status(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def load(path):
    data = np.load(path)
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": float(i)}
        for i, (p, s, v) in enumerate(
            zip(data["participant_index"], data["statement_index"], data["vote"], strict=True)
        )
    ]
    mod_out = [int(i) for i in np.flatnonzero(data["moderated_out"])]
    return votes, mod_out


def run(path, repeats, output):
    import_start = time.perf_counter()
    from reddwarf.implementations.polis import run_pipeline

    import_seconds = time.perf_counter() - import_start
    votes, mod_out = load(path)
    rss_before = read_status("VmRSS")
    peak_reset = reset_peak()
    times = []
    cpu_times = []
    result = None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - start_cpu)
    peak = read_status("VmHWM")
    participants = result.participants_df
    labels = {int(pid): int(label) for pid, label in participants["cluster_id"].dropna().items()}
    write_json(
        output,
        {
            "times": times,
            "cpu_times": cpu_times,
            "import_seconds": import_seconds,
            "rss_before_bytes": rss_before,
            "peak_rss_bytes": peak,
            "peak_reset": peak_reset,
            "labels": labels,
            "repness": {str(g): [s["tid"] for s in rows] for g, rows in result.repness.items()},
            "consensus_agree": [s["tid"] for s in result.consensus["agree"]],
            "consensus_disagree": [s["tid"] for s in result.consensus["disagree"]],
        },
    )


def stats(path, labels_path, output):
    """red-dwarf's statistics for a fixed assignment: the same functions run_pipeline calls after clustering."""
    from reddwarf.utils.consensus import select_consensus_statements
    from reddwarf.utils.matrix import generate_raw_matrix
    from reddwarf.utils.stats import calculate_comment_statistics_dataframes, select_representative_statements

    votes, mod_out = load(path)
    assignment = {int(k): int(v) for k, v in read_json(labels_path).items()}
    raw = generate_raw_matrix(votes=votes)
    ids = sorted(pid for pid in assignment if pid in raw.index)
    labels = np.array([assignment[pid] for pid in ids])
    grouped, gac = calculate_comment_statistics_dataframes(vote_matrix=raw.loc[ids, :], cluster_labels=labels)
    repness = select_representative_statements(grouped_stats_df=grouped, mod_out_statement_ids=mod_out)
    consensus = select_consensus_statements(vote_matrix=raw, mod_out_statement_ids=mod_out)
    columns = ["na", "nd", "ns", "pa", "pd", "pat", "pdt", "ra", "rd", "rat", "rdt"]
    rows = []
    for (group, statement), row in grouped.iterrows():
        rows.append({"group": int(group), "statement": int(statement), **{c: float(row[c]) for c in columns}})
    write_json(
        output,
        {
            "group_statement_stats": rows,
            "group_aware_consensus_agree": {int(k): float(v) for k, v in gac["group-aware-consensus-agree"].items()},
            "group_aware_consensus_disagree": {
                int(k): float(v) for k, v in gac["group-aware-consensus-disagree"].items()
            },
            "repness": {
                str(g): [
                    {"tid": s["tid"], "repful-for": s["repful-for"], "best-agree": bool(s.get("best-agree"))}
                    for s in rows_
                ]
                for g, rows_ in repness.items()
            },
            "consensus_agree": [s["tid"] for s in consensus["agree"]],
            "consensus_disagree": [s["tid"] for s in consensus["disagree"]],
        },
        indent=0,
    )


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[4] == "stats":
        stats(sys.argv[1], sys.argv[5], sys.argv[3])
    else:
        run(sys.argv[1], int(sys.argv[2]), sys.argv[3])
