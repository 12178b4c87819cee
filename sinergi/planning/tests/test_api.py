import datetime as dt
from typing import Any

import pytest

from conftest import api_client_for
from sinergi.accounts.services import api_token_create
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.planning import services
from sinergi.planning.states import PokirStatus
from sinergi.planning.tests.conftest import World
from sinergi.planning.tests.factories import MusrenbangFactory, PokirItemFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/planning"


def token_client(user: Any) -> Any:
    from django.test import Client

    _, key = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def pokir_body(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "title": "Normalisasi saluran",
        "description": "Saluran meluap.",
        "location_text": "Jl. Kalimantan",
        "kelurahan": world.kelurahan.code,
        "volume": "150.5",
        "unit": "meter",
        "target_group": "Warga RW 03",
        "opd": world.opd.slug,
        "komisi": world.komisi.slug,
        "program_code": "1.03.02",
        "program_name": "P",
        "activity_code": "1.03.02.2.01",
        "activity_name": "K",
        "sub_activity_code": "1.03.02.2.01.0012",
        "sub_activity_name": "S",
        "budget_estimate": "250000000",
        "fiscal_year": 2028,
    }
    body.update(overrides)
    return body


def test_reses_open_batch_and_detail(world: World, client: Any) -> None:
    member = token_client(world.member)
    response = member.post(
        f"{API}/reses",
        {
            "organisation": world.dprd.slug,
            "dapil": "Dapil 1",
            "kecamatan": world.kecamatan.code,
            "masa_sidang": "MS I 2027",
            "held_on": "2027-01-15",
            "place": "Balai",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uid = response.json()["uid"]
    rows = [{"kelurahan": "Kepanjenkidul", "title": f"Got {n}", "text": "Got mampet tiap hujan."} for n in range(2)]
    bad = member.post(
        f"{API}/reses/{uid}/aspirations",
        {"batch_key": "e" * 32, "rows": [*rows, {"kelurahan": "Mordor", "title": "x", "text": "y"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "batch_rejected" and bad.json()["errors"][0]["row"] == 2
    assert Aspiration.objects.count() == 0
    ok = member.post(
        f"{API}/reses/{uid}/aspirations", {"batch_key": "e" * 32, "rows": rows}, content_type="application/json"
    )
    assert ok.status_code == 201 and ok.json()["created"] == 2
    detail = client.get(f"{API}/reses/{uid}").json()
    assert detail["aspiration_count"] == 2 and detail["by_kelurahan"][0]["count"] == 2
    assert "phone" not in str(detail) and "tracking_code" not in str(detail)
    assert client.get(f"{API}/reses").json()["count"] == 1
    held = member.post(f"{API}/reses/{uid}/held", {"attendee_count": 40}, content_type="application/json")
    assert held.json()["status"] == "held"
    assert member.post(f"{API}/reses/{uid}/reported").json()["status"] == "reported"


def test_reses_import_over_api(world: World) -> None:
    reses = services.reses_open(
        actor=world.member,
        organisation=world.dprd,
        data=services.ResesInput(dapil="D", masa_sidang="M", held_on=dt.date(2027, 1, 1), place="P"),
    )
    member = token_client(world.member)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = member.post(f"{API}/reses/{reses.uid}/import", {"file": SimpleUploadedFile("r.csv", b"judul,isi\nx,y\n")})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_header"
    ok = member.post(
        f"{API}/reses/{reses.uid}/import",
        {"file": SimpleUploadedFile("r.csv", b"kelurahan,judul,isi\nSentul,Got,Got mampet.\n")},
    )
    assert ok.status_code == 201 and ok.json()["created"] == 1


def test_pokir_propose_step_and_read(world: World, client: Any) -> None:
    aspiration = AspirationFactory()
    member = token_client(world.member)
    response = member.post(
        f"{API}/pokir", pokir_body(world, aspirations=[str(aspiration.uid)]), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    uid = response.json()["uid"]
    bad_code = member.post(f"{API}/pokir", pokir_body(world, program_code="1-03-02"), content_type="application/json")
    assert bad_code.status_code == 400 and bad_code.json()["code"] == "invalid_program_code"
    refused = member.post(
        f"{API}/pokir/{uid}/status", {"to_status": "verified_by_secretariat"}, content_type="application/json"
    )
    assert refused.status_code == 403
    setwan = token_client(world.setwan)
    moved = setwan.post(
        f"{API}/pokir/{uid}/status",
        {"to_status": "verified_by_secretariat", "note": "Lengkap"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == PokirStatus.VERIFIED
    skip = token_client(world.admin).post(
        f"{API}/pokir/{uid}/status", {"to_status": "budgeted"}, content_type="application/json"
    )
    assert skip.status_code == 409
    unknown = setwan.post(f"{API}/pokir/{uid}/status", {"to_status": "bogus"}, content_type="application/json")
    assert unknown.status_code == 400
    detail = client.get(f"{API}/pokir/{uid}").json()
    assert [h["to_status"] for h in detail["history"]] == ["proposed", "verified_by_secretariat"]
    assert detail["aspirations"] == [str(aspiration.uid)]
    listed = client.get(f"{API}/pokir", {"status": "verified_by_secretariat", "year": 2028}).json()
    assert listed["count"] == 1
    trail = client.get(f"{API}/trail/{aspiration.uid}").json()
    assert trail[0]["kind"] == "pokir" and trail[0]["status"] == "verified_by_secretariat"


def test_musrenbang_over_api(world: World, client: Any) -> None:
    officer = token_client(world.kelurahan_officer)
    response = officer.post(
        f"{API}/musrenbang",
        {
            "organiser": world.kelurahan_office.slug,
            "level": "kelurahan",
            "region": world.kelurahan.code,
            "fiscal_year": 2028,
            "title": "Musrenbang Kelurahan Kepanjenkidul 2028",
            "place": "Aula",
            "held_on": "2027-01-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uid = response.json()["uid"]
    proposal = officer.post(
        f"{API}/musrenbang/{uid}/proposals", {"title": "Paving", "priority": 1}, content_type="application/json"
    ).json()
    assert (
        officer.post(
            f"{API}/musrenbang/{uid}/delegates", {"name": "Pak RW", "origin": "RW 1"}, content_type="application/json"
        ).status_code
        == 201
    )
    no_next = officer.post(
        f"{API}/musrenbang/proposals/{proposal['uid']}/decision",
        {"decision": "forward"},
        content_type="application/json",
    )
    assert no_next.status_code == 409  # must be agreed first
    agreed = officer.post(
        f"{API}/musrenbang/proposals/{proposal['uid']}/decision",
        {"decision": "agreed"},
        content_type="application/json",
    )
    assert agreed.json()["status"] == "agreed"
    closed = officer.post(
        f"{API}/musrenbang/{uid}/close", {"berita_acara": "Sepakat."}, content_type="application/json"
    )
    assert closed.status_code == 200 and len(closed.json()["berita_acara_sha256"]) == 64
    detail = client.get(f"{API}/musrenbang/{uid}").json()
    assert detail["proposals"][0]["status"] == "agreed" and detail["delegates"][0]["name"] == "Pak RW"
    assert client.get(f"{API}/musrenbang", {"level": "kelurahan"}).json()["count"] == 1


def test_writes_need_a_token_and_permission(world: World, personas: Any) -> None:
    item = PokirItemFactory(opd=world.opd)
    musrenbang = MusrenbangFactory(organiser=world.kelurahan_office)
    from django.test import Client

    anonymous = Client()
    assert (
        anonymous.post(
            f"{API}/pokir/{item.uid}/status", {"to_status": "verified_by_secretariat"}, content_type="application/json"
        ).status_code
        == 401
    )
    citizen = api_client_for(personas["citizen"])
    assert (
        citizen.post(
            f"{API}/musrenbang/{musrenbang.uid}/delegates",
            {"name": "x", "origin": "y"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert citizen.post(f"{API}/pokir", pokir_body(world), content_type="application/json").status_code == 403


def test_bad_input_gets_4xx_never_5xx(world: World, client: Any) -> None:
    member = token_client(world.member)
    assert client.get(f"{API}/pokir/not-a-uuid").status_code in (404, 422)
    assert client.get(f"{API}/pokir/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get(f"{API}/pokir", {"year": 99999}).status_code == 422
    assert (
        member.post(f"{API}/pokir", pokir_body(world, volume="-5"), content_type="application/json").status_code == 422
    )
    assert (
        member.post(f"{API}/pokir", pokir_body(world, opd="tidak-ada"), content_type="application/json").status_code
        == 400
    )
    assert (
        member.post(
            f"{API}/pokir",
            pokir_body(world, aspirations=["00000000-0000-0000-0000-000000000001"]),
            content_type="application/json",
        ).status_code
        == 400
    )
    assert (
        member.post(f"{API}/pokir", pokir_body(world, title="x" * 500), content_type="application/json").status_code
        == 422
    )


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (6, 6)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pokir_photo_over_api_refusals(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = token_client(world.member)
    uid = member.post(f"{API}/pokir", pokir_body(world), content_type="application/json").json()["uid"]
    fake = member.post(f"{API}/pokir/{uid}/photo", {"file": SimpleUploadedFile("x.png", b"not a png")})
    assert fake.status_code == 400 and fake.json()["code"] == "invalid_photo"
    other = token_client(world.opd_officer)
    assert other.post(f"{API}/pokir/{uid}/photo", {"file": SimpleUploadedFile("x.png", b"x")}).status_code == 403


def test_binary_uploads_over_api(world: World, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    member = token_client(world.member)
    uid = member.post(f"{API}/pokir", pokir_body(world), content_type="application/json").json()["uid"]
    ok = member.post(f"{API}/pokir/{uid}/photo", {"file": SimpleUploadedFile("x.png", _png())})
    assert ok.status_code == 200, ok.content
