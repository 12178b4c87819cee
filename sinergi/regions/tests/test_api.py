import pytest

pytestmark = pytest.mark.usefixtures("kota_blitar")


def test_region_list_filters(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/regions", {"parent": "35.72"}).json()
    assert [item["name"] for item in body["items"]] == ["Kepanjenkidul", "Sukorejo", "Sananwetan"]
    assert body["items"][0]["has_boundary"] is True
    kelurahan = client.get("/api/v1/regions", {"level": 4, "limit": 100}).json()
    assert kelurahan["count"] == 21


def test_region_detail_and_boundary(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/regions/35.72.03.1007").json()
    assert body["display_name"] == "Kelurahan Bendogerit"
    assert body["postal_code"] == "66133" and body["parent"] == "35.72.03"
    feature = client.get("/api/v1/regions/35.72.03.1007/boundary").json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["kode"] == "35.72.03.1007"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/regions/35.72.09", 404),
        ("/api/v1/regions/35/boundary", 404),
        ("/api/v1/regions/abc", 422),
        ("/api/v1/regions/" + "1" * 40, 422),
        ("/api/v1/regions?level=99", 422),
        ("/api/v1/regions?parent=%00", 422),
    ],
)
def test_bad_input_gets_json_4xx(client, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    assert "detail" in response.json()


@pytest.mark.parametrize("query", ["offset=99999999999999999999", "offset=-1", "limit=0", "limit=100000"])
def test_pagination_is_bounded(client, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/regions?{query}")
    assert response.status_code == 422
    assert client.get(f"/api/v1/actors/organisations?{query}").status_code == 422
