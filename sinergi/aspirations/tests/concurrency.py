"""Shared harness of the concurrency tests (`test_concurrent_submit.py`, `test_concurrent_support.py`).

Threads pair up; in each round both threads of a pair make the same request at the same moment (a barrier
releases all threads together), and every answer is kept under the pair's label so a test can check that
both got the same row and exactly one of them created it.

Threads need a database they can share. PostgreSQL (CI: `DATABASE_URL=postgres://...`): the test DB itself,
with `transaction=True` (conftest lets that test's closing flush empty the append-only log). SQLite:
pytest-django's test DB is in-memory, which is no place for concurrent writers, so the scenario runs in a
child process (`python -m sinergi.aspirations.tests.concurrency <module>:<function> <rounds>`) against a
temporary *file* database with the production connection settings (WAL, IMMEDIATE transactions).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinergi.core.testing import run_on_file_database

THREADS = 8
REPO_DIR = Path(__file__).resolve().parents[3]
CHILD_MODULE = "sinergi.aspirations.tests.concurrency"

Answer = tuple[int, bool]  # (primary key of the row the service returned, whether this call created it)
Scenario = Callable[..., dict[str, Any]]  # called as scenario(rounds=N), returns the summary to check


def rounds_from_environment(variable: str, default: int = 300) -> int:
    return int(os.environ.get(variable, str(default)))


@dataclass
class PairedRounds:
    """What the threads answered, by pair label, and every failure they met."""

    threads: int
    rounds: int
    answers: dict[str, list[Answer]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pairs_disagreeing(self) -> int:
        return sum(1 for got in self.answers.values() if len({pk for pk, _ in got}) != 1)

    @property
    def not_created_once(self) -> int:
        return sum(1 for got in self.answers.values() if sum(created for _, created in got) != 1)

    @property
    def answer_count(self) -> int:
        return sum(len(got) for got in self.answers.values())

    def common_summary(self) -> dict[str, Any]:
        return {
            "threads": self.threads,
            "rounds": self.rounds,
            "pairs_disagreeing": self.pairs_disagreeing,
            "answers": self.answer_count,
            "errors": len(self.errors),
            "first_errors": self.errors[:5],
            "seconds": round(self.seconds, 1),
        }


def run_paired_rounds(
    *, threads: int, rounds: int, prepare: Callable[[int, int], tuple[str, Callable[[], Answer]]]
) -> PairedRounds:
    """`prepare(round_number, thread_index)` gives the pair's label and the call to make; the two threads of a
    pair (indexes 2k and 2k+1) must get the same label. The call runs only once every thread is ready."""
    from django.db import connection

    outcome = PairedRounds(threads=threads, rounds=rounds)
    barrier = threading.Barrier(threads)
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            for round_number in range(rounds):
                label, call = prepare(round_number, index)
                try:
                    barrier.wait(timeout=60)
                    answer = call()
                except Exception as error:  # every failure is counted; none may happen
                    with lock:
                        outcome.errors.append(f"{label}: {type(error).__name__}: {error}")
                    continue
                with lock:
                    outcome.answers[label].append(answer)
        finally:
            connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(index,)) for index in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    outcome.seconds = time.monotonic() - started
    return outcome


def summary_from_shared_database(scenario: Scenario, *, rounds: int) -> dict[str, Any]:
    """Run `scenario` where its threads can share one database: in this process on PostgreSQL, in a child
    process with a temporary file database on SQLite."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return scenario(rounds=rounds)
    return run_on_file_database(CHILD_MODULE, f"{scenario.__module__}:{scenario.__qualname__}", str(rounds))


def _run_in_child(target: str, rounds: int) -> None:
    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    module_name, function_name = target.split(":")
    scenario: Scenario = getattr(importlib.import_module(module_name), function_name)
    print(json.dumps(scenario(rounds=rounds)))


if __name__ == "__main__":  # the SQLite child process
    _run_in_child(sys.argv[1], int(sys.argv[2]))
