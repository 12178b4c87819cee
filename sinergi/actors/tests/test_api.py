import datetime as dt
import json
from typing import Any

import pytest

from conftest import api_client_for
from sinergi.actors.models import Membership, Organisation
from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.usefixtures("reference_data")


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def _patch(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_public_reads(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    dprd = OrganisationFactory(name="DPRD Kota Contoh", slug="dprd", kind=kind("dprd"), seat_count=25)
    komisi = OrganisationFactory(name="Komisi II", slug="komisi-ii", kind=kind("komisi"), parent=dprd)
    komisi.aliases.create(name="Komisi B")
    for n in range(30):
        OrganisationFactory(name=f"LSM {n}", kind=kind("lsm"))
    ketua = PersonFactory(user=None, full_name="Ketua Komisi", slug="ketua-komisi")
    MembershipFactory(person=ketua, organisation=komisi, role=role("ketua"))
    MembershipFactory(person=PersonFactory(is_listed=False), organisation=komisi)

    sectors = client.get("/api/v1/actors/sectors").json()
    assert [s["code"] for s in sectors][:2] == ["pemerintah", "legislatif"]
    with django_assert_max_num_queries(4):
        listing = client.get("/api/v1/actors/organisations", {"limit": 50}).json()
    assert listing["count"] == 32
    assert client.get("/api/v1/actors/organisations", {"q": "komisi b"}).json()["items"][0]["slug"] == "komisi-ii"
    assert client.get("/api/v1/actors/organisations", {"kind": "dprd"}).json()["count"] == 1
    detail = client.get("/api/v1/actors/organisations/komisi-ii").json()
    assert detail["parent"] == "dprd" and detail["aliases"][0]["name"] == "Komisi B"
    assert client.get("/api/v1/actors/organisations/dprd").json()["children"] == ["komisi-ii"]
    assert client.get("/api/v1/actors/organisations/dprd").json()["seat_count"] == 25
    person = client.get("/api/v1/actors/people/ketua-komisi").json()
    assert person["memberships"][0]["organisation"] == "komisi-ii"
    members = client.get("/api/v1/actors/memberships", {"organisation": "komisi-ii"}).json()
    assert [m["person"]["slug"] for m in members["items"]] == ["ketua-komisi"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/actors/organisations/tidak-ada", 404),
        ("/api/v1/actors/organisations/" + "a" * 200, 422),
        ("/api/v1/actors/organisations/%C3%A9", 422),
        ("/api/v1/actors/people/tidak-ada", 404),
        ("/api/v1/actors/memberships?organisation=tidak-ada", 404),
        ("/api/v1/actors/organisations?q=" + "x" * 200, 422),
        ("/api/v1/actors/organisations?limit=-1", 422),
    ],
)
def test_bad_reads_get_json_4xx(client, path: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status
    assert "detail" in response.json()


def test_unlisted_people_are_not_served(client) -> None:  # type: ignore[no-untyped-def]
    citizen = PersonFactory(is_listed=False, slug="warga")
    assert client.get(f"/api/v1/actors/people/{citizen.slug}").status_code == 404
    assert client.get("/api/v1/actors/memberships", {"person": "warga"}).status_code == 404


def test_admin_writes_organisations(personas) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(personas["administrator"])
    OrganisationFactory(name="Pemkot", slug="pemkot", kind=kind("pemkot"))
    created = _post(
        client,
        "/api/v1/actors/organisations",
        {"name": "Dinas Sosial", "sector": "pemerintah", "kind": "opd", "parent": "pemkot", "valid_from": "2022-01-01"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["parent"] == "pemkot"
    slug = created.json()["slug"]
    changed = _patch(client, f"/api/v1/actors/organisations/{slug}", {"short_name": "Dinsos", "parent": None})
    assert changed.status_code == 200 and changed.json()["short_name"] == "Dinsos" and changed.json()["parent"] is None
    alias = _post(client, f"/api/v1/actors/organisations/{slug}/aliases", {"name": "Dinas Sosial P3A"})
    assert alias.status_code == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"name": "X", "sector": "tidak-ada", "kind": "opd"}, 400),
        ({"name": "X", "sector": "pemerintah", "kind": "opd", "parent": "tidak-ada"}, 400),
        ({"name": "X", "sector": "pemerintah", "kind": "opd", "region": "99.99"}, 400),
        ({"name": "X", "sector": "pemerintah", "kind": "opd", "website": "bukan url"}, 400),
        ({"name": "", "sector": "pemerintah", "kind": "opd"}, 422),
        ({"name": "X", "sector": "pemerintah", "kind": "opd", "seat_count": 2**40}, 422),
        ({"name": "X", "sector": "pemerintah", "kind": "opd", "valid_from": "kemarin"}, 422),
        (
            {
                "name": "X",
                "sector": "pemerintah",
                "kind": "opd",
                "valid_from": "2025-02-01",
                "valid_until": "2025-01-01",
            },
            400,
        ),
    ],
)
def test_bad_organisation_input_is_refused_and_writes_nothing(personas, body, status) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(personas["administrator"])
    before = (LedgerEntry.objects.count(), Organisation.objects.count())
    response = _post(client, "/api/v1/actors/organisations", body)
    assert response.status_code == status
    assert "detail" in response.json()
    assert (LedgerEntry.objects.count(), Organisation.objects.count()) == before


def test_patch_rejects_nulls_for_text(personas) -> None:  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(slug="lsm")
    client = api_client_for(personas["administrator"])
    assert _patch(client, "/api/v1/actors/organisations/lsm", {"name": None}).status_code == 400
    organisation.refresh_from_db()
    assert organisation.name


def test_memberships_through_the_api(personas) -> None:  # type: ignore[no-untyped-def]
    officer = personas["opd_officer"]
    client = api_client_for(officer)
    PersonFactory(user=None, slug="analis-baru")
    created = _post(
        client,
        "/api/v1/actors/memberships",
        {"organisation": officer.organisation.slug, "person": "analis-baru", "role": "staf", "title": "Analis"},
    )
    assert created.status_code == 201, created.content
    uid = created.json()["uid"]
    ended = _post(client, f"/api/v1/actors/memberships/{uid}/end", {"last_day": "2026-11-30"})
    assert ended.status_code == 200 and ended.json()["valid_until"] == "2026-11-30"
    again = _post(client, f"/api/v1/actors/memberships/{uid}/end", {})
    assert again.status_code == 200  # last day is still ahead: it can be brought forward
    assert Membership.objects.get(uid=uid).valid_until < dt.date(2026, 11, 30)
    assert _post(client, f"/api/v1/actors/memberships/{uid}/end", {}).status_code == 409
    unknown = _post(
        client, "/api/v1/actors/memberships", {"organisation": officer.organisation.slug, "person": "x", "role": "staf"}
    )
    assert unknown.status_code == 400
    bad_role = _post(
        client,
        "/api/v1/actors/memberships",
        {"organisation": officer.organisation.slug, "person": "analis-baru", "role": "raja"},
    )
    assert bad_role.status_code == 400
    assert _post(client, "/api/v1/actors/memberships/not-a-uuid/end", {}).status_code == 422
    assert _post(client, "/api/v1/actors/memberships/00000000-0000-0000-0000-000000000000/end", {}).status_code == 404


def test_writes_need_a_token(client) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, "/api/v1/actors/organisations", {"name": "X", "sector": "pemerintah", "kind": "opd"})
    assert response.status_code == 401 and "detail" in response.json()


def test_people_writes(personas) -> None:  # type: ignore[no-untyped-def]
    admin = api_client_for(personas["administrator"])
    created = _post(admin, "/api/v1/actors/people", {"full_name": "Elim Contoh", "public_title": "Wakil"})
    assert created.status_code == 201
    slug = created.json()["slug"]
    assert _patch(admin, f"/api/v1/actors/people/{slug}", {"bio": "Profil"}).json()["bio"] == "Profil"
    citizen = personas["citizen"]
    own = api_client_for(citizen)
    assert _patch(own, f"/api/v1/actors/people/{citizen.person.slug}", {"public_title": "Warga"}).status_code == 200
    other = api_client_for(personas["media"])
    assert _patch(other, f"/api/v1/actors/people/{citizen.person.slug}", {"bio": "x"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Nama\x00", "sector": "pemerintah", "kind": "opd"},
        {"name": "X", "sector": "pemerintah", "kind": "opd", "valid_from": "0001-01-01"},
        {"name": "X", "sector": "pemerintah", "kind": "opd", "valid_until": "9999-12-31"},
    ],
)
def test_nul_characters_and_extreme_dates_are_422(personas, body) -> None:  # type: ignore[no-untyped-def]
    response = _post(api_client_for(personas["administrator"]), "/api/v1/actors/organisations", body)
    assert response.status_code == 422


def test_nul_in_query_is_422(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/actors/organisations", {"q": "a\x00"}).status_code == 422


def test_parent_filter(client) -> None:  # type: ignore[no-untyped-def]
    dprd = OrganisationFactory(slug="dprd", kind=kind("dprd"))
    OrganisationFactory(slug="komisi-i", kind=kind("komisi"), parent=dprd)
    OrganisationFactory(slug="lain")
    body = client.get("/api/v1/actors/organisations", {"parent": "dprd"}).json()
    assert [item["slug"] for item in body["items"]] == ["komisi-i"]


def test_sectors_filter_state_and_non_state(client) -> None:  # type: ignore[no-untyped-def]
    non_state = client.get("/api/v1/actors/sectors", {"is_state": "false"}).json()
    assert [s["code"] for s in non_state] == ["swasta", "masyarakat", "pemuda", "akademisi", "media"]
    assert client.get("/api/v1/actors/sectors", {"is_state": "maybe"}).status_code == 422
