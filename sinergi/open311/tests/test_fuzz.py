"""Fuzz: random paths, query strings and bodies against every Open311 endpoint never give a 5xx.

Bounded example counts keep the run short; a failure prints the smallest input that broke it.
"""

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.accounts.services import api_token_create
from sinergi.actors.tests.factories import UserFactory
from sinergi.open311.tests.conftest import Open311Data

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
ENDPOINTS = [
    "discovery",
    "services",
    "services/jalan-rusak",
    "services/tidak-ada",
    "requests",
    "requests/00000000-0000-4000-8000-000000000000",
]
QUERY_KEYS = [
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "api_key",
    "jurisdiction_id",
]
POST_KEYS = [
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "first_name",
    "last_name",
    "email",
    "phone",
    "media_url",
    "attribute[kind]",
    "attribute[privacy]",
    "attribute[kelurahan]",
    "attribute[title]",
]
FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that looks like what the parameters expect, mixed with anything at all.
plausible = st.sampled_from(
    [
        "",
        "open",
        "closed",
        "open,closed",
        "jalan-rusak",
        "lampu-jalan",
        "2026-11-01",
        "2026-11-01T00:00:00+07:00",
        "2026-11-27T10:00:00Z",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01",
        "-8.1027",
        "112.1651",
        "1e308",
        "-0",
        "NaN",
        "1000",
        "99999999999",
        "35.72.01.1001",
        "pengaduan",
        "confidential",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "\x00",
        "%00",
        "\ud7ff\ue000\U0010ffff",
    ]
)
any_text = st.one_of(plausible, st.text(max_size=80))
query = st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=12)), any_text, max_size=6)


def assert_no_server_error(response: Any, context: Any) -> None:
    assert response.status_code < 500, (context, response.status_code, response.content[:300])


@pytest.fixture
def fuzz_key(open311_data: Open311Data) -> str:
    _, key = api_token_create(user=UserFactory(username="fuzz"), name="fuzz")
    return key


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINTS), fmt=st.sampled_from(["json", "xml"]), params=query)
def test_reads_with_random_query_strings(open311_data: Open311Data, endpoint: str, fmt: str, params: Any) -> None:
    response = Client().get(f"{BASE}{endpoint}.{fmt}", params)
    assert_no_server_error(response, params)


@FUZZ
@given(
    tail=st.text(max_size=60),
    ext=st.sampled_from([".json", ".xml", "", ".csv", "/"]),
    method=st.sampled_from(["get", "post", "put", "delete", "head", "options"]),
)
def test_random_paths_and_methods(open311_data: Open311Data, tail: str, ext: str, method: str) -> None:
    path = BASE + tail.replace("?", "").replace("#", "") + ext
    response = getattr(Client(), method)(path)
    assert_no_server_error(response, (method, path))


@FUZZ
@given(
    fields=st.dictionaries(st.one_of(st.sampled_from(POST_KEYS), st.text(max_size=12)), any_text, max_size=10),
    authorised=st.booleans(),
    idempotency_key=st.one_of(st.none(), any_text),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_form_posts(
    fuzz_key: str, fields: dict[str, str], authorised: bool, idempotency_key: str | None, fmt: str
) -> None:
    data = {
        "service_code": "jalan-rusak",
        "description": "Jalan berlubang di depan sekolah.",
        "attribute[kelurahan]": "35.72.01.1001",
        **fields,
    }
    if authorised:
        data["api_key"] = fuzz_key
    headers = {"HTTP_IDEMPOTENCY_KEY": idempotency_key} if idempotency_key is not None else {}
    response = Client().post(f"{BASE}requests.{fmt}", data, **headers)
    assert_no_server_error(response, data)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    payload=st.one_of(
        st.dictionaries(st.one_of(st.sampled_from([*POST_KEYS, "attribute"]), st.text(max_size=8)), json_values),
        json_values,
    ),
    authorised=st.booleans(),
)
def test_json_posts(fuzz_key: str, payload: Any, authorised: bool) -> None:
    if authorised and isinstance(payload, dict):
        payload = {"service_code": "lampu-jalan", "lat": "-8.1027", "long": "112.1651", **payload, "api_key": fuzz_key}
    body = json.dumps(payload, allow_nan=True)
    response = Client().post(f"{BASE}requests.json", body, content_type="application/json")
    assert_no_server_error(response, body)


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz",
            "multipart/form-data",
            "text/plain",
            "application/xml",
        ]
    ),
)
def test_raw_bodies(open311_data: Open311Data, body: bytes, content_type: str) -> None:
    response = Client().post(f"{BASE}requests.xml", body, content_type=content_type)
    assert_no_server_error(response, (content_type, body))
