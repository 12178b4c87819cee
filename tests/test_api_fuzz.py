"""Schema-driven fuzzing of the whole JSON API: no input may produce a 5xx.

Schemathesis generates requests from the OpenAPI schema that django-ninja publishes at
/api/v1/openapi.json, both fitting the schema (positive) and violating it (negative). Requests go
through Django's test client, so they run inside the test's transaction on a database seeded with
the personas and a forum with meetings. Every operation is tried anonymously and, for writes,
with the API tokens of several personas. Path parameters are sometimes replaced with identifiers
that exist, so the fuzzer also reaches the code behind the 404.

Every answer must be < 500, and every 4xx must be JSON `{"detail": ..., "code": ...}`.
The number of examples is small and derandomised so `make test` stays fast and repeatable;
`make fuzz` runs many more with a random seed (SINERGI_FUZZ_EXAMPLES, SINERGI_FUZZ_RANDOM).
"""

import json
import os
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from conftest import api_client_for
from tests.sample_data import build_sample_data

EXAMPLES = int(os.environ.get("SINERGI_FUZZ_EXAMPLES", "10"))
MAX_COVERAGE_CASES = int(os.environ.get("SINERGI_FUZZ_COVERAGE_CASES", "40"))
RANDOM = os.environ.get("SINERGI_FUZZ_RANDOM", "") not in {"", "0"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Token holders for writes: a superuser reaches the deepest code paths, the others the refusals.
WRITE_PERSONAS = ["administrator", "dprd_member", "opd_officer", "masyarakat"]
# Headers the HTTP layer sets itself; forwarding them would confuse the test client.
HOP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "content-type", "cookie"}


def _api_prefix() -> str:
    return reverse("api-1.0.0:openapi-json").removesuffix("openapi.json")


def _load_schema() -> Any:
    from sinergi.api import api

    return schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix=_api_prefix()))


SCHEMA = _load_schema()
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def test_the_schema_lists_operations() -> None:
    assert OPERATIONS, "the OpenAPI schema has no operations"
    assert any(label.startswith("GET ") for label in OPERATIONS)


def _fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


def _with_known_path_values(case: Any, known: dict[str, list[str]], choice: int) -> None:
    """Swap generated path parameters for existing identifiers whose kind fits the name."""
    for name in list(case.path_parameters or {}):
        for kind, values in known.items():
            if kind in name.lower() and values:
                case.path_parameters[name] = values[choice % len(values)]
                break


def send(client: Client, case: Any) -> Any:
    """Send a schemathesis case through Django's test client (the test's DB transaction)."""
    kwargs = case.as_transport_kwargs(base_url="http://localhost")
    kwargs.pop("cookies", None)
    prepared = requests.Request(**kwargs).prepare()
    headers = {k: v for k, v in prepared.headers.items() if k.lower() not in HOP_HEADERS}
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    return client.generic(
        case.method,
        prepared.path_url,
        data=body,
        content_type=prepared.headers.get("Content-Type", "application/octet-stream"),
        headers=headers,
    )


def assert_no_server_error(case: Any, response: Any) -> None:
    where = f"{case.method} {case.formatted_path} query={case.query!r} body={getattr(case, 'body', None)!r}"
    assert response.status_code < 500, f"{where} → {response.status_code}: {response.content[:500]!r}"
    if 400 <= response.status_code < 500:
        assert response.headers.get("Content-Type", "").startswith("application/json"), (
            f"{where} → {response.status_code} without a JSON body: {response.content[:200]!r}"
        )
        payload = json.loads(response.content)
        assert isinstance(payload, dict), f"{where}: error body is not an object"
        assert payload.get("detail"), f"{where}: error without a message: {payload!r}"
        assert payload.get("code"), f"{where}: error without a code: {payload!r}"


@pytest.fixture
def seeded(personas: Any) -> dict[str, Any]:
    data = build_sample_data(personas)
    return {"personas": personas, "known": data.known_path_values()}


# Values that overflow 64-bit columns, break number parsing or carry control characters:
# each one is sent in turn as every query and path parameter of every operation.
HOSTILE_VALUES = [
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1e309",
    "NaN",
    "-0",
    "\x00",
    "../../etc/passwd",
    "00000000-0000-0000-0000-00000000000g",
    "🙂" * 3,
    "x" * 3000,
]


def _boundary_cases(operation: Any) -> list[Any]:
    """Schemathesis's deterministic coverage phase (boundaries, wrong types, unexpected methods)
    plus every hostile value in every query and path parameter of a valid request."""
    generation = SCHEMA.config.generation_for(operation=operation)
    cases = list(
        SCHEMA.iter_coverage_cases(
            operation,
            generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=generation,
        )
    )
    valid = next((c for c in cases if c.meta is None or c.meta.generation.mode.is_positive), None)
    if len(cases) > MAX_COVERAGE_CASES:
        # An even spread keeps every kind of boundary the phase produces, at a bounded cost.
        step = len(cases) / MAX_COVERAGE_CASES
        cases = [cases[int(i * step)] for i in range(MAX_COVERAGE_CASES)]
    if valid is None:
        return cases
    parameters = [("query", p.name) for p in operation.query] + [
        ("path_parameters", p.name) for p in operation.path_parameters
    ]
    for location, name in parameters:
        for value in HOSTILE_VALUES:
            values = dict(getattr(valid, location) or {})
            values[name] = value
            cases.append(
                operation.Case(
                    method=valid.method,
                    path_parameters=values if location == "path_parameters" else dict(valid.path_parameters or {}),
                    query=values if location == "query" else dict(valid.query or {}),
                    body=valid.body,
                    media_type=valid.media_type,
                )
            )
    return cases


def _clients(operation: Any, personas: Any) -> list[Client]:
    """Anonymous first; writes also with the tokens of several personas, reads with the administrator's."""
    if operation.method.upper() in WRITE_METHODS or operation.security:
        return [Client()] + [api_client_for(personas[role]) for role in WRITE_PERSONAS]
    return [Client(), api_client_for(personas["administrator"])]


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_operation_never_fails_with_a_server_error(label: str, seeded: dict[str, Any]) -> None:
    operation = OPERATIONS[label]
    known = seeded["known"]
    clients = _clients(operation, seeded["personas"])

    # 1. Generated requests, fitting the schema and violating it, from random clients.
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @_fuzz_settings(EXAMPLES)
        @given(
            case=operation.as_strategy(mode),
            client_index=st.integers(0, len(clients) - 1),
            known_choice=st.one_of(st.none(), st.integers(0, 50)),
        )
        def run(case: Any, client_index: int, known_choice: int | None) -> None:
            if known_choice is not None:
                _with_known_path_values(case, known, known_choice)
            assert_no_server_error(case, send(clients[client_index], case))

        run()

    # 2. Boundaries and hostile values, every other one on an object that exists; writes with a
    # token (anonymously they stop at the 401 before any validation).
    token_clients = clients[1:]
    for index, case in enumerate(_boundary_cases(operation)):
        if index % 2 == 0:
            _with_known_path_values(case, known, index // 2)
        client = token_clients[index % len(token_clients)] if index % 3 else clients[0]
        assert_no_server_error(case, send(client, case))


def test_the_fuzz_harness_sees_server_errors(personas: Any) -> None:
    """Guard against a harness that cannot fail: a 500 and a 4xx without JSON must both be caught."""

    class FakeCase:
        method, formatted_path, query, body = "GET", "/api/v1/x", {}, None

    class FakeResponse:
        def __init__(self, status: int, content: bytes, content_type: str) -> None:
            self.status_code, self.content, self.headers = status, content, {"Content-Type": content_type}

    with pytest.raises(AssertionError):
        assert_no_server_error(FakeCase(), FakeResponse(500, b"boom", "text/html"))
    with pytest.raises(AssertionError):
        assert_no_server_error(FakeCase(), FakeResponse(404, b"<h1>no</h1>", "text/html"))
    assert_no_server_error(
        FakeCase(), FakeResponse(404, b'{"detail": "Tidak ada", "code": "not_found"}', "application/json")
    )


def test_nul_characters_are_refused_before_they_reach_the_database(personas: Any) -> None:
    """PostgreSQL refuses NUL in text with a database error; the API answers 422 instead."""
    client = api_client_for(personas["administrator"])
    response = Client().get("/api/v1/ledger/entries?subject_type=%00")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    response = client.post("/api/v1/forums", data='{"name": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_fuzz_client_reaches_the_api_with_a_token(personas: Any) -> None:
    """The transport really sends path, query and the token: /accounts/me answers for the token's owner."""
    operation = OPERATIONS.get("GET /api/v1/accounts/me")
    if operation is None:
        pytest.skip("no /accounts/me operation")
    case = operation.Case()
    response = send(api_client_for(personas["administrator"]), case)
    assert response.status_code == 200, response.content
    assert response.json()["username"] == personas["administrator"].user.username
    assert send(Client(), case).status_code == 401
