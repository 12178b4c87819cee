import csv

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.regions import sources
from sinergi.regions.models import Region
from sinergi.regions.selectors import (
    name_key,
    region_ancestors,
    region_deployment,
    region_for_point,
    region_list,
    region_map_shapes,
    region_normalise_name,
    region_overview,
)

pytestmark = pytest.mark.usefixtures("kota_blitar")


def _kelurahan_centroids() -> list[tuple[str, float, float]]:
    with sources.KOTA_BLITAR_CODES.open(encoding="utf-8") as handle:
        return [
            (row["kode"], float(row["centroid_lng"]), float(row["centroid_lat"]))
            for row in csv.DictReader(handle)
            if row["jenis"] == "kelurahan"
        ]


def test_every_kelurahan_centroid_falls_in_its_own_kelurahan() -> None:
    centroids = _kelurahan_centroids()
    assert len(centroids) == 21
    for code, lng, lat in centroids:
        found = region_for_point(lng, lat)
        assert found is not None and found.code == code, code


def test_city_centre_is_in_kepanjenlor() -> None:
    assert region_for_point(112.166971, -8.094767).name == "Kepanjenlor"


@pytest.mark.parametrize(
    ("lng", "lat"),
    [
        (112.2300, -8.0600),  # Garum, Kabupaten Blitar, north-east of the city
        (112.25, -8.10),  # Kabupaten Blitar, east of Sananwetan
        (112.1667, -7.98),  # north of the city, Kabupaten Blitar
        (106.8456, -6.2088),  # Jakarta
        (float("nan"), -8.09),
        (500.0, -8.09),
    ],
)
def test_points_outside_the_city_give_none(lng: float, lat: float) -> None:
    assert region_for_point(lng, lat) is None


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Kepanjen Kidul", "35.72.01.1001"),
        ("kecamatan kepanjen kidul", "35.72.01"),
        ("Kec. Sanan Wetan", "35.72.03"),
        ("Sanan Wetan", "35.72.03.1004"),
        ("Kel. Kapunden", "35.72.02.1001"),
        ("KAPUNDEN", "35.72.02.1001"),
        ("Bendo Gerit", "35.72.03.1007"),
        ("bendogerit", "35.72.03.1007"),
        ("Kepanjen Lor", "35.72.01.1007"),
        ("Kota Blitar", "35.72"),
        ("Blitar", "35.72.02.1002"),
        ("  Karang-Tengah ", "35.72.03.1006"),
    ],
)
def test_region_normalise_name(typed: str, code: str) -> None:
    region = region_normalise_name(typed)
    assert region is not None and region.code == code


@pytest.mark.parametrize("typed", ["", "   ", "Kelurahan", "Wlingi", "Kepanjen", "x" * 500])
def test_region_normalise_name_unknown(typed: str) -> None:
    assert region_normalise_name(typed) is None


def test_name_key_folds_case_accents_and_spacing() -> None:
    assert name_key("Sanan-Wétan ") == name_key("sananwetan")


def test_selectors_shape() -> None:
    city = region_deployment()
    assert city is not None and city.code == "35.72"
    assert [r.code for r in region_ancestors(Region.objects.get(code="35.72.03.1007"))] == ["35", "35.72", "35.72.03"]
    assert region_list(parent="35.72").count() == 3
    assert region_list(level=4).count() == 21
    assert len(region_map_shapes(city)) == 21
    assert [r.code for r in region_map_shapes(Region.objects.get(code="35.72.03.1007"))] == ["35.72.03.1007"]
    with CaptureQueriesContext(connection) as queries:
        districts = region_overview(city)
        names = [v.name for d in districts for v in d.children.all()]
    assert len(names) == 21
    assert len(queries) == 2
