"""GeoReport v2 reads in both formats: discovery, services, definitions, request lists and single requests."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.aspirations.states import AspirationStatus
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.open311.tests.conftest import CANARIES, Open311Data, as_json

BASE = "/open311/v2"
pytestmark = pytest.mark.django_db


def get_xml(client: Client, path: str, expect: int = 200, **query: Any) -> ET.Element:
    response = client.get(f"{BASE}/{path}", query)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(response.content)


def get_json(client: Client, path: str, expect: int = 200, **query: Any) -> Any:
    response = client.get(f"{BASE}/{path}", query)
    assert response.status_code == expect, response.content
    return as_json(response)


def listed_ids(client: Client, **query: Any) -> set[str]:
    return {item["service_request_id"] for item in get_json(client, "requests.json", **query)}


def test_discovery_in_both_formats(client: Client, db: None) -> None:
    document = get_json(client, "discovery.json")
    endpoint = document["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert document["changeset"] and "http://testserver/" in document["contact"]
    assert "http://testserver/akun/saya/" in document["key_service"]

    root = get_xml(client, "discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]
    assert root.findtext("endpoints/endpoint/type") == "production"


def test_service_list_shows_active_categories(client: Client, open311_data: Open311Data) -> None:
    services = get_json(client, "services.json")
    assert isinstance(services, list)
    codes = [service["service_code"] for service in services]
    assert codes[:2] == ["jalan-rusak", "lampu-jalan"]
    assert "kategori-lama" not in codes
    road = services[0]
    assert road == {
        "service_code": "jalan-rusak",
        "service_name": "Jalan rusak",
        "description": "",
        "metadata": True,
        "type": "realtime",
        "keywords": "jalan, aspal",
        "group": "Infrastruktur",
    }

    root = get_xml(client, "services.xml")
    assert root.tag == "services"
    first = root.find("service")
    assert first is not None
    assert first.findtext("service_code") == "jalan-rusak"
    assert first.findtext("metadata") == "true"
    assert first.findtext("keywords") == "jalan, aspal"
    assert "kategori-lama" not in [s.findtext("service_code") for s in root.findall("service")]


def test_service_definition_lists_the_attributes(client: Client, open311_data: Open311Data) -> None:
    document = get_json(client, "services/jalan-rusak.json")
    assert document["service_code"] == "jalan-rusak"
    attributes = {attribute["code"]: attribute for attribute in document["attributes"]}
    assert {"kind", "privacy", "kelurahan"} <= set(attributes)
    kind = attributes["kind"]
    assert kind["datatype"] == "singlevaluelist" and kind["required"] is False and kind["variable"] is True
    assert [value["key"] for value in kind["values"]] == ["aspirasi", "pengaduan", "permintaan_informasi"]
    assert "pengaduan" in kind["datatype_description"]
    assert [value["key"] for value in attributes["privacy"]["values"]] == ["public", "anonymous", "confidential"]
    kelurahan = {value["key"]: value["name"] for value in attributes["kelurahan"]["values"]}
    assert len(kelurahan) == 21
    assert kelurahan["35.72.01.1001"] == "Kepanjenkidul"

    root = get_xml(client, "services/jalan-rusak.xml")
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "jalan-rusak"
    codes = [attribute.findtext("code") for attribute in root.findall("attributes/attribute")]
    assert codes[:3] == ["kind", "privacy", "kelurahan"]
    assert root.findtext("attributes/attribute/required") == "false"
    assert len(root.findall("attributes/attribute[code='kelurahan']/values/value")) == 21


@pytest.mark.parametrize("code", ["tidak-ada", "kategori-lama"])
def test_unknown_or_retired_service_definition_is_a_404_in_open311_format(
    client: Client, open311_data: Open311Data, code: str
) -> None:
    errors = get_json(client, f"services/{code}.json", expect=404)
    assert errors == [{"code": 404, "description": errors[0]["description"]}]
    assert errors[0]["description"]
    root = get_xml(client, f"services/{code}.xml", expect=404)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"


def test_request_list_newest_first_within_90_days(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    requests = get_json(client, "requests.json")
    ids = [item["service_request_id"] for item in requests]
    assert ids == [str(data.confidential_case.uid), str(data.open_case.uid), str(data.closed_case.uid)]
    assert str(data.old_case.uid) not in ids


def test_request_fields(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    item = get_json(client, f"requests/{data.open_case.uid}.json")[0]
    assert item["service_request_id"] == str(data.open_case.uid)
    assert item["status"] == "open"
    assert item["status_notes"] == "Diteruskan ke Dinas PUPR."  # the latest public note, not the internal one
    assert item["service_code"] == "jalan-rusak"
    assert item["service_name"] == "Jalan rusak"
    assert item["description"] == data.open_case.text
    assert item["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert item["address"] == "Jl. Merdeka depan SD"
    assert item["zipcode"] == "66117"
    assert item["lat"] == pytest.approx(-8.0985) and item["long"] == pytest.approx(112.1683)
    assert item["media_url"].startswith("http://testserver/")
    photo_uid = data.open_case.photos.get().uid
    assert item["media_url"] == f"http://testserver/aspirasi/foto/{photo_uid}/"
    assert item["requested_datetime"] == timezone.localtime(data.open_case.received_at).isoformat(timespec="seconds")
    assert item["requested_datetime"].endswith("+07:00")
    # The last event (an internal one) still counts as an update.
    assert item["updated_datetime"] > item["requested_datetime"]
    assert item["expected_datetime"] == timezone.localtime(data.open_case.completion_due_at).isoformat(
        timespec="seconds"
    )

    root = get_xml(client, f"requests/{data.open_case.uid}.xml")
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert request.findtext("service_request_id") == str(data.open_case.uid)
    assert request.findtext("status") == "open"
    assert request.findtext("zipcode") == "66117"
    assert float(request.findtext("lat") or "0") == pytest.approx(-8.0985)
    assert request.findtext("agency_responsible") == "Dinas Pekerjaan Umum dan Penataan Ruang"


def test_closed_status_and_missing_parts(client: Client, open311_data: Open311Data) -> None:
    item = get_json(client, f"requests/{open311_data.closed_case.uid}.json")[0]
    assert item["status"] == "closed"
    assert item["lat"] is None and item["media_url"] == "" and item["expected_datetime"] is None
    assert item["agency_responsible"] == "" and item["zipcode"] == ""
    request = get_xml(client, f"requests/{open311_data.closed_case.uid}.xml").find("request")
    assert request is not None
    assert request.findtext("lat") == "" and request.findtext("expected_datetime") == ""


def test_confidential_request_hides_its_content(client: Client, open311_data: Open311Data) -> None:
    item = get_json(client, f"requests/{open311_data.confidential_case.uid}.json")[0]
    assert item["description"] == ""
    assert item["status_notes"] == ""
    assert item["media_url"] == ""
    assert item["lat"] is None and item["long"] is None
    assert item["address"] == "Kepanjenkidul"  # only the kelurahan
    assert item["service_code"] == "jalan-rusak" and item["status"] == "open"


@pytest.mark.parametrize("unknown", ["00000000-0000-4000-8000-00000000dead", "bukan-uuid", "1"])
def test_unknown_request_is_a_404(client: Client, open311_data: Open311Data, unknown: str) -> None:
    assert get_json(client, f"requests/{unknown}.json", expect=404)[0]["code"] == 404
    assert get_xml(client, f"requests/{unknown}.xml", expect=404).findtext("error/code") == "404"


def test_filter_by_service_code_and_status(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    assert listed_ids(client, service_code="lampu-jalan") == {str(data.closed_case.uid)}
    assert listed_ids(client, service_code="jalan-rusak,lampu-jalan") == {
        str(data.open_case.uid),
        str(data.closed_case.uid),
        str(data.confidential_case.uid),
    }
    assert listed_ids(client, service_code="tidak-ada") == set()
    assert listed_ids(client, status="closed") == {str(data.closed_case.uid)}
    assert listed_ids(client, status="open") == {str(data.open_case.uid), str(data.confidential_case.uid)}
    assert listed_ids(client, status="open,closed") == listed_ids(client)
    root = get_xml(client, "requests.xml", status="closed")
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [str(data.closed_case.uid)]


def test_filter_by_request_ids_overrides_the_others(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    ids = f"{data.old_case.uid}, {data.closed_case.uid},bukan-uuid"
    # The old case is outside the default 90 days and the status filter says open: both are ignored.
    assert listed_ids(client, service_request_id=ids, status="open") == {
        str(data.old_case.uid),
        str(data.closed_case.uid),
    }
    assert listed_ids(client, service_request_id="bukan-uuid") == set()


def test_merged_cases_are_left_off_the_list_but_found_by_id(client: Client, open311_data: Open311Data) -> None:
    merged = AspirationFactory(
        category=open311_data.road, status=AspirationStatus.MERGED, merged_into=open311_data.open_case
    )
    assert str(merged.uid) not in listed_ids(client)
    assert str(merged.uid) not in listed_ids(client, status="closed")
    assert listed_ids(client, service_request_id=str(merged.uid)) == {str(merged.uid)}
    assert get_json(client, f"requests/{merged.uid}.json")[0]["status"] == "closed"


def test_filter_by_dates(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    now = timezone.localtime()
    start = (now - timedelta(days=5)).isoformat(timespec="seconds")
    end = (now - timedelta(days=2)).isoformat(timespec="seconds")
    assert listed_ids(client, start_date=start, end_date=end) == {str(data.open_case.uid)}
    # A start alone covers the 90 days after it; a bare date means its start, in local time.
    old_day = (now - timedelta(days=125)).date().isoformat()
    assert listed_ids(client, start_date=old_day) == {str(data.old_case.uid)}
    utc_end = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert listed_ids(client, end_date=utc_end) == {str(data.old_case.uid)}


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "kemarin"},
        {"end_date": "2026-13-01"},
        {"start_date": "2026-02-30T10:00:00"},
        {"start_date": "0001-01-01T00:00:00+05:00"},
        {"start_date": "2026-01-01", "end_date": "2026-06-01"},  # more than 90 days
        {"start_date": "2026-06-01", "end_date": "2026-01-01"},  # end before start
        {"status": "pending"},
        {"page_size": "1001"},
        {"page_size": "0"},
        {"page": "-1"},
        {"page": "satu"},
        {"service_request_id": ",".join(["x"] * 1001)},
    ],
)
def test_malformed_filters_are_a_400(client: Client, open311_data: Open311Data, query: dict[str, str]) -> None:
    errors = get_json(client, "requests.json", expect=400, **query)
    assert errors[0]["code"] == 400 and errors[0]["description"]
    assert get_xml(client, "requests.xml", expect=400, **query).findtext("error/code") == "400"


def test_pagination_extension(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    first = get_json(client, "requests.json", page_size="2")
    second = get_json(client, "requests.json", page_size="2", page="2")
    assert [item["service_request_id"] for item in first] == [
        str(data.confidential_case.uid),
        str(data.open_case.uid),
    ]
    assert [item["service_request_id"] for item in second] == [str(data.closed_case.uid)]
    assert get_json(client, "requests.json", page="3", page_size="2") == []


def test_default_page_is_bounded_to_50(client: Client, open311_data: Open311Data) -> None:
    AspirationFactory.create_batch(55, category=open311_data.road)
    assert len(get_json(client, "requests.json")) == 50
    assert len(get_json(client, "requests.json", page_size="1000")) == 58


def test_list_query_count_does_not_grow_with_rows(
    client: Client, open311_data: Open311Data, django_assert_max_num_queries: Any
) -> None:
    AspirationFactory.create_batch(20, category=open311_data.road, region=open311_data.kelurahan)
    with django_assert_max_num_queries(2):
        assert len(get_json(client, "requests.json")) == 23
    with django_assert_max_num_queries(2):
        get_xml(client, "requests.xml")


def test_no_identity_or_confidential_content_in_any_response(client: Client, open311_data: Open311Data) -> None:
    data = open311_data
    paths = ["discovery", "services", "services/jalan-rusak", "requests"]
    paths += [f"requests/{case.uid}" for case in (data.open_case, data.closed_case, data.confidential_case)]
    for path in paths:
        for fmt in ("json", "xml"):
            body = client.get(f"{BASE}/{path}.{fmt}").content.decode()
            for canary in CANARIES:
                assert canary not in body, (path, fmt, canary)
    ids = ",".join(str(case.uid) for case in (data.open_case, data.closed_case, data.confidential_case))
    body = client.get(f"{BASE}/requests.json", {"service_request_id": ids + f",{data.old_case.uid}"}).content
    for canary in CANARIES:
        assert canary.encode() not in body
    assert b"catatan internal petugas" not in body


def test_reads_are_cacheable_and_stateless(client: Client, open311_data: Open311Data) -> None:
    for path in ("discovery.json", "services.xml", "requests.json", f"requests/{open311_data.open_case.uid}.xml"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=60"
        assert not response.cookies
        assert "csrf" not in response.content.decode().lower()


def test_other_paths_and_methods_answer_in_open311_format(client: Client, open311_data: Open311Data) -> None:
    errors = get_json(client, "tidak-ada.json", expect=404)
    assert errors[0]["code"] == 404
    assert get_xml(client, "requests.csv.xml", expect=404).tag == "errors"
    assert client.get(f"{BASE}/requests.html").status_code == 404
    response = client.post(f"{BASE}/services.json", {})
    assert response.status_code == 405
    assert as_json(response)[0]["code"] == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.delete(f"{BASE}/requests.xml").status_code == 405


def test_xml_drops_characters_xml_cannot_carry(client: Client, open311_data: Open311Data) -> None:
    case = AspirationFactory(category=open311_data.road, text="Bel\x07 berbunyi\x1b terus <b>&amp;</b>")
    request = get_xml(client, f"requests/{case.uid}.xml").find("request")
    assert request is not None
    assert request.findtext("description") == "Bel berbunyi terus <b>&amp;</b>"
