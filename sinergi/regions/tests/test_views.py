import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("kota_blitar")


def test_overview_lists_kecamatan_kelurahan_and_draws_the_map(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(8):
        response = client.get(reverse("regions:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) <= 30 * 1024
    assert "<h1>Kota Blitar</h1>" in html
    for name in ("Kecamatan Kepanjenkidul", "Kecamatan Sukorejo", "Kecamatan Sananwetan", "Kelurahan Bendogerit"):
        assert name in html
    assert html.count("<path ") == 21
    assert html.count("<title>Kelurahan ") == 21
    assert "66133" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace("http://testserver", "")


def test_overview_without_data_says_so(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SINERGI = {**settings.SINERGI, "REGION_CODE": "35.05"}
    response = client.get(reverse("regions:overview"))
    assert response.status_code == 200
    assert "belum dimuat" in response.content.decode()


def test_detail_pages(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("regions:detail", args=["35.72.03.1007"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kelurahan Bendogerit" in html and "Kecamatan Sananwetan" in html and "66133" in html
    assert "<path " in html
    district = client.get(reverse("regions:detail", args=["35.72.03"])).content.decode()
    assert district.count("<path ") == 7
    assert "Kelurahan Gedog" in district


@pytest.mark.parametrize("path", ["/wilayah/99/", "/wilayah/35.72.09/", "/wilayah/abc/", "/wilayah/35.72.03.1007.1/"])
def test_unknown_regions_are_404(client, path: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_overview_of_a_kabupaten_stays_small(client, settings) -> None:  # type: ignore[no-untyped-def]
    from sinergi.regions.services import region_import_national

    region_import_national(under="35.05")
    settings.SINERGI = {**settings.SINERGI, "REGION_CODE": "35.05"}
    response = client.get(reverse("regions:overview"))
    html = response.content.decode()
    assert response.status_code == 200 and "Kabupaten Blitar" in html
    assert len(response.content) <= 30 * 1024
    assert "desa/kelurahan" in html
