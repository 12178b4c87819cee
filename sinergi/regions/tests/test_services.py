import csv
import json

import pytest
from django.core.management import CommandError, call_command

from sinergi.core.errors import RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.regions import sources
from sinergi.regions.models import Region, RegionAlias, RegionLevel
from sinergi.regions.services import region_import_kota_blitar, region_import_national

pytestmark = pytest.mark.django_db


def test_kota_blitar_import_loads_city_kecamatan_and_kelurahan_with_facts() -> None:
    before = LedgerEntry.objects.count()
    result = region_import_kota_blitar()

    assert LedgerEntry.objects.count() == before + 1
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry.event_type == LedgerEvent.REGION_IMPORTED
    assert entry.payload["created"] == 26 and entry.payload["scope"] == "35.72"
    assert result.created == 26  # Jawa Timur, the city, 3 kecamatan, 21 kelurahan

    city = Region.objects.get(code="35.72")
    assert str(city) == "Kota Blitar" and city.kind == "kota" and city.parent_id == "35"
    assert city.population == 161204
    assert str(city.area_km2) == "33.203"
    assert city.boundary["type"] == "Polygon"
    assert Region.objects.get(code="35").name == "Jawa Timur"
    assert list(Region.objects.filter(parent=city).values_list("name", flat=True)) == [
        "Kepanjenkidul",
        "Sukorejo",
        "Sananwetan",
    ]
    kelurahan = Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith="35.72.")
    assert kelurahan.count() == 21
    assert all(k.kind == "kelurahan" and k.boundary and k.postal_code for k in kelurahan)
    bendogerit = Region.objects.get(code="35.72.03.1007")
    assert (bendogerit.name, bendogerit.postal_code, str(bendogerit)) == ("Bendogerit", "66133", "Kelurahan Bendogerit")
    assert str(bendogerit.centroid_lat) == "-8.088424"
    assert Region.objects.get(code="35.72.03").boundary is not None
    assert RegionAlias.objects.filter(region_id="35.72.02.1001", name="Kapunden").exists()


def test_kota_blitar_import_is_idempotent_and_logs_each_run() -> None:
    region_import_kota_blitar()
    before = LedgerEntry.objects.count()
    again = region_import_kota_blitar()
    assert (again.created, again.updated, again.unchanged, again.aliases_added) == (0, 0, 26, 0)
    assert LedgerEntry.objects.count() == before + 1
    assert Region.objects.count() == 26


def test_import_repairs_a_region_edited_by_hand() -> None:
    region_import_kota_blitar()
    Region.objects.filter(code="35.72.03.1007").update(name="Salah Ketik", postal_code="")
    result = region_import_kota_blitar()
    assert result.updated == 1
    assert Region.objects.get(code="35.72.03.1007").postal_code == "66133"


def test_subtree_import_loads_kabupaten_blitar_with_its_ancestors() -> None:
    before = LedgerEntry.objects.count()
    result = region_import_national(under="35.05")
    expected = sum(1 for row in sources.national_rows() if row.code == "35.05" or row.code.startswith("35.05."))
    assert result.created == expected + 1  # + Jawa Timur
    assert Region.objects.get(code="35.05").kind == "kabupaten"
    assert Region.objects.get(code="35.05").population is not None
    assert Region.objects.filter(code__startswith="35.05.", level=RegionLevel.KECAMATAN).count() == 22
    assert set(Region.objects.filter(level=4).values_list("kind", flat=True)) == {"desa", "kelurahan"}
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-sequence").first().subject_id == "35.05"


def test_national_import_loads_every_row_in_batches_and_keeps_shipped_detail() -> None:
    region_import_kota_blitar()
    result = region_import_national(batch_size=5000)
    assert Region.objects.count() == 91599
    assert Region.objects.filter(level=RegionLevel.PROVINSI).count() == 38
    assert Region.objects.filter(level=RegionLevel.KABUPATEN_KOTA).count() == 514
    assert result.created == 91599 - 26 and result.updated == 0
    # The national list has no postcodes or boundaries: it must not erase Kota Blitar's.
    assert Region.objects.get(code="35.72.03.1007").postal_code == "66133"
    assert Region.objects.get(code="35.72").boundary is not None
    assert Region.objects.get(code="31.71").kind == "kota"
    assert str(Region.objects.get(code="31").area_km2) == "661.530"
    # Idempotence runs through the same code path; a subtree re-run keeps this test quick.
    again = region_import_national(under="35.05")
    assert again.created == 0 and again.updated == 0


def test_import_refusals_write_nothing() -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation):
        region_import_national(under="35.5")
    with pytest.raises(RuleViolation):
        region_import_national(under="99.99")
    assert LedgerEntry.objects.count() == before
    assert Region.objects.count() == 0


def test_load_regions_command_default_and_subtree(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_regions")
    assert "26 baru" in capsys.readouterr().out
    assert Region.objects.filter(parent__code__startswith="35.72.", level=4).count() == 21
    assert Region.objects.filter(parent_id="35.72", level=3).count() == 3
    call_command("load_regions", "--under", "35.05")
    assert Region.objects.filter(code="35.05").exists()
    with pytest.raises(CommandError):
        call_command("load_regions", "--under", "x")


def test_shipped_data_is_inside_the_repository_and_keeps_the_licence() -> None:
    notice = (sources.DATA_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "MIT" in notice and "Cahya DSN" in notice
    for path in (sources.KOTA_BLITAR_KELURAHAN, sources.KOTA_BLITAR_KECAMATAN, sources.KOTA_BLITAR_CITY):
        assert not path.is_symlink()
        assert json.loads(path.read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    with sources.ALIASES.open(encoding="utf-8") as handle:
        assert {"kode", "alias"} <= set(csv.DictReader(handle).fieldnames or [])
    assert sources.NATIONAL_CODES.suffix == ".gz"
