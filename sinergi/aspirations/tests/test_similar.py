"""The similar-aspiration look-up: open cases only, text and place both count, confidential titles hidden,
bounded input, and the candidate pools stay small (a query count and a cap, not a timing)."""

from typing import Any

import pytest

from sinergi.aspirations import similar
from sinergi.aspirations.routing.text import stemmed
from sinergi.aspirations.similar import find_similar, haversine_m, text_similarity
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory
from sinergi.regions.models import Region, RegionLevel

pytestmark = pytest.mark.django_db

LAT, LNG = -8.0983, 112.1681  # Kota Blitar
POTHOLE = "Jalan berlubang besar di depan SDN Sananwetan 3, sudah dua bulan, motor sering jatuh."
LAMP = "Lampu PJU mati total di gang Kenari, malam gelap sekali dan rawan maling."


def case(text: str, **fields: Any) -> Any:
    title = fields.pop("title", text[:60])
    return AspirationFactory(title=title, text=text, search_terms=stemmed(f"{title} {text}"), **fields)


@pytest.fixture
def road() -> Any:
    return CategoryFactory(slug="jalan_jembatan", name="Jalan")


@pytest.fixture
def kelurahan() -> Region:
    return Region.objects.create(
        code="35.72.02.1001", name="Sananwetan", level=RegionLevel.DESA_KELURAHAN, kind="kelurahan"
    )


def test_similar_case_nearby_ranks_first_and_reports_distance(road: Any) -> None:
    original = case(POTHOLE, category=road, latitude=LAT, longitude=LNG)
    case(LAMP, category=road, latitude=LAT, longitude=LNG)
    far = case(POTHOLE, category=road, latitude=LAT + 0.05, longitude=LNG)
    found = find_similar(
        text="jln depan SDN Sananwetan berlubang gede, motor jatuh",
        category_id=road.pk,
        latitude=LAT + 0.0005,
        longitude=LNG,
    )
    assert found[0].uid == original.uid
    assert 40 < found[0].distance_m < 70
    assert 0 < found[0].score <= 1
    assert all(item.uid != far.uid for item in found)  # 5.5 km away: outside the 500 m box
    assert LAMP[:60] not in [item.title for item in found]  # nearby but about something else


def test_only_open_cases_and_never_merged(road: Any) -> None:
    open_case = case(POTHOLE, category=road, status=AspirationStatus.DISPOSITIONED)
    case(POTHOLE, category=road, status=AspirationStatus.RESOLVED)
    case(POTHOLE, category=road, status=AspirationStatus.MERGED, merged_into=open_case)
    case(POTHOLE, category=road, status=AspirationStatus.ARCHIVED)
    found = find_similar(text=POTHOLE, category_id=road.pk)
    assert [item.uid for item in found] == [open_case.uid]
    assert found[0].status == AspirationStatus.DISPOSITIONED
    assert str(found[0].status_label) == "Didisposisikan"


def test_same_kelurahan_counts_and_region_name_is_given(road: Any, kelurahan: Region) -> None:
    here = case(POTHOLE, category=road, region=kelurahan)
    elsewhere_region = Region.objects.create(code="35.72.01.1001", name="Lain", level=4, kind="kelurahan")
    case(POTHOLE, category=road, region=elsewhere_region)
    found = find_similar(text=POTHOLE, category_id=road.pk, region_code=kelurahan.code)
    assert [item.uid for item in found] == [here.uid]
    assert found[0].region_name == "Sananwetan"
    assert found[0].distance_m is None


def test_confidential_case_is_listed_without_its_title(road: Any) -> None:
    secret = case(POTHOLE, category=road, privacy=Privacy.CONFIDENTIAL, title="Rahasia: jalan berlubang")
    found = find_similar(text=POTHOLE, category_id=road.pk)
    assert found[0].uid == secret.uid
    assert found[0].title == ""


def test_exclude_uid_and_limit(road: Any) -> None:
    cases = [case(POTHOLE, category=road) for _ in range(4)]
    found = find_similar(text=POTHOLE, category_id=road.pk, exclude_uid=cases[0].uid, limit=2)
    assert len(found) == 2
    assert cases[0].uid not in [item.uid for item in found]
    assert len(find_similar(text=POTHOLE, category_id=road.pk, limit=999)) == 4  # capped at LIMIT_MAX, not refused


def test_rows_without_stored_stems_are_stemmed_on_the_fly(road: Any) -> None:
    legacy = AspirationFactory(title="Jalan berlubang", text=POTHOLE, search_terms="", category=road)
    assert [item.uid for item in find_similar(text=POTHOLE, category_id=road.pk)] == [legacy.uid]


def test_text_only_uses_the_router_category(monkeypatch: pytest.MonkeyPatch, road: Any) -> None:
    original = case(POTHOLE, category=road)
    monkeypatch.setattr(similar, "_suggested_category_ids", lambda text: [road.pk])
    assert [item.uid for item in find_similar(text=POTHOLE)] == [original.uid]


@pytest.mark.parametrize("text", ["", "   ", "?!", "x" * 50_000])
def test_empty_or_huge_query_is_harmless(text: str, road: Any) -> None:
    case(POTHOLE, category=road)
    assert isinstance(find_similar(text=text, category_id=road.pk), list)


@pytest.mark.parametrize("lat,lng", [(float("nan"), LNG), (1e9, 1e9), ("abc", None)])
def test_bad_points_are_ignored(lat: Any, lng: Any, road: Any) -> None:
    original = case(POTHOLE, category=road)
    assert [item.uid for item in find_similar(text=POTHOLE, category_id=road.pk, latitude=lat, longitude=lng)] == [
        original.uid
    ]


def test_candidate_pools_are_capped_and_queries_few(
    monkeypatch: pytest.MonkeyPatch, road: Any, django_assert_max_num_queries: Any
) -> None:
    monkeypatch.setattr(similar, "NEAR_CAP", 3)
    monkeypatch.setattr(similar, "NEAR_OTHER_CAP", 2)
    for _ in range(8):
        case(POTHOLE, category=road, latitude=LAT, longitude=LNG)
    seen = similar._candidates(category_id=road.pk, region_code="", point=(LAT, LNG), text=POTHOLE, exclude_uid=None)
    assert len(seen) <= 5
    with django_assert_max_num_queries(3):  # two pools + the display fields of the best
        find_similar(text=POTHOLE, category_id=road.pk, latitude=LAT, longitude=LNG)


def test_text_similarity_weighs_specific_words() -> None:
    query = frozenset(stemmed("lampu pju mati gelap").split())
    assert text_similarity(query, query) == pytest.approx(1.0)
    assert text_similarity(query, frozenset()) == 0.0
    specific = text_similarity(query, frozenset(stemmed("pju gelap").split()))
    common = text_similarity(query, frozenset(stemmed("mati yang").split()))
    assert specific > common


def test_haversine() -> None:
    assert haversine_m(LAT, LNG, LAT, LNG) == 0
    assert haversine_m(LAT, LNG, LAT + 0.001, LNG) == pytest.approx(111.2, abs=0.5)
