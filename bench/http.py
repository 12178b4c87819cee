"""HTTP benchmark of the main pages against a production server, with a same-run baseline.

    make bench                      # or: .venv/bin/python bench/http.py --help

1. Builds a SQLite database in a temporary directory: migrate, then `bench.seed.seed_bulk`
   (≥ 2,000 organisations, ≥ 50 forums with charters and members, ≥ 5,000 meetings with agenda,
   roll call and minutes, public log entries written by the real `ledger_record`), and runs
   `collectstatic`.
2. Starts gunicorn (`config.wsgi`, DEBUG off) on a free loopback port and warms every URL up.
3. Drives each URL with 32 concurrent keep-alive connections for a fixed duration with `wrk`
   (installed with apt-get when missing and running as root; else a Python asyncio client),
   measuring the minimal Django view `/ping/` before and after each page: the page's baseline
   is the mean of those two runs, so drift during the run cancels out.
4. Prints requests/s, p50, p99, errors and the ratio to the baseline, with PASS/MISS against the
   targets (ratio ≥ 0.25, p99 ≤ 100 ms). Exits non-zero only when requests failed.
"""

import sys
from pathlib import Path

# Run as `python bench/http.py`, this file's directory comes first on sys.path and this module
# would shadow the standard library's `http` package (which urllib and Django import).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

REPO_DIR = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.25
TARGET_P99_MS = 100.0


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    tool: str


@dataclass
class Row:
    name: str
    path: str
    result: Measurement | None
    baseline_rps: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.result.requests_per_second / self.baseline_rps if self.result and self.baseline_rps else 0.0

    @property
    def verdict(self) -> str:
        if self.result is None:
            return "UNAVAILABLE"
        ok = self.ratio >= TARGET_RATIO and self.result.p99_ms <= TARGET_P99_MS
        return "PASS" if ok else "MISS"


# --- set-up -------------------------------------------------------------------------------------


def build_database(
    env: dict[str, str], *, organisations: int, forums: int, meetings_per_forum: int, seed: bool = True
) -> dict:
    """Runs in this process with the benchmark's environment; returns the URLs to measure."""
    os.environ.update(env)
    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.urls import NoReverseMatch, reverse

    from bench.seed import seed_bulk
    from sinergi.forums.models import Forum
    from sinergi.forums.states import ForumStatus
    from sinergi.meetings.models import Meeting
    from sinergi.meetings.states import MeetingStatus

    if seed:
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        summary = seed_bulk(organisations=organisations, forums=forums, meetings_per_forum=meetings_per_forum)
        call_command("collectstatic", verbosity=0, interactive=False)
        print(
            f"database: {summary.organisations} organisations, {summary.forums} forums, "
            f"{summary.forum_members} forum members, {summary.meetings} meetings, {summary.agenda_items} agenda "
            f"items, {summary.attendance} attendance rows, {summary.ledger_entries} log entries "
            f"({time.monotonic() - started:.0f} s)"
        )
    else:
        print(f"database: reusing {env['DATABASE_URL']}")
    forum = Forum.objects.filter(status=ForumStatus.ACTIVE, slug__startswith="bench-").order_by("pk")[1]
    meeting = (
        Meeting.objects.filter(forum=forum, status=MeetingStatus.CLOSED).order_by("-starts_at").first()
        or Meeting.objects.filter(forum=forum).first()
    )
    assert meeting is not None

    def url(name: str, *args: object, fallback: str) -> str:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return fallback

    urls = {
        "home": url("web:home", fallback="/"),
        "forum list": url("forums:list", fallback="/forum/"),
        "forum detail": url("forums:detail", forum.slug, fallback=f"/forum/{forum.slug}/"),
        "meeting detail": url("meetings:detail", meeting.uid, fallback=f"/rapat/{meeting.uid}/"),
        "iCalendar (city)": url("meetings:city_ical", fallback="/rapat/kalender.ics"),
        "iCalendar (forum)": url("meetings:forum_ical", forum.slug, fallback=f"/rapat/forum/{forum.slug}.ics"),
        "API forum list": "/api/v1/forums",
    }
    connections.close_all()
    return urls


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, workers: int, worker_class: str, threads: int, log: Path
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--keep-alive",
        "30",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    return subprocess.Popen(
        command, cwd=REPO_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )


def process_group_cpu_seconds(group: int) -> float:
    """User + system CPU time used so far by the live processes of one process group (the server's
    master and workers): read around a timed run, it gives the server's CPU cost per request."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # fields after the command: state, ppid, pgrp, …, utime (12), stime (13)
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def fetch_status(url: str) -> tuple[int, int]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, 0


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        if fetch_status(url)[0] == 200:
            return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout} s")


def wait_until_idle(url: str, timeout: float = 90) -> None:
    """After a run the server may still be working through requests the load generator gave up
    on; the next run (often the baseline) must not pay for them."""
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        fetch_status(url)
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
    time.sleep(0.5)


# --- load generators ----------------------------------------------------------------------------


def find_wrk(install: bool) -> str | None:
    found = shutil.which("wrk")
    if found or not install:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk with apt-get ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env, capture_output=True)
    return shutil.which("wrk")


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def run_wrk(
    wrk: str, url: str, connections: int, duration: int, threads: int, script: list[str] | None = None
) -> Measurement:
    """One wrk run. `script`: a Lua script and its arguments (`-s script.lua url -- args…`)."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script[0], url, "--", *script[1:]]
    else:
        command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    if requests == 0:
        # Not one response within the run: every connection counts as failed, latency as unbounded.
        return Measurement(0.0, float("inf"), float("inf"), 0, connections, "wrk")
    return Measurement(rps, _duration_ms(percentiles["50"]), _duration_ms(percentiles["99"]), requests, errors, "wrk")


async def _python_client(host: str, port: int, path: str, connections: int, duration: float) -> Measurement:
    latencies: list[float] = []
    errors = 0
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode()
    deadline = time.perf_counter() + duration

    async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
        """(status, whether the server keeps the connection open)."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readline()).strip() or b"0", 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        return status, headers.get("connection", "").lower() != "close"

    async def worker() -> None:
        nonlocal errors
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while time.perf_counter() < deadline:
            try:
                started = time.perf_counter()
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                writer.write(request)
                status, keep_alive = await read_response(reader)  # type: ignore[arg-type]
                latencies.append(time.perf_counter() - started)
                if status >= 400:
                    errors += 1
                if not keep_alive:
                    writer.close()
                    reader = writer = None
            except (ConnectionError, asyncio.IncompleteReadError):
                errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    if not latencies:
        return Measurement(0.0, float("inf"), float("inf"), 0, errors + connections, "python")
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Measurement(
        len(latencies) / elapsed, statistics.median(ordered) * 1000, p99 * 1000, len(latencies), errors, "python"
    )


def measure(
    wrk: str | None, base: str, port: int, path: str, connections: int, duration: int, threads: int
) -> Measurement:
    if wrk:
        return run_wrk(wrk, base + path, connections, duration, threads)
    return asyncio.run(_python_client("127.0.0.1", port, path, connections, duration))


# --- report -------------------------------------------------------------------------------------


def print_table(rows: list[Row], baselines: list[Measurement], settings_line: str) -> None:
    print()
    print(settings_line)
    base_rps = [b.requests_per_second for b in baselines]
    print(
        f"baseline /ping/: {statistics.mean(base_rps):,.0f} req/s mean of {len(base_rps)} runs "
        f"(min {min(base_rps):,.0f}, max {max(base_rps):,.0f}), p99 {max(b.p99_ms for b in baselines):.1f} ms"
    )
    header = (
        f"{'page':<20} {'path':<48} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'base/s':>8} "
        f"{'ratio':>6}  target"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.result is None:
            print(
                f"{row.name:<20} {row.path[:48]:<48} {'-':>8} {'-':>7} {'-':>7} {'-':>6} {'-':>8} {'-':>6}  "
                f"UNAVAILABLE {row.note}"
            )
            continue
        r = row.result
        print(
            f"{row.name:<20} {row.path[:48]:<48} {r.requests_per_second:>8,.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} "
            f"{r.errors:>6} {row.baseline_rps:>8,.0f} {row.ratio:>6.2f}  {row.verdict}"
        )
    print(f"targets: ratio to /ping/ ≥ {TARGET_RATIO}, p99 ≤ {TARGET_P99_MS:.0f} ms at 32 connections")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "8")), help="seconds per run"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "2")))
    parser.add_argument(
        "--worker-class", default=os.environ.get("BENCH_WORKER_CLASS", "gthread"), choices=["sync", "gthread"]
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--forums", type=int, default=50)
    parser.add_argument("--meetings-per-forum", type=int, default=100)
    parser.add_argument("--python-client", action="store_true", help="use the asyncio client even if wrk exists")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, logs)")
    parser.add_argument("--workdir", type=Path, help="reuse the database built in this directory by a --keep run")
    args = parser.parse_args()

    reuse = bool(args.workdir and (args.workdir / "bench.sqlite3").exists())
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sinergi-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SINERGI_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "DEBUG": "0",
        "SINERGI_PLAIN_STATIC": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SINERGI_SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "ERROR",
    }
    urls = build_database(
        env,
        organisations=args.organisations,
        forums=args.forums,
        meetings_per_forum=args.meetings_per_forum,
        seed=not reuse,
    )
    wrk = None if args.python_client else find_wrk(install=True)
    server = start_server(env, port, args.workers, args.worker_class, args.threads, workdir / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    rows: list[Row] = []
    baselines: list[Measurement] = []
    failed_requests = 0
    try:
        wait_until_up(base + "/ping/", server)
        available: dict[str, str] = {}
        for name, path in [("baseline", "/ping/"), *urls.items()]:
            status, size = fetch_status(base + path)
            for _ in range(20):
                fetch_status(base + path)
            if status == 200:
                available[name] = path
                print(f"warm-up {name:<20} {path:<48} {status} {size / 1024:7.1f} KB")
            else:
                print(f"warm-up {name:<20} {path:<48} {status} (not available: not measured)")
                rows.append(Row(name, path, None, 0.0, f"(answered {status})"))

        def run(path: str) -> Measurement:
            result = measure(wrk, base, port, path, args.connections, args.duration, args.wrk_threads)
            wait_until_idle(base + "/ping/")
            return result

        previous = run("/ping/")
        baselines.append(previous)
        for name, path in urls.items():
            if name not in available:
                continue
            result = run(path)
            after = run("/ping/")
            baselines.append(after)
            rows.append(Row(name, path, result, (previous.requests_per_second + after.requests_per_second) / 2))
            failed_requests += result.errors
            print(f"  measured {name}: {result.requests_per_second:,.0f} req/s, p99 {result.p99_ms:.1f} ms")
            previous = after
        failed_requests += sum(b.errors for b in baselines)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        if args.keep or args.workdir:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    order = {name: index for index, name in enumerate(urls)}
    rows.sort(key=lambda row: order.get(row.name, 99))
    tool = baselines[0].tool if baselines else "?"
    settings_line = (
        f"gunicorn {args.workers} × {args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
        + f", DEBUG off, SQLite; load: {tool}, {args.connections} connections, {args.duration} s per run; "
        f"{os.cpu_count()} CPUs shared by server and load generator"
    )
    print_table(rows, baselines, settings_line)
    unavailable = [row.name for row in rows if row.result is None]
    if failed_requests or unavailable:
        print(f"ERRORS: {failed_requests} failed requests; unavailable: {', '.join(unavailable) or 'none'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
