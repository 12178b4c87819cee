"""Double support under concurrency: 8 threads × N rounds (env `ASPIRATION_SUPPORT_ROUNDS`, default 300).

In each round the threads pair up; both of a pair support the same case as the same person at the same
moment (half the persons are accounts, half phones proven by a one-time code) → exactly one Support row per
person, `support_count` equal to the number of rows, every answer names that one row, 0 errors.

Threads need a database they can share. PostgreSQL (CI: `DATABASE_URL=postgres://...`): the test DB itself,
with `transaction=True`. SQLite: pytest-django's test DB is in-memory, which is no place for concurrent
writers, so the scenario runs in a child process (`python -m sinergi.aspirations.tests.test_concurrent_support`)
against a temporary *file* database with the production connection settings (WAL, IMMEDIATE transactions),
as `test_concurrent_submit.py` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

THREADS = 8
ROUNDS = int(os.environ.get("ASPIRATION_SUPPORT_ROUNDS", "300"))
REPO_DIR = Path(__file__).resolve().parents[3]


def _persons(count: int) -> list[tuple[Any, str]]:
    """(user, "") for even numbers, (None, phone) with a proven verification for odd ones."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from sinergi.aspirations.models import PhoneVerification
    from sinergi.aspirations.services.support import phone_index

    user_model = get_user_model()
    user_model.objects.bulk_create(
        [user_model(username=f"dukung-{number:05d}") for number in range(0, count, 2)], batch_size=500
    )
    users = {user.username: user for user in user_model.objects.filter(username__startswith="dukung-")}
    now = timezone.now()
    phones = {number: f"+62812{10_000_000 + number}" for number in range(1, count, 2)}
    PhoneVerification.objects.bulk_create(
        [
            PhoneVerification(phone_index=phone_index(phone), code_hash="-", expires_at=now, verified_at=now)
            for phone in phones.values()
        ],
        batch_size=500,
    )
    return [
        (users[f"dukung-{number:05d}"], "") if number % 2 == 0 else (None, phones[number]) for number in range(count)
    ]


def run_scenario(*, threads: int = THREADS, rounds: int = ROUNDS) -> dict[str, Any]:
    """Run the rounds in this process's database; returns counts for the caller to check."""
    from django.db import connection

    from sinergi.aspirations.models import Aspiration, Support
    from sinergi.aspirations.services.support import aspiration_support
    from sinergi.aspirations.tests.factories import AspirationFactory

    case: Aspiration = AspirationFactory(title="Lampu jalan mati di gang buntu")  # type: ignore[assignment]
    pairs = threads // 2
    persons = _persons(pairs * rounds)
    barrier = threading.Barrier(threads)
    answers: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            for round_number in range(rounds):
                number = round_number * pairs + index // 2
                user, phone = persons[number]
                try:
                    barrier.wait(timeout=60)
                    result = aspiration_support(aspiration=case, user=user, verified_phone=phone or None)
                except Exception as error:  # every failure is counted; none may happen
                    with lock:
                        errors.append(f"person {number}: {type(error).__name__}: {error}")
                    continue
                with lock:
                    answers[number].append((result.support.pk, result.created))
        finally:
            connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    case.refresh_from_db()
    rows = Support.objects.filter(aspiration=case)
    by_user = rows.exclude(user=None).values_list("user_id", flat=True)
    by_phone = rows.exclude(phone_index="").values_list("phone_index", flat=True)
    return {
        "threads": threads,
        "rounds": rounds,
        "persons": len(persons),
        "support_rows": rows.count(),
        "support_count": case.support_count,
        "users_twice": len(by_user) - len(set(by_user)),
        "phones_twice": len(by_phone) - len(set(by_phone)),
        "pairs_disagreeing": sum(1 for got in answers.values() if len({pk for pk, _ in got}) != 1),
        "persons_not_created_once": sum(1 for got in answers.values() if sum(c for _, c in got) != 1),
        "answers": sum(len(got) for got in answers.values()),
        "errors": len(errors),
        "first_errors": errors[:5],
        "seconds": round(elapsed, 1),
    }


def _check(summary: dict[str, Any]) -> None:
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["support_rows"] == summary["persons"], summary
    assert summary["support_count"] == summary["support_rows"], summary
    assert summary["users_twice"] == 0
    assert summary["phones_twice"] == 0
    assert summary["pairs_disagreeing"] == 0
    assert summary["persons_not_created_once"] == 0
    assert summary["answers"] == summary["threads"] * summary["rounds"]


def _let_test_flush_empty_the_log(connection: Any) -> None:
    """The public log refuses TRUNCATE by trigger (PostgreSQL), and a `transaction=True` test ends with a flush
    that truncates every table. Wrap this connection's flush SQL in disable/enable of the log's triggers: ALTER
    TABLE is transactional and the flush runs in one transaction, so the guard is off only inside that flush."""
    operations = connection.ops
    if getattr(operations.sql_flush, "lets_log_be_flushed", False):
        return
    original = operations.sql_flush

    def sql_flush(style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original(style, tables, **kwargs)
        if "ledger_ledgerentry" not in tables or not statements:
            return statements
        return [
            "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER",
            *statements,
            "ALTER TABLE ledger_ledgerentry ENABLE TRIGGER USER",
        ]

    sql_flush.lets_log_be_flushed = True  # type: ignore[attr-defined]
    operations.sql_flush = sql_flush


@pytest.mark.django_db(transaction=True)
def test_double_support_by_one_person_gives_one_support() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        _let_test_flush_empty_the_log(connection)
        summary = run_scenario()
    else:
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{folder}/concurrent.sqlite3",
                "SINERGI_VAR_DIR": folder,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "ASPIRATION_SUPPORT_ROUNDS": str(ROUNDS),
            }
            completed = subprocess.run(
                [sys.executable, "-m", "sinergi.aspirations.tests.test_concurrent_support"],
                cwd=REPO_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert completed.returncode == 0, completed.stderr[-3000:]
            summary = json.loads(completed.stdout.strip().splitlines()[-1])
    print(f"concurrent support: {summary}")
    _check(summary)


if __name__ == "__main__":  # the SQLite child process
    sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    outcome = run_scenario()
    print(json.dumps(outcome))
