"""API v1 support part: dukung by token or by proven phone, phone codes, similar, merge (officers)."""

from typing import Any

import pytest

from conftest import api_client_for
from sinergi.aspirations.models import Support
from sinergi.aspirations.routing.text import stemmed
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.aspirations.tests.lifecycle_fixtures import Desk, build_desk

pytestmark = pytest.mark.django_db
PHONE = "+6281234567001"
BASE = "/api/v1/aspirations"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    from sinergi.notifications import services as notification_services

    outbox: list[tuple[str, str]] = []
    monkeypatch.setattr(notification_services, "send_one_time_code", lambda phone, code: outbox.append((phone, code)))
    return outbox


@pytest.fixture
def case() -> Any:
    return AspirationFactory(status=AspirationStatus.VERIFIED)


def test_support_with_token_is_idempotent(personas: Any, case: Any) -> None:
    client = api_client_for(personas["citizen"])
    first = client.post(f"{BASE}/{case.uid}/support", {}, content_type="application/json")
    again = client.post(f"{BASE}/{case.uid}/support", {}, content_type="application/json")
    assert first.status_code == 201 and first.json() == {"uid": str(case.uid), "created": True, "support_count": 1}
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["support_count"] == 1


def test_support_with_proven_phone(
    case: Any, client: Any, sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"{BASE}/phone-verifications", {"phone": "0812-3456-7001"}, content_type="application/json"
        )
    assert started.status_code == 202 and started.json() == {"sent": True, "expires_in_seconds": 600}
    assert PHONE not in started.content.decode()
    wrong = client.post(
        f"{BASE}/phone-verifications/check", {"phone": PHONE, "code": "abc"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    checked = client.post(
        f"{BASE}/phone-verifications/check", {"phone": PHONE, "code": sent[-1][1]}, content_type="application/json"
    )
    assert checked.status_code == 200
    token = checked.json()["proof_token"]
    body = {"phone": PHONE, "proof_token": token}
    supported = client.post(f"{BASE}/{case.uid}/support", body, content_type="application/json")
    assert supported.status_code == 201 and PHONE not in supported.content.decode()
    forged = {"phone": "+6281234567002", "proof_token": token}
    assert client.post(f"{BASE}/{case.uid}/support", forged, content_type="application/json").status_code == 403
    assert Support.objects.filter(aspiration=case).count() == 1


def test_support_without_anything_is_401_and_bad_token_401(case: Any, client: Any) -> None:
    assert client.post(f"{BASE}/{case.uid}/support", {}, content_type="application/json").status_code == 401
    bad = client.post(
        f"{BASE}/{case.uid}/support", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer ss_nope"
    )
    assert bad.status_code == 401


def test_support_closed_case_is_4xx(personas: Any) -> None:
    closed = AspirationFactory(status=AspirationStatus.REJECTED)
    response = api_client_for(personas["citizen"]).post(
        f"{BASE}/{closed.uid}/support", {}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "support_closed"
    missing = api_client_for(personas["citizen"]).post(
        f"{BASE}/00000000-0000-0000-0000-000000000000/support", {}, content_type="application/json"
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"phone": "1"}, {"phone": "x" * 100}, {}, {"phone": "+1 202 555 0100"}],
)
def test_phone_start_bad_input_is_4xx(client: Any, body: dict[str, Any], sent: list[tuple[str, str]]) -> None:
    response = client.post(f"{BASE}/phone-verifications", body, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_similar_endpoint(client: Any) -> None:
    text = "Lampu PJU mati total di gang Kenari, malam gelap sekali"
    found = AspirationFactory(
        title="Lampu PJU mati", text=text, search_terms=stemmed(text), latitude=-8.1, longitude=112.16
    )
    AspirationFactory(title="Rahasia", text=text, search_terms=stemmed(text), privacy=Privacy.CONFIDENTIAL)
    response = client.get(
        f"{BASE}/similar", {"q": "pju gang kenari mati gelap", "latitude": -8.1001, "longitude": 112.16}
    )
    assert response.status_code == 200
    rows = response.json()
    assert rows[0]["uid"] == str(found.uid) and rows[0]["distance_m"] is not None
    assert all(row["title"] != "Rahasia" for row in rows)
    assert client.get(f"{BASE}/similar").status_code == 422
    assert client.get(f"{BASE}/similar", {"q": "x", "limit": 999}).status_code == 422
    assert client.get(f"{BASE}/similar", {"q": "x", "latitude": 1000}).status_code == 422


@pytest.fixture
def desk(reference_data: None) -> Desk:
    return build_desk()


def test_merge_endpoint(desk: Desk, personas: Any) -> None:
    into = AspirationFactory(status=AspirationStatus.DISPOSITIONED, assigned_organisation=desk.opd)
    duplicate = AspirationFactory(status=AspirationStatus.RECEIVED, assigned_organisation=desk.opd)
    body = {"into": str(into.uid), "reason": "Lokasi sama."}
    from sinergi.accounts.services import api_token_create

    _, key = api_token_create(user=desk.opd_staff, name="t")
    staff = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    citizen = api_client_for(personas["citizen"])
    assert citizen.post(f"{BASE}/{duplicate.uid}/merge", body, content_type="application/json").status_code == 403
    assert (
        api_client_for(personas["anonymous"])
        .post(f"{BASE}/{duplicate.uid}/merge", body, content_type="application/json")
        .status_code
        == 401
    )
    from django.test import Client

    client = Client(**staff)
    selfish = client.post(
        f"{BASE}/{duplicate.uid}/merge", {"into": str(duplicate.uid), "reason": "x"}, content_type="application/json"
    )
    assert selfish.status_code == 400 and selfish.json()["code"] == "merge_self"
    response = client.post(f"{BASE}/{duplicate.uid}/merge", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "uid": str(duplicate.uid),
        "status": "merged",
        "merged_into": str(into.uid),
        "into_support_count": 0,
    }
    again = client.post(f"{BASE}/{duplicate.uid}/merge", body, content_type="application/json")
    assert again.status_code == 409
    long_reason = client.post(
        f"{BASE}/{duplicate.uid}/merge", {"into": str(into.uid), "reason": "x" * 2000}, content_type="application/json"
    )
    assert long_reason.status_code == 422
