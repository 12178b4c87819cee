"""`insert_row` writes what `save()` would, and with skip_on_conflict reports a collision instead of raising."""

import pytest

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
