"""Officer API: same rules and validation as the pages; identity never to the OPD for anonymous cases."""

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.accounts.services import api_token_create
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk, received_case

pytestmark = pytest.mark.django_db
BASE = "/api/v1/aspirations/kelola"


@pytest.fixture
def desk(reference_data):  # type: ignore[no-untyped-def]
    return build_desk()


def api(user) -> Client:  # type: ignore[no-untyped-def]
    _, key = api_token_create(user=user, name="uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_desk_confirm_respond_resolve_over_api(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd, suggestion_score=0.7)
    coordinator = api(desk.coordinator)
    rows = coordinator.get(f"{BASE}/verifikasi").json()
    assert [row["uid"] for row in rows["items"]] == [str(case.uid)]
    assert rows["items"][0]["suggested_organisation"] == "dinas-pupr"
    response = coordinator.post(f"{BASE}/{case.uid}/konfirmasi", {}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == AspirationStatus.DISPOSITIONED

    opd = api(desk.opd_staff)
    assert [row["uid"] for row in opd.get(f"{BASE}/antrean").json()["items"]] == [str(case.uid)]
    bad = opd.post(f"{BASE}/{case.uid}/tanggapi", {"text": ""}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    early = opd.post(f"{BASE}/{case.uid}/selesaikan", {"outcome": "x"}, content_type="application/json")
    assert early.status_code == 409
    ok = opd.post(f"{BASE}/{case.uid}/tanggapi", {"text": "Kami survei."}, content_type="application/json")
    assert ok.json()["status"] == AspirationStatus.IN_PROGRESS
    done = opd.post(f"{BASE}/{case.uid}/selesaikan", {"outcome": "Selesai."}, content_type="application/json")
    assert done.json()["status"] == AspirationStatus.RESOLVED
    assert opd.post(f"{BASE}/{case.uid}/hapus", {}, content_type="application/json").status_code in (404, 422)


def test_identity_rules_over_api(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, privacy=Privacy.ANONYMOUS)
    case.status, case.assigned_organisation = AspirationStatus.DISPOSITIONED, desk.opd
    case.save()
    assert api(desk.opd_staff).get(f"{BASE}/{case.uid}").status_code == 200
    assert api(desk.opd_staff).get(f"{BASE}/{case.uid}/pelapor").status_code == 403
    assert api(desk.other_staff).get(f"{BASE}/{case.uid}").status_code == 403
    full = api(desk.coordinator).get(f"{BASE}/{case.uid}/pelapor").json()
    assert full["name"] == "Siti Pelapor Rahasia" and full["phone"] == "+6281234567890"
    case.privacy = Privacy.PUBLIC
    case.save()
    named = api(desk.opd_staff).get(f"{BASE}/{case.uid}/pelapor").json()
    assert named["name"] == "Siti Pelapor Rahasia" and named["phone"] is None
    assert Client().get(f"{BASE}/{case.uid}").status_code == 401
