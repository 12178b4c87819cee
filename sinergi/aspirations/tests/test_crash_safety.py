"""Crash safety: a real server (gunicorn, `DEBUG` off) on a temporary file SQLite database is killed
with SIGKILL at random moments (≥ 20 times, env `ASPIRATION_CRASH_KILLS`) while a client streams
submissions over HTTP. Every tracking code that was acknowledged (HTTP 201, or 200 for a retry whose
first attempt had committed) must be in the database afterwards, and the database must pass
SQLite's integrity check.

What is killed: the process that serves the requests. Gunicorn runs with `--preload` (the app,
its routing model and its imports are loaded once in the master) and one sync worker; SIGKILL on the
worker is a crash in the middle of whatever request it was handling, and the master forks a fresh
worker within milliseconds — so the test can crash the server 20 times in seconds instead of paying
Django's start-up each time. Every `COLD_EVERY`-th kill takes the whole process group (master and
worker) down and starts gunicorn from nothing, so the cold path is crashed too.

The client retries a request that got no answer with the same `Idempotency-Key`, as a real client
should: an answer of 200 then proves the first attempt committed before the kill.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[3]
KILLS = max(20, int(os.environ.get("ASPIRATION_CRASH_KILLS", "20")))
COLD_EVERY = 10
START_TIMEOUT = 120.0
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/crash.sqlite3",
        "SINERGI_VAR_DIR": folder,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SINERGI_PAGE_CACHE": "false",
        "CRASH_ROUTER_MODEL": f"{folder}/router.joblib",
        "PYTHONUNBUFFERED": "1",
    }


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "sinergi.aspirations.tests.test_crash_safety:application",
                    "--preload",
                    "--workers=1",
                    f"--bind=127.0.0.1:{self.port}",
                    "--timeout=60",
                    "--graceful-timeout=1",
                ],
                cwd=REPO_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/ping/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server did not start")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_worker(self) -> int:
        """SIGKILL the serving process; the master forks a new one. Returns how many were killed."""
        pids = self.worker_pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and set(self.worker_pids()) & set(pids):
            time.sleep(0.01)
        self.wait_ready()
        return len(pids)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


class Submitter(threading.Thread):
    """Streams submissions; retries an unanswered one with the same key until it gets an answer."""

    def __init__(self, port: int, consent_version: str) -> None:
        super().__init__(daemon=True)
        self.port, self.consent_version = port, consent_version
        self.stop = threading.Event()
        self.acknowledged: dict[str, str] = {}
        self.replayed = 0
        self.unexpected: list[str] = []

    def run(self) -> None:
        number = 0
        while not self.stop.is_set():
            key = f"crash-{number:06d}"
            body = json.dumps(
                {
                    "kind": "pengaduan",
                    "title": f"Lampu jalan mati nomor {number}",
                    "text": "Lampu PJU di gang masjid mati sejak minggu lalu, jalan gelap sekali waktu malam.",
                    "consent_version": self.consent_version,
                }
            )
            while not self.stop.is_set():
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    connection.request(
                        "POST",
                        "/api/v1/aspirations/",
                        body=body,
                        headers={"Content-Type": "application/json", "Idempotency-Key": key},
                    )
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    # The server is down, or died mid-answer (IncompleteRead, BadStatusLine): same key again.
                    time.sleep(0.02)
                    continue
                if response.status in (200, 201):
                    self.acknowledged[key] = json.loads(payload)["tracking_code"]
                    self.replayed += response.status == 200
                else:
                    self.unexpected.append(f"{response.status}: {payload[:200]!r}")
                break
            number += 1


def test_every_acknowledged_submission_survives_sigkill() -> None:
    from sinergi.aspirations.services.intake import CONSENT_VERSION

    started = time.monotonic()
    rng = random.Random(20261127)
    with tempfile.TemporaryDirectory() as folder:
        env = _environment(folder)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity=0", "--skip-checks"],
            cwd=REPO_DIR,
            env=env,
            check=True,
            timeout=300,
        )
        port = free_port()
        server = Server(env, port, Path(folder) / "server.log")
        submitter = Submitter(port, CONSENT_VERSION)
        kills = 0
        try:
            server.start()
            submitter.start()
            while kills < KILLS:
                # Each life of the server answers at least one request, then dies at a random moment
                # of the stream (usually in the middle of the next request).
                answered = len(submitter.acknowledged)
                deadline = time.monotonic() + START_TIMEOUT
                while len(submitter.acknowledged) == answered and time.monotonic() < deadline:
                    assert submitter.is_alive(), "the submitting client stopped"
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.3))
                if (kills + 1) % COLD_EVERY == 0:
                    server.kill()
                    kills += 1
                    server.start()
                else:
                    kills += min(1, server.kill_worker())
            time.sleep(0.5)
        finally:
            submitter.stop.set()
            submitter.join(timeout=15)
            server.kill()
        database = sqlite3.connect(f"{folder}/crash.sqlite3")
        try:
            stored = {row[0] for row in database.execute("SELECT tracking_code FROM aspirations_aspiration")}
            integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            database.close()
    lost = {key: code for key, code in submitter.acknowledged.items() if code not in stored}
    print(
        f"crash safety: {kills} SIGKILLs, {len(submitter.acknowledged)} acknowledged "
        f"({submitter.replayed} answered on retry), {len(stored)} stored, {len(lost)} lost, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert kills >= 20
    assert integrity == "ok"
    assert submitter.unexpected == []
    assert lost == {}
    assert len(submitter.acknowledged) >= KILLS  # the stream really ran between the kills


def _preloaded_application() -> object:
    """The WSGI app for gunicorn's master: Django set up, the routing model loaded (trained and
    saved by the first start, loaded by later ones), the submit path's imports warmed by one request,
    and no database connection left open to be shared with the forked worker."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from django.test import Client

    import sinergi.aspirations.routing as routing
    from sinergi.aspirations.routing import Router

    model_path = Path(os.environ["CRASH_ROUTER_MODEL"])
    if model_path.exists():
        router = Router.load(model_path)
    else:
        router = routing.default_router()
        partial = model_path.with_suffix(".partial")
        router.save(partial)
        os.replace(partial, model_path)
    # Trained once for the whole test, not once per restart (training takes seconds, loading does not).
    routing.default_router = lambda: router  # type: ignore[assignment]
    router.suggest("lampu jalan mati")
    app = get_wsgi_application()
    Client().get("/api/v1/aspirations/?limit=1")
    connections.close_all()
    return app


if os.environ.get("CRASH_ROUTER_MODEL") and "pytest" not in sys.modules:
    application = _preloaded_application()
