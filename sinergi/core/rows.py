"""INSERT one model row with a statement compiled once per model.

For the few writes on a hot path (an aspiration submission writes five rows), compiling the INSERT through
the ORM costs more than SQLite takes to run it. `insert_row(row)` is equivalent to
`row.save(force_insert=True)` for models without a `save()` override that must run and without signal
receivers: the same field values through the same `pre_save` and `get_db_prep_save` (auto timestamps,
defaults, sealed columns, JSON), only with the SQL text cached. Models it cannot handle that way (no
auto primary key, a backend without INSERT … RETURNING) go through `save(force_insert=True)`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connections, transaction
from django.db.models import JSONField

if TYPE_CHECKING:
    from django.db.models import Field, Model

__all__ = ["insert_row"]


def insert_row(row: Model, *, using: str = "default", skip_on_conflict: bool = False) -> bool:
    """INSERT `row`, set its primary key, mark it saved. Returns True when a row was written.

    `skip_on_conflict`: `ON CONFLICT DO NOTHING` — a row that collides with any unique constraint is not
    written and False comes back, without an IntegrityError that would need a savepoint to recover from.
    """
    connection = connections[using]
    statement = _statement(type(row), connection.alias, skip_on_conflict)
    if statement is None:
        if not skip_on_conflict:
            row.save(force_insert=True, using=using)
            return True
        # Without INSERT … RETURNING: the ORM's insert, a collision caught inside a savepoint.
        try:
            with transaction.atomic(using=using):
                row.save(force_insert=True, using=using)
        except IntegrityError:
            return False
        return True
    sql, fields, pk_attname, none_is_null = statement
    params = []
    for field, plain_null in zip(fields, none_is_null, strict=True):
        value = field.pre_save(row, True)
        # Half the columns of a new row are empty: skip the conversion chain for them.
        params.append(None if value is None and plain_null else field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchone()
    if returned is None:
        return False
    setattr(row, pk_attname, returned[0])
    row._state.adding = False
    row._state.db = connection.alias
    return True


@cache
def _statement(
    model: type[Model], alias: str, skip_on_conflict: bool
) -> tuple[str, tuple[Field, ...], str, tuple[bool, ...]] | None:
    connection = connections[alias]
    meta = model._meta
    auto_field = meta.auto_field
    fields = tuple(f for f in meta.local_concrete_fields if f is not auto_field and not f.generated)
    if auto_field is None or not connection.features.can_return_columns_from_insert:
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # A field's placeholder (BinaryField's, for sealed columns) is the same for every value on the
    # backends that support RETURNING; computed once here.
    placeholders = ", ".join(_placeholder(f, connection) for f in fields)
    conflict = " ON CONFLICT DO NOTHING" if skip_on_conflict else ""
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}){conflict} "  # noqa: S608
        f"RETURNING {quote(auto_field.column)}"
    )
    # None is SQL NULL for every field but JSON ones (which may store JSON null).
    none_is_null = tuple(not isinstance(f, JSONField) for f in fields)
    return sql, fields, auto_field.attname, none_is_null


def _placeholder(field: Field, connection: Any) -> str:
    get_placeholder = getattr(field, "get_placeholder", None)
    return get_placeholder(None, None, connection) if get_placeholder else "%s"
