"""Readers for the region data shipped in `sinergi/regions/data/` (see SOURCE.md there).

The product only ever reads these copies, never the shared folder they came from.
"""

import csv
import gzip
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_CODES = DATA_DIR / "wilayah_indonesia_kepmendagri_2025.csv.gz"
KOTA_BLITAR_CODES = DATA_DIR / "kota_blitar_wilayah.csv"
KOTA_BLITAR_KELURAHAN = DATA_DIR / "kota_blitar_kelurahan.geojson"
KOTA_BLITAR_KECAMATAN = DATA_DIR / "kota_blitar_kecamatan.geojson"
KOTA_BLITAR_CITY = DATA_DIR / "kota_blitar_batas_kota.geojson"
AREAS = DATA_DIR / "luas_prov_kabkota_km2.csv"
POPULATION = DATA_DIR / "penduduk_prov_kabkota_kepmendagri_2025.csv"
ALIASES = DATA_DIR / "region_aliases.csv"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int
    parent_code: str
    postal_code: str = ""
    centroid_lat: Decimal | None = None
    centroid_lng: Decimal | None = None

    @property
    def kind(self) -> str:
        return region_kind(self.code, self.name, self.level)


def region_kind(code: str, name: str, level: int) -> str:
    """Kota vs kabupaten from the official name; kelurahan vs desa from the code (1xxx vs 2xxx)."""
    if level == 1:
        return "provinsi"
    if level == 2:
        return "kota" if name.startswith("Kota ") else "kabupaten"
    if level == 3:
        return "kecamatan"
    return "kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "desa"


def _decimal(text: str) -> Decimal | None:
    return Decimal(text).quantize(Decimal("0.000001")) if text.strip() else None


def national_rows(*, under: str = "") -> list[RegionRow]:
    """The national list; with `under`, only that region, its subtree and its ancestors."""
    ancestors = {under[:n] for n in range(2, len(under), 3)} if under else set()
    with gzip.open(NATIONAL_CODES, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header: kode, nama, tingkat, kode_induk
        return [
            RegionRow(code=code, name=name, level=int(level), parent_code=parent)
            for code, name, level, parent in reader
            if not under or code == under or code.startswith(under + ".") or code in ancestors
        ]


def kota_blitar_rows() -> list[RegionRow]:
    """The province (from the parent columns), the city, its kecamatan and kelurahan."""
    with KOTA_BLITAR_CODES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    city = rows[0]
    province = RegionRow(code=city["kode_induk"], name=city["nama_induk"], level=1, parent_code="")
    return [province] + [
        RegionRow(
            code=row["kode"],
            name=row["nama"],
            level=int(row["tingkat"]),
            parent_code=row["kode_induk"],
            postal_code=row["kode_pos"],
            centroid_lat=_decimal(row["centroid_lat"]),
            centroid_lng=_decimal(row["centroid_lng"]),
        )
        for row in rows
    ]


def kota_blitar_boundaries() -> dict[str, dict[str, Any]]:
    """Region code → GeoJSON geometry, for the city, its kecamatan and its kelurahan."""
    boundaries: dict[str, dict[str, Any]] = {}
    for path in (KOTA_BLITAR_CITY, KOTA_BLITAR_KECAMATAN, KOTA_BLITAR_KELURAHAN):
        document = json.loads(path.read_text(encoding="utf-8"))
        for feature in document["features"]:
            boundaries[feature["properties"]["kode"]] = feature["geometry"]
    return boundaries


def areas_km2() -> dict[str, Decimal]:
    with AREAS.open(encoding="utf-8", newline="") as handle:
        return {row["kode"]: Decimal(row["luas_km2"]) for row in csv.DictReader(handle)}


def populations() -> dict[str, int]:
    with POPULATION.open(encoding="utf-8", newline="") as handle:
        return {row["kode"]: int(row["total"]) for row in csv.DictReader(handle) if row["kode"] != "0"}


def region_aliases() -> list[tuple[str, str]]:
    with ALIASES.open(encoding="utf-8", newline="") as handle:
        return [(row["kode"], row["alias"]) for row in csv.DictReader(handle)]
