"""Location: kelurahan of the city, a point inside the boundary (filling the kelurahan), a point outside
with a message naming where to go, a kelurahan that disagrees with the point."""

import pytest

from sinergi.aspirations.location import resolve_location
from sinergi.aspirations.services.intake import aspiration_submit
from sinergi.aspirations.tests.test_intake import submission
from sinergi.core.errors import RuleViolation
from sinergi.regions.models import Region
from sinergi.regions.selectors import region_for_point

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kota_blitar")]


@pytest.fixture
def kota_blitar(db: None) -> None:
    from sinergi.regions.services import region_import_kota_blitar

    region_import_kota_blitar()


def inside_point(code: str) -> tuple[float, float]:
    region = Region.objects.get(code=code)
    lat, lng = float(region.centroid_lat), float(region.centroid_lng)  # type: ignore[arg-type]
    assert region_for_point(lng, lat) == region, "centroid must lie inside for this test"
    return lat, lng


def test_kelurahan_code_accepted() -> None:
    assert resolve_location(region_code="35.72.01.1001").region.code == "35.72.01.1001"  # type: ignore[union-attr]


@pytest.mark.parametrize("code", ["35.72.01", "35.05.01.2001", "35.72.09.9999", "bukan-kode"])
def test_not_a_city_kelurahan(code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        resolve_location(region_code=code)
    assert caught.value.code == "invalid_region"


def test_point_inside_fills_the_kelurahan() -> None:
    lat, lng = inside_point("35.72.03.1004")
    location = resolve_location(latitude=lat, longitude=lng)
    assert location.region is not None and location.region.code == "35.72.03.1004"


def test_point_disagreeing_with_kelurahan() -> None:
    lat, lng = inside_point("35.72.03.1004")
    with pytest.raises(RuleViolation) as caught:
        resolve_location(region_code="35.72.02.1001", latitude=lat, longitude=lng)
    assert caught.value.code == "region_mismatch"
    assert "Sananwetan" in caught.value.message


def test_point_just_outside_names_kabupaten_blitar_when_known() -> None:
    from sinergi.regions.services import region_import_national

    region_import_national(under="35.05")
    with pytest.raises(RuleViolation) as caught:
        resolve_location(latitude=-8.06, longitude=112.22)  # Garum, east of the city
    assert caught.value.code == "outside_city"
    assert "Kabupaten Blitar" in caught.value.message


def test_point_far_away_gets_the_general_message() -> None:
    with pytest.raises(RuleViolation) as caught:
        resolve_location(latitude=-7.2575, longitude=112.7521)  # Surabaya
    assert caught.value.code == "outside_city"
    assert "lapor.go.id" in caught.value.message


@pytest.mark.parametrize(
    ("lat", "lng"), [(-8.1, None), ("abc", 112.1), (float("nan"), 112.1), (-91, 112.1), (-8.1, 181)]
)
def test_malformed_points(lat: object, lng: object) -> None:
    with pytest.raises(RuleViolation) as caught:
        resolve_location(latitude=lat, longitude=lng)  # type: ignore[arg-type]
    assert caught.value.code == "invalid_location"


def test_submission_outside_city_writes_nothing() -> None:
    from sinergi.aspirations.models import Aspiration

    with pytest.raises(RuleViolation):
        aspiration_submit(submission=submission(latitude=-7.2575, longitude=112.7521), actor=None)
    assert Aspiration.objects.count() == 0
    lat, lng = inside_point("35.72.01.1007")
    result = aspiration_submit(submission=submission(latitude=lat, longitude=lng), actor=None)
    assert result.aspiration.region_id == "35.72.01.1007"
