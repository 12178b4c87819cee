"""Writes for regions: importing the shipped Kemendagri data. One log entry per import run."""

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sinergi.core.errors import RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.regions import sources
from sinergi.regions.models import Region, RegionAlias

REGION_CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
# Fields an import owns; anything else on a region (added by hand) is left alone.
IMPORTED_FIELDS = (
    "name",
    "level",
    "kind",
    "parent_id",
    "postal_code",
    "centroid_lat",
    "centroid_lng",
    "boundary",
    "population",
    "area_km2",
)


@dataclass
class RegionImportResult:
    scope: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases_added: int = 0

    def as_log_data(self) -> dict[str, Any]:
        return {**asdict(self), "source": "kepmendagri-2025"}


def _ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _desired_fields(
    row: sources.RegionRow,
    *,
    populations: dict[str, int],
    areas: dict[str, Any],
    boundaries: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": row.name,
        "level": row.level,
        "kind": row.kind,
        "parent_id": row.parent_code or None,
    }
    # Only facts the source actually has are written, so a later national load never erases
    # the postcodes or boundaries that the detailed Kota Blitar load put there.
    optional = {
        "postal_code": row.postal_code,
        "centroid_lat": row.centroid_lat,
        "centroid_lng": row.centroid_lng,
        "boundary": boundaries.get(row.code),
        "population": populations.get(row.code),
        "area_km2": areas.get(row.code),
    }
    fields.update({name: value for name, value in optional.items() if value not in (None, "")})
    return fields


def _upsert(
    rows: Iterable[sources.RegionRow],
    existing: dict[str, Region],
    result: RegionImportResult,
    *,
    desired: Callable[[sources.RegionRow], dict[str, Any]],
    batch_size: int,
) -> None:
    to_create: list[Region] = []
    to_update: list[Region] = []
    changed_fields: set[str] = set()
    for row in sorted(rows, key=lambda r: (r.level, r.code)):
        fields = desired(row)
        region = existing.get(row.code)
        if region is None:
            to_create.append(Region(code=row.code, **fields))
            continue
        changes = {name: value for name, value in fields.items() if getattr(region, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(region, name, value)
            changed_fields.update(changes)
            to_update.append(region)
        else:
            result.unchanged += 1
    # Sorted by level, so every batch only points at parents created in earlier batches or rows.
    _insert(to_create, batch_size=batch_size)
    if to_update:
        Region.objects.bulk_update(to_update, sorted(changed_fields), batch_size=batch_size)
    result.created += len(to_create)
    result.updated += len(to_update)


def _insert(regions: list[Region], *, batch_size: int) -> None:
    """Plain multi-row INSERTs. bulk_create prepares every value of every field and, on SQLite,
    splits 91k rows into a thousand statements; this prepares only the non-empty values of
    fields that need conversion (decimals, JSON) and lets executemany do the rest."""
    fields = list(Region._meta.concrete_fields)
    needs_preparing = {field.attname for field in fields if field.get_internal_type() in {"DecimalField", "JSONField"}}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(Region._meta.db_table)
    # Only quoted identifiers from the model's own metadata are formatted in; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    by_attname = {field.attname: field for field in fields}

    def values(region: Region) -> list[Any]:
        row = []
        for field in fields:
            value = getattr(region, field.attname)
            if value is not None and field.attname in needs_preparing:
                value = by_attname[field.attname].get_db_prep_save(value, connection)
            row.append(value)
        return row

    with connection.cursor() as cursor:
        for start in range(0, len(regions), batch_size):
            cursor.executemany(sql, [values(region) for region in regions[start : start + batch_size]])


def _aliases_add(pairs: Iterable[tuple[str, str]]) -> int:
    pairs = list(pairs)
    known = set(Region.objects.filter(code__in={code for code, _ in pairs}).values_list("code", flat=True))
    added = 0
    for code, name in pairs:
        if code in known:
            _, made = RegionAlias.objects.get_or_create(region_id=code, name=name)
            added += made
    return added


@transaction.atomic
def region_import_kota_blitar(*, actor: Any = None, batch_size: int = 500) -> RegionImportResult:
    """Kota Blitar with its province: codes, postcodes, centroids, boundaries, population, area
    and the alias table. Idempotent: a second run changes nothing and says so in its log entry."""
    rows = sources.kota_blitar_rows()
    existing = Region.objects.in_bulk([row.code for row in rows])
    result = RegionImportResult(scope="35.72")
    populations, areas, boundaries = sources.populations(), sources.areas_km2(), sources.kota_blitar_boundaries()
    _upsert(
        rows,
        existing,
        result,
        desired=lambda row: _desired_fields(row, populations=populations, areas=areas, boundaries=boundaries),
        batch_size=batch_size,
    )
    result.aliases_added = _aliases_add(sources.region_aliases())
    ledger_record(
        event=LedgerEvent.REGION_IMPORTED,
        actor=actor,
        subject_type="region",
        subject_id=result.scope,
        data=result.as_log_data(),
    )
    return result


@transaction.atomic
def region_import_national(*, actor: Any = None, under: str = "", batch_size: int = 2000) -> RegionImportResult:
    """The national Kemendagri list (91k rows), or only the subtree `under` a code with its
    ancestors. Bulk writes in batches; idempotent."""
    if under and not REGION_CODE_PATTERN.match(under):
        raise RuleViolation(_("Kode wilayah “%(code)s” tidak sah (contoh: 35.05).") % {"code": under})
    rows = sources.national_rows(under=under)
    if under:
        wanted = {under, *_ancestor_codes(under)}
        if not any(row.code == under for row in rows):
            raise RuleViolation(_("Kode wilayah %(code)s tidak ada dalam daftar Kepmendagri.") % {"code": under})
        current = Region.objects.filter(Q(code__in=wanted) | Q(code__startswith=under + "."))
    else:
        current = Region.objects.all()
    existing = {region.code: region for region in current.only("code", *IMPORTED_FIELDS).iterator(chunk_size=5000)}
    result = RegionImportResult(scope=under or "national")
    populations, areas = sources.populations(), sources.areas_km2()
    _upsert(
        rows,
        existing,
        result,
        desired=lambda row: _desired_fields(row, populations=populations, areas=areas, boundaries={}),
        batch_size=batch_size,
    )
    result.aliases_added = _aliases_add(sources.region_aliases())
    ledger_record(
        event=LedgerEvent.REGION_IMPORTED,
        actor=actor,
        subject_type="region",
        subject_id=result.scope,
        data=result.as_log_data(),
    )
    return result
