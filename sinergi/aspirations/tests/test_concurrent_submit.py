"""Double submission under concurrency: 8 threads × N rounds (env `ASPIRATION_CONCURRENCY_ROUNDS`,
default 300); in each round the threads pair up and both of a pair submit with the same idempotency
key at the same moment → exactly one case per key, both get it back, no errors.

Threads need a database they can share. PostgreSQL (CI: `DATABASE_URL=postgres://...`): the test DB
itself, with `transaction=True`. SQLite: pytest-django's test DB is in-memory, and an in-memory
database is not a place for concurrent writers, so the same scenario runs in a child process
(`python -m sinergi.aspirations.tests.test_concurrent_submit`) against a temporary *file* database
with the production connection settings (WAL, IMMEDIATE transactions).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

THREADS = 8
ROUNDS = int(os.environ.get("ASPIRATION_CONCURRENCY_ROUNDS", "300"))
REPO_DIR = Path(__file__).resolve().parents[3]


def run_scenario(*, threads: int = THREADS, rounds: int = ROUNDS) -> dict[str, Any]:
    """Run the rounds in this process's database; returns counts for the caller to check."""
    from django.db import connection

    from sinergi.aspirations.models import Aspiration
    from sinergi.aspirations.routing import default_router
    from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit

    default_router()  # trained once before the clock starts (1–2 s)
    barrier = threading.Barrier(threads)
    results: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            for round_number in range(rounds):
                key = f"concurrent-{round_number:04d}-{index // 2}"
                submission = AspirationSubmission(
                    kind="pengaduan",
                    title=f"Saluran mampet ronde {round_number}",
                    text=f"Saluran air di gang {index // 2} mampet, kalau hujan banjir sampai rumah warga.",
                    consent_version=CONSENT_VERSION,
                )
                try:
                    barrier.wait(timeout=60)
                    result = aspiration_submit(submission=submission, actor=None, idempotency_key=key)
                except Exception as error:
                    with lock:
                        errors.append(f"{key}: {type(error).__name__}: {error}")
                    continue
                with lock:
                    results[key].append((result.aspiration.pk, result.created))
        finally:
            connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    keys_in_db = Counter(
        Aspiration.objects.filter(idempotency_key__startswith="concurrent-").values_list("idempotency_key", flat=True)
    )
    return {
        "threads": threads,
        "rounds": rounds,
        "expected_cases": threads // 2 * rounds,
        "cases": sum(keys_in_db.values()),
        "duplicated_keys": sum(1 for n in keys_in_db.values() if n > 1),
        "pairs_disagreeing": sum(1 for pairs in results.values() if len({pk for pk, _ in pairs}) != 1),
        "keys_not_created_once": sum(1 for pairs in results.values() if sum(c for _, c in pairs) != 1),
        "answers": sum(len(pairs) for pairs in results.values()),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(elapsed, 1),
    }


def _check(summary: dict[str, Any]) -> None:
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["cases"] == summary["expected_cases"], summary
    assert summary["duplicated_keys"] == 0
    assert summary["pairs_disagreeing"] == 0
    assert summary["keys_not_created_once"] == 0
    assert summary["answers"] == summary["threads"] * summary["rounds"]


@pytest.mark.django_db(transaction=True)
def test_double_submission_with_one_key_gives_one_case() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        summary = run_scenario()
    else:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{folder}/concurrent.sqlite3",
                "SINERGI_VAR_DIR": folder,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "ASPIRATION_CONCURRENCY_ROUNDS": str(ROUNDS),
            }
            completed = subprocess.run(
                [sys.executable, "-m", "sinergi.aspirations.tests.test_concurrent_submit"],
                cwd=REPO_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert completed.returncode == 0, completed.stderr[-3000:]
            summary = json.loads(completed.stdout.strip().splitlines()[-1])
    print(f"concurrent submit: {summary}")
    _check(summary)


if __name__ == "__main__":  # the SQLite child process
    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    outcome = run_scenario()
    print(json.dumps(outcome))
