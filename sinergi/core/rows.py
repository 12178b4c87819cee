"""INSERT one model row with a statement compiled once per model, its values prepared ahead of time.

For the few writes on a hot path (an aspiration submission writes five rows), compiling the INSERT through
the ORM costs more than SQLite takes to run it. `insert_row(row)` is equivalent to
`row.save(force_insert=True)` for models without a `save()` override that must run: the same field values
through the same `pre_save` and `get_db_prep_save` (auto timestamps, defaults, sealed columns, JSON), the
same `pre_save`/`post_save` signals when a receiver listens for them, only with the SQL text cached. On
a backend without INSERT … RETURNING rows go through `save(force_insert=True)`.

`prepare_insert(row)` does all of that work except running the statement, so that a service can do it
*before* its transaction: on SQLite the write lock is taken at BEGIN and every writer queues behind the
one holding it, so what runs inside the transaction sets the ceiling on submissions per second. A row
whose foreign key points at another row of the same act that is not written yet (a reporter identity of a
new aspiration) gets that key filled in when it executes, as `save()` does for a related object saved in
the meantime; values only known inside the transaction (the public log's sequence and hash) are passed to
`execute()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import IntegrityError, connections, models, transaction
from django.db.models import ForeignKey, JSONField, signals

if TYPE_CHECKING:
    from django.db.models import Field, Model

__all__ = ["PreparedInsert", "insert_row", "prepare_insert"]

M = TypeVar("M", bound="Model")


@dataclass(frozen=True)
class _Statement:
    sql: str
    fields: tuple[Field, ...]
    pk_attname: str
    none_is_null: tuple[bool, ...]
    # Value types each field stores unchanged (a str in a CharField): the conversion chain is skipped.
    unchanged: tuple[frozenset[type], ...]
    position: dict[str, int]  # attname → index of its parameter
    foreign_keys: tuple[tuple[int, ForeignKey], ...]


class PreparedInsert(Generic[M]):
    """One row's INSERT with its parameters converted; `execute()` runs it (once)."""

    __slots__ = ("_params", "_statement", "row", "skip_on_conflict", "using")

    def __init__(self, row: M, *, using: str = "default", skip_on_conflict: bool = False) -> None:
        self.row = row
        self.using = using
        self.skip_on_conflict = skip_on_conflict
        connection = connections[using]
        self._statement = _statement(type(row), connection.alias, skip_on_conflict)
        self._params: list[Any] = []
        if self._statement is not None:
            statement = self._statement
            if signals.pre_save.has_listeners(type(row)):
                signals.pre_save.send(type(row), instance=row, raw=False, using=using, update_fields=None)
            params = self._params
            for field, plain_null, unchanged in zip(
                statement.fields, statement.none_is_null, statement.unchanged, strict=True
            ):
                value = field.pre_save(row, True)
                # Half the columns of a new row are empty, most others plain text or numbers: the
                # conversion chain would hand them back as they are.
                if (value is None and plain_null) or type(value) in unchanged:
                    params.append(value)
                else:
                    params.append(field.get_db_prep_save(value, connection))

    def execute(self, **values: Any) -> bool:
        """INSERT the row, set its primary key, mark it saved. Returns True when a row was written.

        `values` (attribute names) are set on the row and replace their prepared parameters: what could
        only be known inside the transaction. With `skip_on_conflict`, a row that collides with any
        unique constraint is not written and False comes back, without an IntegrityError that would need
        a savepoint to recover from; `execute` may then be called again with other values."""
        row = self.row
        for attname, value in values.items():
            setattr(row, attname, value)
        statement = self._statement
        if statement is None:
            return self._save()
        connection = connections[self.using]
        params = self._params
        for attname, value in values.items():
            index = statement.position[attname]
            params[index] = statement.fields[index].get_db_prep_save(value, connection)
        for index, field in statement.foreign_keys:
            if params[index] is None and (key := _key_of_related_row(row, field)) is not None:
                params[index] = field.get_db_prep_save(key, connection)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            if statement.pk_attname:
                returned = cursor.fetchone()
                written = returned is not None
            else:
                written = cursor.rowcount == 1
        if not written:
            return False
        if statement.pk_attname:
            setattr(row, statement.pk_attname, returned[0])
        row._state.adding = False
        row._state.db = connection.alias
        if signals.post_save.has_listeners(type(row)):
            signals.post_save.send(
                type(row), instance=row, created=True, update_fields=None, raw=False, using=connection.alias
            )
        return True

    def _save(self) -> bool:
        row = self.row
        for field in row._meta.concrete_fields:
            if isinstance(field, ForeignKey) and getattr(row, field.attname) is None:
                _key_of_related_row(row, field)
        if not self.skip_on_conflict:
            row.save(force_insert=True, using=self.using)
            return True
        # Without INSERT … RETURNING: the ORM's insert, a collision caught inside a savepoint.
        try:
            with transaction.atomic(using=self.using):
                row.save(force_insert=True, using=self.using)
        except IntegrityError:
            return False
        return True


def _key_of_related_row(row: Model, field: ForeignKey) -> Any:
    """The key of the related row assigned to `field` and written after `row` was built, now set on
    `row` too (what save() does for a related object saved in the meantime); None if there is none."""
    related = field.get_cached_value(row, None)
    key = getattr(related, field.target_field.attname) if related is not None else None
    if key is not None:
        setattr(row, field.attname, key)
    return key


def prepare_insert(row: M, *, using: str = "default", skip_on_conflict: bool = False) -> PreparedInsert[M]:
    """Everything of `insert_row(row)` but running the statement; may run outside any transaction."""
    return PreparedInsert(row, using=using, skip_on_conflict=skip_on_conflict)


def insert_row(row: Model, *, using: str = "default", skip_on_conflict: bool = False) -> bool:
    """INSERT `row`, set its primary key, mark it saved. Returns True when a row was written.

    `skip_on_conflict`: `ON CONFLICT DO NOTHING` — a row that collides with any unique constraint is not
    written and False comes back, without an IntegrityError that would need a savepoint to recover from.
    """
    return PreparedInsert(row, using=using, skip_on_conflict=skip_on_conflict).execute()


@cache
def _statement(model: type[Model], alias: str, skip_on_conflict: bool) -> _Statement | None:
    connection = connections[alias]
    meta = model._meta
    auto_field = meta.auto_field
    if not connection.features.can_return_columns_from_insert:
        return None
    # With an auto primary key the database draws it and RETURNING hands it back; any other primary key
    # (a UUID from its default) is a value like the rest and the row is written when one row was inserted.
    fields = tuple(f for f in meta.local_concrete_fields if f is not auto_field and not f.generated)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # A field's placeholder (BinaryField's, for sealed columns) is the same for every value on the
    # backends that support RETURNING; computed once here.
    placeholders = ", ".join(_placeholder(f, connection) for f in fields)
    conflict = " ON CONFLICT DO NOTHING" if skip_on_conflict else ""
    returning = f" RETURNING {quote(auto_field.column)}" if auto_field is not None else ""
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}){conflict}{returning}"  # noqa: S608
    return _Statement(
        sql=sql,
        fields=fields,
        pk_attname=auto_field.attname if auto_field is not None else "",
        none_is_null=tuple(not isinstance(f, JSONField) for f in fields),  # JSON fields may store JSON null
        unchanged=tuple(_unchanged_types(f) for f in fields),
        position={f.attname: i for i, f in enumerate(fields)},
        foreign_keys=tuple((i, f) for i, f in enumerate(fields) if isinstance(f, ForeignKey)),
    )


# Field classes whose conversion for the database (`get_prep_value` and `get_db_prep_value`, on every
# backend) returns a value of these exact types unchanged. Only these exact classes: a subclass may
# convert (a sealed text column is a TextField).
_UNCHANGED: dict[type[Field], frozenset[type]] = {
    models.CharField: frozenset({str}),
    models.TextField: frozenset({str}),
    models.SlugField: frozenset({str}),
    models.IntegerField: frozenset({int}),
    models.BigIntegerField: frozenset({int}),
    models.SmallIntegerField: frozenset({int}),
    models.PositiveIntegerField: frozenset({int}),
    models.PositiveBigIntegerField: frozenset({int}),
    models.PositiveSmallIntegerField: frozenset({int}),
    models.AutoField: frozenset({int}),
    models.BigAutoField: frozenset({int}),
    models.FloatField: frozenset({float}),
    models.BooleanField: frozenset({bool}),
}


def _unchanged_types(field: Field) -> frozenset[type]:
    if type(field) is models.ForeignKey:
        return _unchanged_types(field.target_field)
    return _UNCHANGED.get(type(field), frozenset())


def _placeholder(field: Field, connection: Any) -> str:
    get_placeholder = getattr(field, "get_placeholder", None)
    return get_placeholder(None, None, connection) if get_placeholder else "%s"
