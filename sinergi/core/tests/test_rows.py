"""`insert_row` writes what `save()` would, and with skip_on_conflict reports a collision instead of raising."""

import pytest
from django.db import IntegrityError, connection, transaction

from sinergi.aspirations.models import Category
from sinergi.core import rows

pytestmark = pytest.mark.django_db


def _category(slug: str) -> Category:
    return Category(slug=slug, name="Jalan rusak", keywords=["jalan", "lubang"])


def test_compiled_insert_stores_the_same_row_as_save():
    row = _category("jalan-rusak")
    assert rows.insert_row(row) is True
    assert row.pk is not None and not row._state.adding
    stored = Category.objects.get(pk=row.pk)
    assert (stored.slug, stored.name, stored.keywords, stored.is_active) == (
        "jalan-rusak",
        "Jalan rusak",
        ["jalan", "lubang"],
        True,
    )


@pytest.mark.parametrize("compiled", [True, False], ids=["insert-returning", "orm-fallback"])
def test_skip_on_conflict_reports_the_collision_and_leaves_the_transaction_usable(compiled, monkeypatch):
    if not compiled:
        # A backend without INSERT … RETURNING: the ORM's insert inside a savepoint.
        monkeypatch.setattr(rows, "_statement", lambda *args: None)
    assert rows.insert_row(_category("sampah"), skip_on_conflict=True) is True
    duplicate = _category("sampah")
    assert rows.insert_row(duplicate, skip_on_conflict=True) is False
    assert duplicate.pk is None
    assert Category.objects.filter(slug="sampah").count() == 1
    assert rows.insert_row(_category("lampu"), skip_on_conflict=True) is True


def test_prepared_row_takes_the_key_of_a_related_row_written_after_it_was_prepared():
    """A reporter identity is prepared with its aspiration before either is written (outside the
    transaction); executing it after the aspiration fills in the new key, as save() would."""
    from sinergi.aspirations.models import AspirationEvent
    from sinergi.ledger.services import ledger_append, ledger_prepare

    category = _category("taman")
    log = ledger_prepare(event="aspiration.submitted", actor=None, subject_type="category", subject_id="taman")
    event_row = AspirationEvent(kind="submitted", ledger_entry=log.entry, public_text="x", is_public=True)
    assert event_row.ledger_entry_id is None
    prepared_event = rows.prepare_insert(event_row)
    prepared_category = rows.prepare_insert(category)
    with transaction.atomic():
        assert prepared_category.execute() is True
        entry = ledger_append(log)
        # The event's aspiration is not set: only the ledger key is filled in from its related row.
        with pytest.raises(IntegrityError), transaction.atomic():
            prepared_event.execute()
    assert event_row.ledger_entry_id == entry.pk


def test_values_passed_to_execute_replace_the_prepared_ones_and_are_converted():
    prepared = rows.prepare_insert(_category("drainase"), skip_on_conflict=True)
    assert rows.insert_row(_category("banjir")) is True
    # The first attempt collides on the slug; the retry with another value is written.
    assert rows.prepare_insert(_category("banjir"), skip_on_conflict=True).execute() is False
    assert prepared.execute(slug="drainase-2", keywords=("got", "saluran")) is True
    stored = Category.objects.get(pk=prepared.row.pk)
    assert (stored.slug, stored.keywords) == ("drainase-2", ["got", "saluran"])


def test_rows_are_stored_as_save_stores_them_whatever_the_value_types():
    """The conversion chain is skipped for plain values; values of other types still go through it."""
    from django.utils import timezone

    from sinergi.aspirations.models import Aspiration

    when = timezone.now()
    fields = {
        "kind": "pengaduan",
        "title": "Judul",
        "text": "Isi",
        "status": "received",
        "latitude": -8.1,
        "longitude": 112.16,
        "suggestion_score": 1,  # an int in a FloatField: converted
        "needs_investigation": True,
        "received_at": when,
    }
    written = Aspiration(tracking_code="ROWS00000001", **fields)
    saved = Aspiration(tracking_code="ROWS00000002", **fields)
    rows.insert_row(written)
    saved.save()
    skipped = {"id", "tracking_code", "uid", "created_at", "updated_at"}  # differ by design
    columns = [f.column for f in Aspiration._meta.concrete_fields if f.attname not in skipped]
    # As stored, with the type each value has in the database (an int where a float belongs would pass
    # a comparison of the values read back).
    select = ", ".join(f"{c}, typeof({c})" if connection.vendor == "sqlite" else c for c in columns)
    with connection.cursor() as cursor:
        stored = []
        for pk in (written.pk, saved.pk):
            cursor.execute(f"SELECT {select} FROM {Aspiration._meta.db_table} WHERE id = %s", [pk])
            stored.append(cursor.fetchone())
    assert stored[0] == stored[1]


def test_receivers_of_the_model_signals_hear_a_compiled_insert():
    from django.db.models import signals

    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append((kwargs.get("created"), instance.slug, instance.pk is not None))

    signals.pre_save.connect(receiver, sender=Category)
    signals.post_save.connect(receiver, sender=Category)
    try:
        rows.insert_row(_category("pasar"))
    finally:
        signals.pre_save.disconnect(receiver, sender=Category)
        signals.post_save.disconnect(receiver, sender=Category)
    assert heard == [(None, "pasar", False), (True, "pasar", True)]


def test_a_model_with_its_own_primary_key_is_written_without_returning():
    """The task outbox row has a UUID key drawn by its default: INSERT without RETURNING."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="x.y",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
    )
    assert rows.insert_row(row) is True
    assert DBTaskResult.objects.get(pk=row.pk).args_kwargs == {"args": [1], "kwargs": {}}
    duplicate = DBTaskResult(
        id=row.id, args_kwargs={}, task_path="x.y", queue_name="default", backend_name="d", run_after=timezone.now()
    )
    assert rows.insert_row(duplicate, skip_on_conflict=True) is False
