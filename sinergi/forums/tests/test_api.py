from typing import Any

import pytest
from django.test import Client

from conftest import api_client_for
from sinergi.forums.models import Forum
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.forums.tests.factories import ForumMemberFactory, fill_seats, forum_with_seats
from sinergi.forums.tests.fixtures import add_invitation
from sinergi.ledger.models import LedgerEntry
from sinergi.policy.tests.factories import PolicyObjectFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def officer_forum(personas: Any, **kwargs: Any) -> Forum:
    return forum_with_seats(convener=personas["opd_officer"].organisation, **kwargs)


def test_list_detail_criteria_and_members_are_public(personas: Any, django_assert_max_num_queries: Any) -> None:
    forum = officer_forum(personas, status=ForumStatus.ACTIVE)
    fill_seats(forum, "perusahaan", "lsm")
    policy_object = PolicyObjectFactory()
    forum.policy_objects.add(policy_object)
    for _ in range(5):
        fill_seats(officer_forum(personas), "karang-taruna")
    client = Client()
    with django_assert_max_num_queries(4):
        listing = client.get("/api/v1/forums").json()
    assert listing["count"] == 6
    row = next(r for r in listing["items"] if r["slug"] == forum.slug)
    assert row["active_member_count"] == 2
    assert row["policy_objects"][0]["uid"] == str(policy_object.uid)

    assert client.get("/api/v1/forums", {"status": "active"}).json()["count"] == 1
    assert client.get("/api/v1/forums", {"sector": "pemuda"}).json()["count"] == 6
    assert client.get("/api/v1/forums", {"policy_object": str(policy_object.uid)}).json()["count"] == 1
    assert client.get("/api/v1/forums", {"convener": "tidak-ada"}).json()["count"] == 0
    assert client.get("/api/v1/forums", {"status": "lost"}).status_code == 422

    detail = client.get(f"/api/v1/forums/{forum.slug}").json()
    assert detail["charter"]["quorum_member_share"] == "0.50"
    assert {s["sector"]: (s["filled"], s["minimum"]) for s in detail["seats"]} == {
        "swasta": (1, 1),
        "masyarakat": (1, 1),
        "pemuda": (0, 1),
    }
    criteria = client.get(f"/api/v1/forums/{forum.slug}/criteria").json()
    assert [c["code"] for c in criteria] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert criteria[1]["met"] is False
    members = client.get(f"/api/v1/forums/{forum.slug}/members").json()
    assert {m["sector"] for m in members["items"]} == {"swasta", "masyarakat"}
    assert client.get("/api/v1/forums/tidak-ada").status_code == 404


@pytest.mark.parametrize("role_name", ["swasta", "masyarakat", "pemuda", "akademisi", "media", "citizen"])
def test_non_public_accounts_cannot_convene(personas: Any, role_name: str) -> None:
    persona = personas[role_name]
    body = {"convener": personas["opd_officer"].organisation.slug, "name": "Forum", "purpose": "Tujuan"}
    response = api_client_for(persona).post("/api/v1/forums", body, content_type=JSON)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Forum.objects.exists()


def test_anonymous_convene_is_401(personas: Any) -> None:
    response = Client().post("/api/v1/forums", {"convener": "x", "name": "a", "purpose": "b"}, content_type=JSON)
    assert response.status_code == 401


def test_dprd_member_convenes_through_the_api(personas: Any) -> None:
    dprd = personas["dprd_member"]
    policy_object = PolicyObjectFactory()
    body = {
        "convener": dprd.organisation.slug,
        "name": "Forum Reses Sananwetan",
        "purpose": "Menampung aspirasi reses.",
        "quorum_member_share": "0.6",
        "quorum_sectors": ["masyarakat"],
        "seats": [{"sector": "masyarakat", "minimum": 2}, {"sector": "pemuda", "minimum": 1, "maximum": 2}],
        "policy_objects": [str(policy_object.uid)],
    }
    response = api_client_for(dprd).post("/api/v1/forums", body, content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == ForumStatus.DRAFT
    assert data["charter"]["quorum_sectors"] == ["masyarakat"]
    assert data["convener"]["slug"] == dprd.organisation.slug
    assert LedgerEntry.objects.filter(event_type="forum.convened").count() == 1


def test_convene_refusals_are_json(personas: Any) -> None:
    client = api_client_for(personas["opd_officer"])
    base = {"convener": personas["opd_officer"].organisation.slug, "name": "Forum", "purpose": "Tujuan"}
    unknown_sector = client.post(
        "/api/v1/forums", {**base, "seats": [{"sector": "alien", "minimum": 1}]}, content_type=JSON
    )
    assert (unknown_sector.status_code, unknown_sector.json()["code"]) == (400, "unknown_sector")
    other = client.post(
        "/api/v1/forums", {**base, "convener": personas["dprd_member"].organisation.slug}, content_type=JSON
    )
    assert (other.status_code, other.json()["code"]) == (403, "not_convener")
    missing = client.post(
        "/api/v1/forums", {**base, "policy_objects": [str(PolicyObjectFactory.build().uid)]}, content_type=JSON
    )
    assert missing.status_code == 400
    assert not Forum.objects.exists()


def test_activate_refusal_lists_unfilled_sectors(personas: Any) -> None:
    forum = officer_forum(personas)
    fill_seats(forum, "opd", "kelurahan")
    forum.policy_objects.add(PolicyObjectFactory())
    response = api_client_for(personas["opd_officer"]).post(f"/api/v1/forums/{forum.slug}/activate")
    assert response.status_code == 400
    assert response.json()["code"] == "forum_not_ready"
    assert "Masyarakat (0 dari 1)" in response.json()["detail"]


def test_lifecycle_and_charter_through_the_api(personas: Any) -> None:
    forum = officer_forum(personas)
    fill_seats(forum, "perusahaan", "lsm", "karang-taruna")
    client = api_client_for(personas["opd_officer"])
    policy_object = PolicyObjectFactory()
    linked = client.post(
        f"/api/v1/forums/{forum.slug}/policy-objects", {"policy_object": str(policy_object.uid)}, content_type=JSON
    )
    assert linked.status_code == 200
    patched = client.patch(
        f"/api/v1/forums/{forum.slug}/charter",
        {"seats": [{"sector": "swasta", "minimum": 1}], "legal_basis": "SK 1/2026"},
        content_type=JSON,
    )
    assert patched.status_code == 200
    assert [s["sector"] for s in patched.json()["seats"] if s["minimum"]] == ["swasta"]
    assert client.post(f"/api/v1/forums/{forum.slug}/activate").json()["status"] == ForumStatus.ACTIVE
    locked = client.patch(f"/api/v1/forums/{forum.slug}/charter", {"quorum_member_share": "0.9"}, content_type=JSON)
    assert (locked.status_code, locked.json()["code"]) == (400, "charter_locked")
    again = client.post(f"/api/v1/forums/{forum.slug}/activate")
    assert again.status_code == 409
    closed = client.post(f"/api/v1/forums/{forum.slug}/close", {"note": "Selesai."}, content_type=JSON)
    assert closed.json()["closing_note"] == "Selesai."


def test_membership_flow_through_the_api(personas: Any) -> None:
    forum = officer_forum(personas)
    steward = api_client_for(personas["opd_officer"])
    invited = steward.post(
        f"/api/v1/forums/{forum.slug}/members", {"person": personas["pemuda"].person.slug}, content_type=JSON
    )
    assert invited.status_code == 201
    member_id = invited.json()["id"]
    assert invited.json()["sector"] == "pemuda"
    not_yours = api_client_for(personas["swasta"]).post(
        f"/api/v1/forums/{forum.slug}/members/{member_id}/respond", {"answer": "accept"}, content_type=JSON
    )
    assert not_yours.status_code == 403
    accepted = api_client_for(personas["pemuda"]).post(
        f"/api/v1/forums/{forum.slug}/members/{member_id}/respond", {"answer": "accept"}, content_type=JSON
    )
    assert accepted.json()["status"] == ForumMemberStatus.ACTIVE

    applied = api_client_for(personas["citizen"]).post(
        f"/api/v1/forums/{forum.slug}/apply", {"motivation": "Warga peduli."}, content_type=JSON
    )
    assert applied.status_code == 201
    assert applied.json()["name"] == "Warga (nama tidak ditampilkan)"
    application_id = applied.json()["id"]
    rejected = steward.post(
        f"/api/v1/forums/{forum.slug}/members/{application_id}/decide",
        {"decision": "reject", "reason": ""},
        content_type=JSON,
    )
    assert (rejected.status_code, rejected.json()["code"]) == (400, "reason_required")
    approved = steward.post(
        f"/api/v1/forums/{forum.slug}/members/{application_id}/decide", {"decision": "approve"}, content_type=JSON
    )
    assert approved.json()["status"] == ForumMemberStatus.ACTIVE

    chair = steward.post(f"/api/v1/forums/{forum.slug}/members/{member_id}/role", {"role": "chair"}, content_type=JSON)
    assert chair.json()["role"] == "chair"
    left = api_client_for(personas["pemuda"]).post(f"/api/v1/forums/{forum.slug}/members/{member_id}/leave")
    assert left.json()["status"] == ForumMemberStatus.LEFT


def test_declining_an_invitation(personas: Any) -> None:
    forum = officer_forum(personas)
    invitation = add_invitation(forum, personas["media"])
    response = api_client_for(personas["media"]).post(
        f"/api/v1/forums/{forum.slug}/members/{invitation.pk}/respond", {"answer": "decline"}, content_type=JSON
    )
    assert response.json()["status"] == ForumMemberStatus.DECLINED


def test_steward_rules_apply_to_the_api(personas: Any) -> None:
    forum = officer_forum(personas)
    outsider = api_client_for(personas["dprd_member"])
    for method, path in [
        ("post", f"/api/v1/forums/{forum.slug}/activate"),
        ("post", f"/api/v1/forums/{forum.slug}/close"),
        ("patch", f"/api/v1/forums/{forum.slug}/charter"),
    ]:
        response = getattr(outsider, method)(path, {}, content_type=JSON)
        assert response.status_code == 403, path
    member = ForumMemberFactory(forum=forum)
    assert (
        outsider.post(
            f"/api/v1/forums/{forum.slug}/members/{member.pk}/role", {"role": "chair"}, content_type=JSON
        ).status_code
        == 403
    )


def test_bad_identifiers_give_4xx(personas: Any) -> None:
    forum = officer_forum(personas)
    client = api_client_for(personas["opd_officer"])
    huge = client.post(f"/api/v1/forums/{forum.slug}/members/{2**63}/role", {"role": "chair"}, content_type=JSON)
    assert huge.status_code == 422
    missing = client.post(f"/api/v1/forums/{forum.slug}/members/12345/role", {"role": "chair"}, content_type=JSON)
    assert missing.status_code == 404
    assert Client().get("/api/v1/forums", {"policy_object": "not-a-uuid"}).status_code == 422
    unknown = client.post(f"/api/v1/forums/{forum.slug}/members", {"person": "tidak-ada"}, content_type=JSON)
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_person")


def test_governance_index_endpoint(personas: Any) -> None:
    forum = officer_forum(personas)
    response = Client().get(f"/api/v1/forums/{forum.slug}/index")
    assert response.status_code == 200
    data = response.json()
    assert [c["code"] for c in data["components"]] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert data["composite"] is None
    assert data["is_collaborative"] is False
