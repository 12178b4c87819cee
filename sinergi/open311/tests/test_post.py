"""POST requests.json/.xml: an API token, the intake service, the tracking code only to the submitter."""

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from sinergi.accounts.services import api_token_create, api_token_revoke
from sinergi.actors.tests.factories import UserFactory
from sinergi.aspirations.models import Aspiration, ReporterIdentity
from sinergi.aspirations.states import AspirationKind, AspirationStatus, Channel, Privacy
from sinergi.open311.tests.conftest import CANARY_EMAIL, CANARY_NIK, CANARY_PHONE, Open311Data, as_json

URL = "/open311/v2/requests.json"
URL_XML = "/open311/v2/requests.xml"
# A point inside Kelurahan Kepanjenkidul, and one in Kabupaten Blitar south of the city.
INSIDE = {"lat": "-8.1027", "long": "112.1651"}
OUTSIDE = {"lat": "-8.2000", "long": "112.1700"}
DESCRIPTION = (
    "Lampu penerangan jalan di perempatan Jl. Kalimantan mati sejak seminggu lalu, "
    "malam hari sangat gelap dan rawan kecelakaan."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(open311_data: Open311Data) -> str:
    _, key = api_token_create(user=UserFactory(username="aplikasi-warga"), name="aplikasi")
    return key


def form(api_key: str, **overrides: str) -> dict[str, str]:
    values = {"api_key": api_key, "service_code": "lampu-jalan", "description": DESCRIPTION, **INSIDE}
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def post(client: Client, data: dict[str, Any], *, url: str = URL, key: str = "", **extra: Any) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data, **headers, **extra)


def test_form_post_creates_an_aspiration_through_intake(client: Client, api_key: str) -> None:
    response = post(client, form(api_key, first_name="Budi", last_name="Santoso"))
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = as_json(response)
    assert len(body) == 1
    answer = body[0]
    assert set(answer) == {"service_request_id", "service_notice", "account_id", "token", "tracking_code"}
    assert answer["account_id"] is None and answer["token"] is None and answer["service_notice"]
    case = Aspiration.objects.get(uid=answer["service_request_id"])
    assert answer["tracking_code"] == case.tracking_code
    assert answer["tracking_code"] not in answer["service_notice"]
    assert case.channel == Channel.OPEN311
    assert case.kind == AspirationKind.PENGADUAN  # the default
    assert case.privacy == Privacy.ANONYMOUS  # the default
    assert case.category is not None and case.category.slug == "lampu-jalan"
    assert case.region is not None and case.region.code == "35.72.01.1001"
    assert case.submitted_by is not None and case.submitted_by.username == "aplikasi-warga"
    assert case.title == DESCRIPTION[:80].strip()
    assert case.text == DESCRIPTION
    assert ReporterIdentity.objects.get(aspiration=case).name == "Budi Santoso"
    # The new request is readable at once, without its tracking code.
    detail = client.get(f"/open311/v2/requests/{case.uid}.json")
    assert detail.status_code == 200
    assert case.tracking_code not in detail.content.decode()
    assert as_json(detail)[0]["status"] == "open"


def test_json_post_with_attribute_object(client: Client, api_key: str) -> None:
    payload = {
        "api_key": api_key,
        "service_code": "jalan-rusak",
        "description": "Aspal mengelupas di depan pasar, mohon diperbaiki sebelum musim hujan.",
        "address_string": "Depan Pasar Legi",
        "attribute": {
            "kind": "aspirasi",
            "privacy": "confidential",
            "kelurahan": "35.72.01.1004",
            "title": "Aspal pasar",
        },
    }
    response = client.post(URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    case = Aspiration.objects.get(uid=as_json(response)[0]["service_request_id"])
    assert (case.kind, case.privacy, case.title) == ("aspirasi", "confidential", "Aspal pasar")
    assert case.region is not None and case.region.code == "35.72.01.1004"
    assert case.address == "Depan Pasar Legi" and case.latitude is None


def test_form_attributes_in_bracket_form(client: Client, api_key: str) -> None:
    data = form(api_key, **{"attribute[kind]": "aspirasi", "attribute[privacy]": "public"})
    response = post(client, data)
    assert response.status_code == 201, response.content
    case = Aspiration.objects.get(uid=as_json(response)[0]["service_request_id"])
    assert (case.kind, case.privacy) == ("aspirasi", "public")


def test_xml_post_answer(client: Client, api_key: str) -> None:
    response = post(client, form(api_key), url=URL_XML)
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    case = Aspiration.objects.get(uid=request.findtext("service_request_id"))
    assert request.findtext("tracking_code") == case.tracking_code
    assert request.findtext("account_id") == "" and request.findtext("token") == ""


def test_contact_is_sealed_and_never_answered(client: Client, api_key: str) -> None:
    response = post(client, form(api_key, email=CANARY_EMAIL, phone=CANARY_PHONE))
    assert response.status_code == 201, response.content
    uid = as_json(response)[0]["service_request_id"]
    identity = ReporterIdentity.objects.get(aspiration__uid=uid)
    assert identity.phone == CANARY_PHONE and identity.email == CANARY_EMAIL
    for body in (
        response.content,
        client.get(f"/open311/v2/requests/{uid}.json").content,
        client.get(f"/open311/v2/requests/{uid}.xml").content,
        client.get("/open311/v2/requests.json").content,
    ):
        for canary in (CANARY_EMAIL, CANARY_PHONE, CANARY_NIK):
            assert canary.encode() not in body


def test_same_idempotency_key_gives_the_same_case_once(client: Client, api_key: str) -> None:
    first = post(client, form(api_key), key="aplikasi-0001")
    again = post(client, form(api_key), key="aplikasi-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert as_json(first) == as_json(again)
    assert Aspiration.objects.filter(channel=Channel.OPEN311).count() == 1


def test_another_clients_idempotency_key_does_not_reveal_its_case(client: Client, api_key: str) -> None:
    assert post(client, form(api_key), key="aplikasi-0002").status_code == 201
    _, other_key = api_token_create(user=UserFactory(), name="lain")
    response = post(client, form(other_key), key="aplikasi-0002")
    assert response.status_code == 409
    body = response.content.decode()
    tracking_code = Aspiration.objects.get(idempotency_key="aplikasi-0002").tracking_code
    assert tracking_code not in body
    assert as_json(response)[0]["code"] == 409


def test_bearer_header_is_accepted_instead_of_api_key(client: Client, api_key: str) -> None:
    data = form(api_key)
    del data["api_key"]
    response = client.post(URL, data, HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert response.status_code == 201, response.content


def expect_error(response: Any, status: int, fragment: str = "") -> str:
    assert response.status_code == status, response.content
    errors = as_json(response)
    assert errors == [{"code": status, "description": errors[0]["description"]}]
    assert fragment in errors[0]["description"]
    return str(errors[0]["description"])


def test_missing_api_key_is_a_401(client: Client, api_key: str) -> None:
    data = form(api_key)
    del data["api_key"]
    expect_error(post(client, data), 401, "api_key")


@pytest.mark.parametrize("make_bad_key", ["unknown", "revoked", "inactive_user", "too_long"])
def test_bad_api_key_is_a_403(client: Client, open311_data: Open311Data, make_bad_key: str) -> None:
    user = UserFactory()
    token, key = api_token_create(user=user, name="x")
    if make_bad_key == "unknown":
        key = "ss_tidak-ada"
    elif make_bad_key == "revoked":
        api_token_revoke(token=token)
    elif make_bad_key == "inactive_user":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        key = "ss_" + "a" * 500
    expect_error(post(client, form(key)), 403)
    assert not Aspiration.objects.filter(channel=Channel.OPEN311).exists()


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"service_code": ""}, "service_code"),
        ({"service_code": "tidak-ada"}, "service_code"),
        ({"service_code": "kategori-lama"}, "service_code"),
        ({"media_url": "http://contoh.test/foto.jpg"}, "media_url"),
        ({"lat": "utara", "long": "112.1651"}, "lat"),
        ({"lat": "-8.1", "long": "nan"}, "long"),
        ({"lat": "-95", "long": "112.1651"}, "lat"),
        ({"lat": "-8.1027", "long": ""}, "long"),
        ({"lat": "", "long": ""}, "Lokasi"),
        ({"attribute[kelurahan]": "35.05.01.2001"}, "kelurahan"),
        ({"attribute[kind]": "keluhan"}, "kind"),
        ({"attribute[privacy]": "rahasia"}, "privacy"),
        ({"description": ""}, ""),
        ({"description": "x" * 5001}, "description"),
        ({"attribute[title]": "j" * 141}, "title"),
        ({"first_name": "n" * 161}, "first_name"),
        ({"phone": "12"}, ""),
        ({"email": "bukan-email"}, ""),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(
    client: Client, api_key: str, overrides: dict[str, str], fragment: str
) -> None:
    expect_error(post(client, form(api_key, **overrides)), 400, fragment)
    assert not Aspiration.objects.filter(channel=Channel.OPEN311).exists()


def test_point_outside_the_city_gets_the_intake_message(client: Client, api_key: str) -> None:
    description = expect_error(post(client, form(api_key, **OUTSIDE)), 400, "luar")
    assert "lapor.go.id" in description
    xml = post(client, form(api_key, **OUTSIDE), url=URL_XML)
    assert xml.status_code == 400
    root = ET.fromstring(xml.content)
    assert root.tag == "errors" and root.findtext("error/code") == "400"
    assert root.findtext("error/description") == description


@pytest.mark.parametrize("key", ["pendek", "ada spasi di sini", "k" * 81])
def test_malformed_idempotency_key_is_a_400(client: Client, api_key: str, key: str) -> None:
    expect_error(post(client, form(api_key), key=key), 400)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{bukan json", "application/json"),
        ("[1, 2]", "application/json"),
        ('{"description": {"a": 1}}', "application/json"),
        ("\xff\xfe", "application/json"),
        ("[" * 200_000, "application/json"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "application/json"),
        ("--x\r\nrusak", "multipart/form-data; boundary=x"),
        ("api_key=a%00b&service_code=x", "application/x-www-form-urlencoded"),
        ("service_code=jalan%00rusak&description=x", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_bodies_are_4xx(client: Client, api_key: str, body: str, content_type: str) -> None:
    response = client.post(URL, body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content
    assert as_json(response)[0]["code"] == response.status_code


def test_permintaan_informasi_needs_a_name_and_contact(client: Client, api_key: str) -> None:
    data = form(api_key, **{"attribute[kind]": "permintaan_informasi"})
    expect_error(post(client, data), 400, "UU 14/2008")
    data.update(first_name="Budi", email="budi@contoh.test")
    response = post(client, data)
    assert response.status_code == 201, response.content
    case = Aspiration.objects.get(uid=as_json(response)[0]["service_request_id"])
    assert case.kind == "permintaan_informasi" and case.status == AspirationStatus.RECEIVED


def test_post_needs_no_csrf_token(api_key: str) -> None:
    client = Client(enforce_csrf_checks=True)
    assert post(client, form(api_key)).status_code == 201


def test_page_cache_serves_reads_and_a_post_shows_at_once(client: Client, api_key: str, settings: Any) -> None:
    from sinergi.core.page_cache import PAGES

    settings.SINERGI_PAGE_CACHE = True
    PAGES.clear()
    before = client.get("/open311/v2/requests.json")
    assert before.status_code == 200 and len(PAGES) == 1
    assert client.get("/open311/v2/requests.json").content == before.content
    created = post(client, form(api_key))
    assert created.status_code == 201
    # The submission wrote a public-log entry, so the cached list is no longer the one served.
    after = as_json(client.get("/open311/v2/requests.json"))
    assert as_json(created)[0]["service_request_id"] in {item["service_request_id"] for item in after}
    PAGES.clear()


def test_oversized_body_is_a_413(client: Client, api_key: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    expect_error(post(client, form(api_key, description="panjang " * 400)), 413)
    assert not Aspiration.objects.filter(channel=Channel.OPEN311).exists()


@pytest.mark.parametrize("field", ["service_code", "attribute[kelurahan]", "description"])
def test_nul_in_a_decoded_form_field_is_a_400(client: Client, api_key: str, field: str) -> None:
    body = urlencode(form(api_key, **{field: "jalan\x00rusak"}))
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    # Refused before any look-up (PostgreSQL would raise on a NUL in a query).
    expect_error(response, 400, "tidak valid")
    assert not Aspiration.objects.filter(channel=Channel.OPEN311).exists()
