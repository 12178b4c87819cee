"""Benchmark of the opinion-mapping engine against red-dwarf 0.4.0, in the same run.

    .venv/bin/python bench/opinion.py [--data DIR] [--repeats N] [--skip-synthetic] [--fixture]

red-dwarf is NOT a project dependency: it is installed into a throwaway venv (/tmp/reddwarf-venv, created on first
use with `pip install red-dwarf==0.4.0`) and run in a subprocess by `bench/opinion/reddwarf_runner.py`. The engine
runs in its own subprocess too (this file with `--engine-child`), so each side's peak memory is its own.

For every conversation both sides get the same final votes (latest per participant and statement) and moderated-out
statements. Timed: a full update from vote arrays to groups, repness, consensus and priorities (red-dwarf:
`run_pipeline`; engine: `VoteMatrix.from_votes` + `update`, cold). For the engine also: a warm update after 100 new
votes (`with_votes` + `update(previous=state)`). Peak memory: the process's peak resident set, reset just before the
first timed call. Printed: median time, peak RSS, ratios, and the adjusted Rand index of each side's groups against
the group ids Polis exported (participants that both label).

``--fixture`` also writes red-dwarf's statistics for the engine's group assignment on biodiversity to
`sinergi/opinion/engine/tests/data/reddwarf_stats_biodiversity.json` (how the test fixture was produced).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sinergi.opinion.engine.matrix import VoteMatrix  # noqa: E402
from sinergi.opinion.engine.polis_export import adjusted_rand_index, load_polis_export  # noqa: E402
from sinergi.opinion.engine.synthetic import synthetic_conversation  # noqa: E402

REDDWARF_VENV = Path("/tmp/reddwarf-venv")
REDDWARF_RUNNER = Path(__file__).resolve().parent / "opinion" / "reddwarf_runner.py"
CONVERSATIONS = [
    "austria-climate.5twd2jsnkf.2022-08-08",
    "scoop-hivemind.biodiversity",
    "bg2050-volunteers",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
    "canadian-electoral-reform",
    "15-per-hour-seattle",
]
RECENT_MATH = {
    "austria-climate.5twd2jsnkf.2022-08-08": 0.95,
    "scoop-hivemind.biodiversity": 0.95,
    "bg2050-volunteers": 0.95,
    "vtaiwan.uberx": 0.90,
}
WARM_NEW_VOTES = 100


def _status(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def ensure_reddwarf() -> Path:
    python = REDDWARF_VENV / "bin" / "python"
    check = subprocess.run([str(python), "-c", "import reddwarf"], capture_output=True) if python.exists() else None
    if check is None or check.returncode != 0:
        print("installing red-dwarf==0.4.0 into", REDDWARF_VENV, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(REDDWARF_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "red-dwarf==0.4.0"], check=True)
    return python


def engine_child(path: str, repeats: int, output: str) -> None:
    """Runs inside its own process: cold full updates, then warm updates after 100 new votes."""
    from sinergi.opinion.engine import update

    data = np.load(path)
    participants, statements, votes = data["participant_index"], data["statement_index"], data["vote"]
    moderated_out = data["moderated_out"]
    n_participants, n_statements = int(data["n_participants"]), int(data["n_statements"])
    sectors = data.get("sector", None)
    rss_before = _status("VmRSS")
    peak_reset = _reset_peak()
    cold_times: list[float] = []
    cold_cpu: list[float] = []
    result = None
    matrix = None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        matrix = VoteMatrix.from_votes(participants, statements, votes, n_participants, n_statements)
        result = update(matrix, moderated_out, sector_of_participant=sectors)
        cold_times.append(time.perf_counter() - start)
        cold_cpu.append(time.process_time() - start_cpu)
    peak = _status("VmHWM")
    assert result is not None and matrix is not None
    rng = np.random.default_rng(2026)
    warm_times: list[float] = []
    warm_cpu: list[float] = []
    state = result.state
    labels_before = result.group_of_participant
    warm_result = result
    for round_index in range(max(repeats, 3) + 1):
        new_participants = rng.integers(0, n_participants, WARM_NEW_VOTES)
        new_statements = rng.choice(np.flatnonzero(~moderated_out[:n_statements]), WARM_NEW_VOTES)
        new_votes = rng.integers(-1, 2, WARM_NEW_VOTES)
        start, start_cpu = time.perf_counter(), time.process_time()
        matrix = matrix.with_votes(new_participants, new_statements, new_votes)
        warm_result = update(matrix, moderated_out, sector_of_participant=sectors, previous=state)
        if round_index == 0:
            # The first warm update continues base k-means where the cold start's 100-step cap stopped it (as in
            # Polis), so stability and warm timing are measured from the second update on.
            labels_before = warm_result.group_of_participant
        else:
            warm_times.append(time.perf_counter() - start)
            warm_cpu.append(time.process_time() - start_cpu)
        state = warm_result.state
    both = (labels_before >= 0) & (warm_result.group_of_participant >= 0)
    summary = (
        {
            "times": cold_times,
            "cpu_times": cold_cpu,
            "warm_times": warm_times,
            "warm_cpu_times": warm_cpu,
            "rss_before_bytes": rss_before,
            "peak_rss_bytes": peak,
            "peak_reset": peak_reset,
            "labels": {int(i): int(g) for i, g in enumerate(result.group_of_participant) if g >= 0},
            "warm_stability_ari": adjusted_rand_index(labels_before[both], warm_result.group_of_participant[both])
            if both.sum() > 1
            else 1.0,
            "group_count": result.group_count,
            "base_iterations": result.base_clusters.iterations,
        },
    )
    Path(output).write_text(json.dumps(summary[0]))


def run_child(command: list[str], output: Path) -> dict:
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{completed.stderr[-3000:]}")
    return json.loads(output.read_text())


def write_input(path: Path, participants, statements, votes, moderated_out, n_participants, n_statements, **extra):
    np.savez(
        path,
        participant_index=np.asarray(participants, dtype=np.int64),
        statement_index=np.asarray(statements, dtype=np.int64),
        vote=np.asarray(votes, dtype=np.int8),
        moderated_out=np.asarray(moderated_out, dtype=bool),
        n_participants=n_participants,
        n_statements=n_statements,
        **extra,
    )


def ari_against(json_labels: dict, exported: np.ndarray) -> float:
    labels = {int(pid): int(group) for pid, group in json_labels.items()}
    ids = [pid for pid in labels if pid < exported.shape[0] and exported[pid] >= 0]
    if len(ids) < 2:
        return float("nan")
    return adjusted_rand_index(np.array([labels[pid] for pid in ids]), exported[ids])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "polis"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--only", nargs="*", help="conversation folder names (default: a standard set)")
    parser.add_argument("--fixture", action="store_true")
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="set OPENBLAS/OMP/MKL thread counts for both children (multithreaded BLAS on a busy machine can be "
        "much slower than one thread; the setting is printed and applies to both sides alike)",
    )
    parser.add_argument("--engine-child", nargs=3, metavar=("INPUT", "REPEATS", "OUTPUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.engine_child:
        engine_child(arguments.engine_child[0], int(arguments.engine_child[1]), arguments.engine_child[2])
        return

    if arguments.blas_threads:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[variable] = str(arguments.blas_threads)
    reddwarf_python = ensure_reddwarf()
    load = os.getloadavg()
    print(
        f"cores: {os.cpu_count()}  load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}  "
        f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'library default')}"
    )
    print("times are medians of in-process repeats; peak = peak RSS of the process during the timed calls\n")
    header = (
        f"{'conversation':24s} {'shape':>10s} {'votes':>9s} | {'engine s':>8s} {'cpu s':>6s} {'warm ms':>7s} "
        f"{'cpu ms':>6s} {'peak MB':>7s} {'ARI':>5s} | {'red-dwarf s':>11s} {'cpu s':>7s} {'peak MB':>7s} "
        f"{'ARI':>5s} | {'speed-up':>8s} {'cpu':>6s} {'memory':>6s}"
    )
    print(header)
    print("-" * len(header))
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        cases: list[tuple[str, Path, np.ndarray | None, str]] = []
        data_dir = Path(arguments.data)
        for name in arguments.only or CONVERSATIONS:
            conversation = load_polis_export(data_dir / name)
            final = conversation.matrix()
            input_path = scratch / f"{name}.npz"
            write_input(
                input_path,
                final.participants,
                final.statements,
                final.votes,
                conversation.moderated_out,
                final.n_participants,
                final.n_statements,
            )
            shape = f"{int((final.votes_per_participant() > 0).sum())}×{int((np.bincount(final.statements) > 0).sum())}"
            cases.append((name, input_path, conversation.exported_group, shape))
        if not arguments.skip_synthetic:
            synthetic = synthetic_conversation()
            input_path = scratch / "synthetic.npz"
            write_input(
                input_path,
                synthetic.participant_index,
                synthetic.statement_index,
                synthetic.vote,
                synthetic.moderated_out,
                synthetic.n_participants,
                synthetic.n_statements,
                sector=synthetic.sector,
            )
            cases.append(
                ("synthetic (seed 12345)", input_path, None, f"{synthetic.n_participants}×{synthetic.n_statements}")
            )

        for name, input_path, exported, shape in cases:
            is_big = exported is None
            repeats = arguments.repeats
            engine_out = scratch / "engine.json"
            engine = run_child(
                [sys.executable, __file__, "--engine-child", str(input_path), str(repeats), str(engine_out)],
                engine_out,
            )
            reddwarf_out = scratch / "reddwarf.json"
            reddwarf = run_child(
                [str(reddwarf_python), str(REDDWARF_RUNNER), str(input_path), str(1 if is_big else repeats),
                 str(reddwarf_out)],
                reddwarf_out,
            )  # fmt: skip
            engine_time = statistics.median(engine["times"])
            engine_cpu = statistics.median(engine["cpu_times"])
            warm_ms = 1000 * statistics.median(engine["warm_times"])
            warm_cpu_ms = 1000 * statistics.median(engine["warm_cpu_times"])
            reddwarf_time = statistics.median(reddwarf["times"])
            reddwarf_cpu = statistics.median(reddwarf["cpu_times"])
            engine_peak = engine["peak_rss_bytes"] / 2**20
            reddwarf_peak = reddwarf["peak_rss_bytes"] / 2**20
            engine_ari = ari_against(engine["labels"], exported) if exported is not None else float("nan")
            reddwarf_ari = ari_against(reddwarf["labels"], exported) if exported is not None else float("nan")
            votes = int(np.load(input_path)["vote"].shape[0])
            row = {
                "conversation": name,
                "shape": shape,
                "votes": votes,
                "engine_seconds": engine_time,
                "engine_cpu_seconds": engine_cpu,
                "engine_warm_ms": warm_ms,
                "engine_warm_cpu_ms": warm_cpu_ms,
                "reddwarf_cpu_seconds": reddwarf_cpu,
                "cpu_speedup": reddwarf_cpu / engine_cpu,
                "engine_peak_mb": engine_peak,
                "engine_ari": engine_ari,
                "reddwarf_seconds": reddwarf_time,
                "reddwarf_peak_mb": reddwarf_peak,
                "reddwarf_ari": reddwarf_ari,
                "speedup": reddwarf_time / engine_time,
                "memory_ratio": engine_peak / reddwarf_peak,
                "engine_warm_stability_ari": engine["warm_stability_ari"],
            }
            rows.append(row)
            print(
                f"{name[:24]:24s} {shape:>10s} {votes:>9,d} | {engine_time:8.3f} {engine_cpu:6.3f} {warm_ms:7.1f} "
                f"{warm_cpu_ms:6.1f} {engine_peak:7.0f} {engine_ari:5.3f} | {reddwarf_time:11.3f} {reddwarf_cpu:7.2f} "
                f"{reddwarf_peak:7.0f} {reddwarf_ari:5.3f} | {row['speedup']:7.1f}× {row['cpu_speedup']:5.1f}× "
                f"{row['memory_ratio']:6.2f}",
                flush=True,
            )

            if arguments.fixture and name == "scoop-hivemind.biodiversity":
                labels_path = scratch / "labels.json"
                labels_path.write_text(json.dumps(engine["labels"]))
                stats_path = scratch / "stats.json"
                subprocess.run(
                    [str(reddwarf_python), str(REDDWARF_RUNNER), str(input_path), "1", str(stats_path), "stats",
                     str(labels_path)],
                    check=True,
                    capture_output=True,
                )  # fmt: skip
                fixture_data = json.loads(stats_path.read_text())
                fixture_data["labels"] = engine["labels"]
                fixture_data["produced_by"] = (
                    "bench/opinion.py --fixture: red-dwarf 0.4.0 calculate_comment_statistics_dataframes, "
                    "select_representative_statements and select_consensus_statements on the final votes of "
                    "scoop-hivemind.biodiversity, for the engine's cold-start group assignment in 'labels'"
                )
                fixture = ROOT / "sinergi/opinion/engine/tests/data/reddwarf_stats_biodiversity.json.gz"
                with gzip.open(fixture, "wt", encoding="utf-8") as handle:
                    json.dump(fixture_data, handle)
                print("  wrote", fixture.relative_to(ROOT))

    print()
    for row in rows:
        target = RECENT_MATH.get(row["conversation"])
        if target is not None:
            verdict = "ok" if row["engine_ari"] >= target and row["engine_ari"] > row["reddwarf_ari"] else "MISSED"
            print(
                f"ARI {row['conversation']}: engine {row['engine_ari']:.3f} (target ≥ {target}, "
                f"red-dwarf {row['reddwarf_ari']:.3f}) {verdict}"
            )
    big = [row for row in rows if row["conversation"].startswith("synthetic")]
    for row in big:
        print(
            f"production size: full update {row['engine_seconds']:.3f} s wall, {row['engine_cpu_seconds']:.3f} s CPU "
            f"(target ≤ 1 s); {row['speedup']:.1f}× faster than red-dwarf by wall time, {row['cpu_speedup']:.1f}× by "
            f"CPU time (target ≥ 20×); peak memory {row['memory_ratio']:.2f} of red-dwarf's (target ≤ 0.33); warm "
            f"update after {WARM_NEW_VOTES} votes {row['engine_warm_ms']:.0f} ms wall, "
            f"{row['engine_warm_cpu_ms']:.0f} ms CPU (target ≤ 100 ms); groups across warm updates: ARI "
            f"{row['engine_warm_stability_ari']:.3f}"
        )
    load = os.getloadavg()
    print(
        f"load average at end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (other work on the machine slows both sides)"
    )


if __name__ == "__main__":
    main()
