"""Double submission under concurrency: 8 threads × N rounds (env `ASPIRATION_CONCURRENCY_ROUNDS`,
default 300); in each round the threads pair up and both of a pair submit with the same idempotency
key at the same moment → exactly one case per key, both get it back, no errors.

The threads share the test PostgreSQL itself, or on SQLite a file database in a child process
(`concurrency.py`, the harness both concurrency tests use).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from sinergi.aspirations.tests import concurrency as harness
from sinergi.aspirations.tests.concurrency import Answer

ROUNDS = harness.rounds_from_environment("ASPIRATION_CONCURRENCY_ROUNDS")


def run_scenario(*, threads: int = harness.THREADS, rounds: int = ROUNDS) -> dict[str, Any]:
    """Run the rounds in this process's database; returns counts for the caller to check."""
    from sinergi.aspirations.models import Aspiration
    from sinergi.aspirations.routing import default_router
    from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit

    default_router()  # trained once before the clock starts (1–2 s)

    def prepare(round_number: int, index: int) -> tuple[str, Callable[[], Answer]]:
        key = f"concurrent-{round_number:04d}-{index // 2}"
        submission = AspirationSubmission(
            kind="pengaduan",
            title=f"Saluran mampet ronde {round_number}",
            text=f"Saluran air di gang {index // 2} mampet, kalau hujan banjir sampai rumah warga.",
            consent_version=CONSENT_VERSION,
        )

        def submit() -> Answer:
            result = aspiration_submit(submission=submission, actor=None, idempotency_key=key)
            return result.aspiration.pk, result.created

        return key, submit

    outcome = harness.run_paired_rounds(threads=threads, rounds=rounds, prepare=prepare)
    keys_in_db = Counter(
        Aspiration.objects.filter(idempotency_key__startswith="concurrent-").values_list("idempotency_key", flat=True)
    )
    return {
        **outcome.common_summary(),
        "expected_cases": threads // 2 * rounds,
        "cases": sum(keys_in_db.values()),
        "duplicated_keys": sum(1 for n in keys_in_db.values() if n > 1),
        "keys_not_created_once": outcome.not_created_once,
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
    summary = harness.summary_from_shared_database(run_scenario, rounds=ROUNDS)
    print(f"concurrent submit: {summary}")
    _check(summary)
