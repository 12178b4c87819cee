"""Double support under concurrency: 8 threads × N rounds (env `ASPIRATION_SUPPORT_ROUNDS`, default 300).

In each round the threads pair up; both of a pair support the same case as the same person at the same
moment (half the persons are accounts, half phones proven by a one-time code) → exactly one Support row per
person, `support_count` equal to the number of rows, every answer names that one row, 0 errors.

Threads, barrier and database come from `concurrency.py`, as for `test_concurrent_submit.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sinergi.aspirations.tests import concurrency as harness
from sinergi.aspirations.tests.concurrency import Answer

ROUNDS = harness.rounds_from_environment("ASPIRATION_SUPPORT_ROUNDS")


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


def run_scenario(*, threads: int = harness.THREADS, rounds: int = ROUNDS) -> dict[str, Any]:
    """Run the rounds in this process's database; returns counts for the caller to check."""
    from sinergi.aspirations.models import Aspiration, Support
    from sinergi.aspirations.services.support import aspiration_support
    from sinergi.aspirations.tests.factories import AspirationFactory

    case: Aspiration = AspirationFactory(title="Lampu jalan mati di gang buntu")  # type: ignore[assignment]
    pairs = threads // 2
    persons = _persons(pairs * rounds)

    def prepare(round_number: int, index: int) -> tuple[str, Callable[[], Answer]]:
        number = round_number * pairs + index // 2
        user, phone = persons[number]

        def support() -> Answer:
            result = aspiration_support(aspiration=case, user=user, verified_phone=phone or None)
            return result.support.pk, result.created

        return f"person {number}", support

    outcome = harness.run_paired_rounds(threads=threads, rounds=rounds, prepare=prepare)
    case.refresh_from_db()
    rows = Support.objects.filter(aspiration=case)
    by_user = rows.exclude(user=None).values_list("user_id", flat=True)
    by_phone = rows.exclude(phone_index="").values_list("phone_index", flat=True)
    return {
        **outcome.common_summary(),
        "persons": len(persons),
        "support_rows": rows.count(),
        "support_count": case.support_count,
        "users_twice": len(by_user) - len(set(by_user)),
        "phones_twice": len(by_phone) - len(set(by_phone)),
        "persons_not_created_once": outcome.not_created_once,
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


@pytest.mark.django_db(transaction=True)
def test_double_support_by_one_person_gives_one_support() -> None:
    summary = harness.summary_from_shared_database(run_scenario, rounds=ROUNDS)
    print(f"concurrent support: {summary}")
    _check(summary)
