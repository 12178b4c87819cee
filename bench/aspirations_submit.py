"""Aspiration submissions per second over HTTP, with the same-run `/ping/` baseline and a loss count.

    .venv/bin/python bench/aspirations_submit.py [--duration 10] [--connections 16]
        [--tasks-backend database|immediate|<class path>] [--workers 3] [--worker-class sync] [--preload]
        [--workdir DIR]

1. Builds a SQLite database in a temporary directory (migrate; Kota Blitar regions, organisations and
   the aspiration categories; `--workdir` keeps it and reuses it next time, migrating it first),
   or uses PostgreSQL too when
   `DATABASE_URL` points at one (the bench writes rows with keys `bench-…` into that database).
2. Starts gunicorn (`config.wsgi`, DEBUG off; 3 sync workers by default) with `bench/http.py`'s
   `start_server` and warms each worker (the routing model is trained once per process on its first
   submission). Tasks backend: `database` by default, as production runs it (django_tasks_db queues
   the notification; no worker runs during the timed window); `immediate` runs it inside the request.
3. Measures `/ping/` (the foundation's minimal view), then `POST /api/v1/aspirations/` (JSON, a
   unique `Idempotency-Key` per request, anonymous, a kelurahan, the router picks the category) with
   `--connections` keep-alive clients for `--duration` seconds, then `/ping/` again; the baseline is
   the mean of the two. Both loads come from wrk when it is installed (the POSTs through a Lua script
   that keeps every acknowledged tracking code), else from an asyncio client in Python, which takes a
   good share of the two cores itself (`--python-client` forces it).
4. Counts rows afterwards: every tracking code answered with 201 must be in the database (lost = 0).
   With the database backend, one `db_worker --batch` then drains the queue and is timed: the
   notifications are part of the cost of a submission, just not of its request.

Prints submissions/s, p50/p99, errors, the ratio to the baseline and PASS/MISS against the target
(≥ 300 submissions/s on SQLite). Exits non-zero when a request failed or a submission was lost.
"""

import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import asyncio
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass

from bench.http import (
    Measurement,
    find_wrk,
    free_port,
    measure,
    process_group_cpu_seconds,
    run_wrk,
    start_server,
    wait_until_idle,
    wait_until_up,
)

REPO_DIR = Path(__file__).resolve().parent.parent
TARGET_SQLITE_RPS = 300.0
DATABASE_TASKS_BACKEND = "django_tasks_db.backend.DatabaseBackend"
PATH = "/api/v1/aspirations/"

TEXTS = [
    ("Jalan berlubang", "Jalan di depan sekolah berlubang besar, sudah ada motor jatuh. Mohon segera ditambal."),
    ("Lampu PJU mati", "Lampu penerangan jalan di gang masjid mati sejak seminggu, gelap kalau malam."),
    ("Sampah menumpuk", "Sampah di TPS belum diangkut tiga hari, baunya sampai ke rumah warga."),
    ("Selokan mampet", "Saluran air mampet, kalau hujan deras banjir masuk rumah."),
    ("Air PDAM keruh", "Air PDAM keruh dan kadang mati sejak kemarin pagi."),
    ("Dalane rusak", "Dalane rusak parah neng cedak pasar, tulung didandani."),
    ("Posyandu", "Mohon tambahan kader posyandu dan timbangan bayi di RW kami."),
    ("Parkir liar", "Parkir liar di depan toko bikin macet setiap sore."),
]
KELURAHAN = ["35.72.01.1001", "35.72.01.1002", "35.72.02.1001", "35.72.02.1003", "35.72.03.1001", ""]


@dataclass
class SubmitRun:
    measurement: Measurement
    tracking_codes: list[str]
    statuses: dict[int, int]


def prepare_database(env: dict[str, str]) -> None:
    for command in (
        ["migrate", "--verbosity=0"],
        ["load_regions", "--verbosity=0"],
        ["load_kota_blitar", "--verbosity=0"],
        ["load_aspiration_categories", "--verbosity=0"],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=REPO_DIR, env=env, check=True)


def _body(number: int, consent_version: str) -> bytes:
    title, text = TEXTS[number % len(TEXTS)]
    return json.dumps(
        {
            "kind": "pengaduan" if number % 3 else "aspirasi",
            "title": f"{title} ({number})",
            "text": text,
            "region": KELURAHAN[number % len(KELURAHAN)],
            "privacy": "anonymous",
            "phone": "0812-3456-7890" if number % 4 == 0 else "",
            "consent_version": consent_version,
        }
    ).encode()


async def post_load(
    port: int, connections: int, duration: float, consent_version: str, prefix: str, counter: "itertools.count[int]"
) -> SubmitRun:
    latencies: list[float] = []
    codes: list[str] = []
    statuses: dict[int, int] = {}
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal errors
        reader = writer = None
        while time.perf_counter() < deadline:
            number = next(counter)
            body = _body(number, consent_version)
            head = (
                f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n"
                f"Content-Type: application/json\r\nIdempotency-Key: {prefix}-{number:08d}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            try:
                started = time.perf_counter()
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(head + body)
                raw_head = await reader.readuntil(b"\r\n\r\n")  # type: ignore[union-attr]
                lines = raw_head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
                content = await reader.readexactly(int(headers.get("content-length", "0")))  # type: ignore[union-attr]
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    codes.append(json.loads(content)["tracking_code"])
                else:
                    errors += 1
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    reader = writer = None
            except (ConnectionError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [float("inf")]
    measurement = Measurement(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        requests=len(latencies),
        errors=errors,
        tool="python",
    )
    return SubmitRun(measurement, codes, statuses)


WRK_POST_SCRIPT = """-- POST the aspiration bodies below with a unique Idempotency-Key per request. Every 201's tracking
-- code goes to codes-<thread>.txt and every other status to statuses-<thread>.txt, so the bench can
-- check afterwards that each acknowledged submission is stored.
local bodies = {{
{bodies}
}}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
function init(args)
  prefix, outdir, counter = args[1], args[2], 0
  codes = io.open(outdir .. "/codes-" .. id .. ".txt", "w")
  codes:setvbuf("line")
  others = io.open(outdir .. "/statuses-" .. id .. ".txt", "w")
  others:setvbuf("line")
end
function request()
  counter = counter + 1
  local headers = {{["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. "-" .. id .. "-" .. counter}}
  return wrk.format("POST", "{path}", headers, bodies[counter % #bodies + 1])
end
function response(status, headers, body)
  if status == 201 then
    codes:write(body:match('"tracking_code"%s*:%s*"(%w+)"') or "?", "\\n")
  else
    others:write(status, "\\n")
  end
end
"""


def wrk_post_load(
    wrk: str, port: int, connections: int, duration: int, threads: int, consent_version: str, prefix: str, out: Path
) -> SubmitRun:
    """The same load as `post_load`, generated by wrk (C, like the /ping/ baseline), so the load
    generator takes almost none of the two cores from the server."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("codes-*.txt"), *out.glob("statuses-*.txt")]:
        stale.unlink()
    bodies = ",\n".join(f"[==[{_body(number, consent_version).decode()}]==]" for number in range(48))
    script = out / "post.lua"
    script.write_text(WRK_POST_SCRIPT.format(bodies=bodies, path=PATH))
    measurement = run_wrk(
        wrk, f"http://127.0.0.1:{port}", connections, duration, threads, [str(script), prefix, str(out)]
    )
    codes = [line for path in sorted(out.glob("codes-*.txt")) for line in path.read_text().split()]
    statuses: dict[int, int] = {201: len(codes)} if codes else {}
    for path in out.glob("statuses-*.txt"):
        for line in path.read_text().split():
            statuses[int(line)] = statuses.get(int(line), 0) + 1
    return SubmitRun(measurement, codes, statuses)


def count_stored(env: dict[str, str], codes: list[str]) -> int:
    """Rows whose tracking code was acknowledged, read in a child process with the bench's database."""
    script = (
        "import json,sys,django;django.setup();"
        "from sinergi.aspirations.models import Aspiration;"
        "codes=json.load(sys.stdin);"
        "print(sum(Aspiration.objects.filter(tracking_code__in=codes[i:i+500]).count() "
        "for i in range(0,len(codes),500)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_DIR,
        env=env,
        input=json.dumps(codes),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(completed.stdout.strip().splitlines()[-1])


def drain_queue(env: dict[str, str]) -> tuple[int, float]:
    """Run the queued notification tasks (one `db_worker --batch`, after the server has stopped, so it
    did not compete for the CPU during the timed window): (tasks run, seconds)."""
    script = (
        "import django;django.setup();"
        "from django_tasks_db.models import DBTaskResult;"
        "print(DBTaskResult.objects.filter(status='READY').count())"
    )

    def ready() -> int:
        completed = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO_DIR, env=env, capture_output=True, text=True, check=True
        )
        return int(completed.stdout.strip().splitlines()[-1])

    queued = ready()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--verbosity=0"],
        cwd=REPO_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.monotonic() - started
    left = ready()
    if left:
        print(f"warning: {left} tasks still queued after draining")
    return queued - left, elapsed


def bench_database(label: str, env: dict[str, str], args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    from sinergi.aspirations.services.intake import CONSENT_VERSION

    started = time.monotonic()
    if label == "SQLite" and args.reuse_database:
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity=0"], cwd=REPO_DIR, env=env, check=True)
    else:
        prepare_database(env)
    print(f"{label}: database ready ({time.monotonic() - started:.0f} s)")
    port = free_port()
    env = {**env, "SINERGI_SITE_URL": f"http://127.0.0.1:{port}"}
    if args.preload:
        env["GUNICORN_CMD_ARGS"] = (env.get("GUNICORN_CMD_ARGS", "") + " --preload").strip()
    server = start_server(env, port, args.workers, args.worker_class, args.threads, workdir / f"gunicorn-{label}.log")
    base = f"http://127.0.0.1:{port}"
    wrk = None if args.python_client else find_wrk(install=False)
    prefix = f"bench-{int(time.time())}"
    counter = itertools.count()
    try:
        wait_until_up(base + "/ping/", server, timeout=180)
        # Warm every worker (the routing model is trained once per machine, then loaded by each process).
        asyncio.run(post_load(port, args.workers * max(args.threads, 1) * 2, 15.0, CONSENT_VERSION, prefix, counter))
        wait_until_idle(base + "/ping/")
        cpu_at = process_group_cpu_seconds(server.pid)
        before = measure(wrk, base, port, "/ping/", args.connections, args.duration, args.wrk_threads)
        ping_cpu = process_group_cpu_seconds(server.pid) - cpu_at
        wait_until_idle(base + "/ping/")
        cpu_at = process_group_cpu_seconds(server.pid)
        if wrk:
            run = wrk_post_load(
                wrk, port, args.connections, args.duration, args.wrk_threads, CONSENT_VERSION, prefix, workdir / "wrk"
            )
        else:
            run = asyncio.run(post_load(port, args.connections, args.duration, CONSENT_VERSION, prefix, counter))
        submit_cpu = process_group_cpu_seconds(server.pid) - cpu_at
        wait_until_idle(base + "/ping/")
        after = measure(wrk, base, port, "/ping/", args.connections, args.duration, args.wrk_threads)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    stored = count_stored(env, run.tracking_codes)
    baseline = (before.requests_per_second + after.requests_per_second) / 2
    drain = drain_queue(env) if env.get("TASKS_BACKEND", "").endswith("DatabaseBackend") else None
    return {
        "label": label,
        "run": run,
        "baseline": baseline,
        "baselines": (before, after),
        "stored": stored,
        "lost": len(run.tracking_codes) - stored,
        "drain": drain,
        # Server CPU per request (ms) while under load; the idle wait after each run adds a little.
        "cpu_ms": (
            1000 * submit_cpu / max(run.measurement.requests, 1),
            1000 * ping_cpu / max(before.requests, 1),
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=16)
    # 3 sync workers on 2 cores: the request is CPU-bound and SQLite serialises the writes, so threads add
    # nothing but GIL hand-offs; the third process covers the moments a worker waits for the write lock.
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "3")))
    parser.add_argument(
        "--worker-class", default=os.environ.get("BENCH_WORKER_CLASS", "sync"), choices=["sync", "gthread"]
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="generate both loads with the asyncio client instead of wrk (which is used when installed: a load "
        "generator in C leaves the two cores to the server, as for the /ping/ baseline)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, logs)")
    parser.add_argument(
        "--tasks-backend",
        default=os.environ.get("BENCH_TASKS_BACKEND", "database"),
        help="django-tasks backend for the server: 'database' (default, as in production: the notification is "
        "queued by django_tasks_db and run afterwards by one `db_worker --batch`, timed separately), "
        "'immediate' (the settings' default: the notification runs inside the request) or a class path",
    )
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload (import the app once)")
    parser.add_argument(
        "--workdir", type=Path, help="use (and keep) this directory; a database already built there is reused"
    )
    args = parser.parse_args()
    args.tasks_backend = {"database": DATABASE_TASKS_BACKEND, "immediate": ""}.get(
        args.tasks_backend, args.tasks_backend
    )

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        args.keep = True
    workdir = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="sinergi-bench-submit-"))
    args.reuse_database = (workdir / "bench.sqlite3").exists()
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SINERGI_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
    }
    if args.tasks_backend:
        common["TASKS_BACKEND"] = args.tasks_backend
    targets = [("SQLite", {**common, "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"})]
    postgres_url = os.environ.get("DATABASE_URL", "")
    if postgres_url.startswith(("postgres://", "postgresql://")):
        targets.append(("PostgreSQL", {**common, "DATABASE_URL": postgres_url}))
    os.environ.update({k: v for k, v in targets[0][1].items() if k in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}})
    import django

    django.setup()
    results = []
    try:
        for label, env in targets:
            results.append(bench_database(label, env, args, workdir))
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(
        f"gunicorn {args.workers} × {args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
        + (" --preload" if args.preload else "")
        + f", DEBUG off; {args.connections} connections, {args.duration} s per run; "
        f"{os.cpu_count()} CPUs shared by server and load generator ({results[0]['run'].measurement.tool}); "
        "tasks backend: " + (args.tasks_backend or "immediate (settings default)")
    )
    print(
        f"{'database':<11} {'submit/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'/ping/':>8} {'ratio':>6} "
        f"{'acked':>6} {'lost':>5}  verdict"
    )
    failed = False
    for result in results:
        run: SubmitRun = result["run"]  # type: ignore[assignment]
        m = run.measurement
        baseline = float(result["baseline"])  # type: ignore[arg-type]
        target_ok = m.requests_per_second >= TARGET_SQLITE_RPS if result["label"] == "SQLite" else True
        ok = target_ok and m.errors == 0 and result["lost"] == 0
        failed |= m.errors > 0 or result["lost"] != 0
        print(
            f"{result['label']:<11} {m.requests_per_second:>9,.0f} {m.p50_ms:>7.1f} {m.p99_ms:>7.1f} {m.errors:>6} "
            f"{baseline:>8,.0f} {m.requests_per_second / baseline:>6.2f} "
            f"{len(run.tracking_codes):>6} {result['lost']:>5}  "
            + ("PASS" if ok else "MISS")
            + ("" if result["label"] == "SQLite" else " (no rate target; 0 errors, 0 lost)")
            + ("" if not run.statuses or set(run.statuses) == {201} else f"  statuses {run.statuses}")
        )
        submit_ms, ping_ms = result["cpu_ms"]  # type: ignore[misc]
        print(
            f"{'':<11} gunicorn's CPU under load: {submit_ms:.2f} ms per submission, {ping_ms:.2f} ms per /ping/ "
            + (
                f"(the whole server on SQLite: {os.cpu_count()} cores ⇒ at most "
                f"{os.cpu_count() * 1000 / submit_ms:,.0f} submissions/s)"
                if result["label"] == "SQLite"
                else "(the database server's processes not counted)"
            )
        )
        if result["drain"] is not None:
            drain: tuple[int, float] = result["drain"]  # type: ignore[assignment]
            drained, seconds = drain
            print(
                f"{'':<11} queue drained afterwards by one db_worker: {drained} notification tasks (warm-up "
                f"included) in {seconds:.1f} s = {drained / max(seconds, 1e-9):,.0f}/s"
            )
    if len(results) == 1:
        print("PostgreSQL   not measured (DATABASE_URL does not point at PostgreSQL)")
    print(f"target: ≥ {TARGET_SQLITE_RPS:.0f} submissions/s on SQLite, 0 errors, 0 lost")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
