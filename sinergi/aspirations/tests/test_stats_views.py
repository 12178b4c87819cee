"""Public statistics page, map page and their API: figures, accessibility, nothing confidential."""

from typing import Any

import pytest
from django.test import Client

from sinergi.actors.tests.factories import OrganisationFactory, kind
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.regions.models import Region
from sinergi.regions.services import region_import_kota_blitar

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(reference_data):  # type: ignore[no-untyped-def]
    region_import_kota_blitar()
    kelurahan = Region.objects.get(code="35.72.01.1001")
    pupr = OrganisationFactory(slug="dinas-pupr", name="Dinas PUPR", kind=kind("opd"))
    made: list[Any] = []
    for _index in range(3):
        made.append(
            AspirationFactory(
                assigned_organisation=pupr,
                region=kelurahan,
                status=AspirationStatus.IN_PROGRESS,
                first_response_at=None,
            )
        )
    secret = AspirationFactory(title="Pungli di loket rahasia", privacy=Privacy.CONFIDENTIAL, region=kelurahan)
    for aspiration in made:
        aspiration.first_response_at = aspiration.received_at
        aspiration.save()
    return kelurahan, secret


def test_statistics_page(cases, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(10):
        response = Client().get("/aspirasi/statistik/?jenis=pengaduan&periode=30&kategori=<script>")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="img"' in body and "Dinas PUPR" in body and "<caption>" in body
    assert "Pungli" not in body and "<script>" not in body
    assert len(response.content) < 30_000


def test_map_page_colours_kelurahan(cases, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    kelurahan, _secret = cases
    with django_assert_max_num_queries(10):
        response = Client().get("/aspirasi/peta/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<path") == Region.objects.filter(parent__parent__code="35.72", boundary__isnull=False).count()
    assert "#006d2c" in body  # the busiest kelurahan has the darkest class
    assert f"{kelurahan.name}: 4 aspirasi" in body  # the confidential case counts
    assert "Pungli" not in body
    assert len(response.content) < 30_000


def test_api_statistics_and_map(cases) -> None:  # type: ignore[no-untyped-def]
    data = Client().get("/api/v1/aspirations/statistik").json()
    assert data["total"] == 4
    pupr = data["organisations"][0]
    assert pupr["organisation"] == "dinas-pupr" and pupr["median_response_days"] == 0
    regions = Client().get("/api/v1/aspirations/peta?jenis=pengaduan").json()
    assert regions["filters"] == {"jenis": "pengaduan"}
    assert {r["code"]: r["count"] for r in regions["regions"]}["35.72.01.1001"] == 4
    assert "Pungli" not in str(regions) + str(data)
    assert Client().get("/api/v1/aspirations/statistik?jenis=" + "x" * 100).status_code == 422
