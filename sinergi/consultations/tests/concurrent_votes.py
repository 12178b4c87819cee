"""Child process of `test_concurrent_votes_leave_one_row`: many threads vote on the same statement at once.

Run against a fresh file database: ``DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m
sinergi.consultations.tests.concurrent_votes``. Prints one JSON line with what the test checks.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

THREADS = 8
VOTES_PER_THREAD = 5


def run() -> dict[str, Any]:
    from django.db import connection

    from sinergi.actors.reference_data import reference_data_load
    from sinergi.consultations.models import Consultation, Vote
    from sinergi.consultations.services import participant_join, vote_cast
    from sinergi.consultations.tests.factories import ConsultationFactory, with_statements

    reference_data_load()
    consultation = ConsultationFactory()
    (statement,) = with_statements(consultation, 1)
    participant = participant_join(consultation=consultation, anonymous_key="c" * 32)
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def cast(thread: int) -> None:
        try:
            barrier.wait()
            for n in range(VOTES_PER_THREAD):
                vote_cast(participant=participant, statement=statement, value=(thread + n) % 3 - 1)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    consultation = Consultation.objects.get(pk=consultation.pk)
    rows = list(Vote.objects.filter(participant=participant, statement=statement))
    return {
        "errors": errors,
        "rows": len(rows),
        "votes_cast": THREADS * VOTES_PER_THREAD,
        "vote_sequence": consultation.vote_sequence,
        "last_value_matches_highest_sequence": bool(rows) and rows[0].change_sequence == consultation.vote_sequence,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(run()))
