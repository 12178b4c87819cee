import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from sinergi.ledger.encoding import GENESIS_HASH, canonical_json, leaf_hash
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import AppendOnlyError, LedgerEntry
from sinergi.ledger.selectors import ledger_verify_chain
from sinergi.ledger.services import ledger_record

pytestmark = pytest.mark.django_db


def _record(n: int = 1) -> list[LedgerEntry]:
    with transaction.atomic():
        return [
            ledger_record(
                event=LedgerEvent.FORUM_CONVENED,
                actor=None,
                subject_type="forum",
                subject_id=f"forum-{i}",
                data={"name": f"Forum {i}", "when": dt.date(2026, 11, 27), "share": Decimal("0.50")},
            )
            for i in range(n)
        ]


def test_entries_form_a_gap_free_hash_chain() -> None:
    first, second, third = _record(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert list(ledger_verify_chain()) == []


def test_entry_hash_is_the_rfc9162_leaf_hash_of_the_canonical_document() -> None:
    (entry,) = _record(1)
    stored = LedgerEntry.objects.get(pk=entry.pk)
    document = stored.canonical_bytes()
    assert stored.entry_hash == leaf_hash(document)
    parsed = json.loads(document)
    assert parsed["data"] == {"name": "Forum 0", "when": "2026-11-27", "share": "0.50"}
    assert list(parsed) == sorted(parsed)


def test_canonical_json_is_stable_and_refuses_floats() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    with pytest.raises(TypeError):
        canonical_json({"x": 0.1})


def test_recording_outside_a_transaction_is_refused() -> None:
    # pytest-django wraps the test in a transaction; leave it to prove the guard.
    with pytest.raises(RuntimeError):
        connection.in_atomic_block = False
        try:
            ledger_record(event=LedgerEvent.FORUM_CONVENED, actor=None, subject_type="forum", subject_id="x")
        finally:
            connection.in_atomic_block = True


def test_model_refuses_update_and_delete() -> None:
    (entry,) = _record(1)
    entry.payload = {"name": "forged"}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_ledgerentry SET actor = 'forged'",
        "DELETE FROM ledger_ledgerentry",
    ],
)
def test_database_refuses_update_and_delete(statement: str) -> None:
    _record(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LedgerEntry.objects.count() == 2


def test_queryset_update_and_delete_are_refused_by_the_database() -> None:
    _record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.all().update(actor="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.all()._raw_delete(LedgerEntry.objects.db)


def _disable_guards(cursor) -> None:  # type: ignore[no-untyped-def]
    """What an attacker with full database rights would do before forging a row."""
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER")
    else:
        cursor.execute("DROP TRIGGER ledger_entry_no_update")


def test_verify_command_detects_a_row_changed_with_raw_sql(capsys: pytest.CaptureFixture[str]) -> None:
    _record(3)
    call_command("verify_ledger")
    assert "intact: 3 entries" in capsys.readouterr().out
    with connection.cursor() as cursor:
        _disable_guards(cursor)
        cursor.execute(
            "UPDATE ledger_ledgerentry SET payload = %s WHERE sequence = 2", [json.dumps({"name": "Forum palsu"})]
        )
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("verify_ledger")
    assert "entry #2: content does not match" in capsys.readouterr().err


def test_verify_detects_a_relinked_chain() -> None:
    _record(3)
    with connection.cursor() as cursor:
        _disable_guards(cursor)
        cursor.execute("UPDATE ledger_ledgerentry SET previous_hash = %s WHERE sequence = 3", ["f" * 64])
    problems = list(ledger_verify_chain())
    assert {p.sequence for p in problems} == {3}


def test_timeline_page_and_api_list_entries(client) -> None:  # type: ignore[no-untyped-def]
    _record(3)
    page = client.get("/log/")
    assert page.status_code == 200
    assert "Forum dibentuk" in page.content.decode()
    detail = client.get("/log/2/")
    assert detail.status_code == 200
    assert LedgerEntry.objects.get(sequence=2).entry_hash in detail.content.decode()
    assert client.get("/log/99999999999999999999/").status_code == 404
    data = client.get("/api/v1/ledger/entries?limit=2").json()
    assert data["count"] == 3
    assert [e["sequence"] for e in data["items"]] == [3, 2]
    assert client.get("/api/v1/ledger/entries/999").status_code == 404
