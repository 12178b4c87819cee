"""API v1, public part: submit (JSON, base64 photos, Idempotency-Key), list, detail, tracker, reporter
actions; privacy as on the pages; bad input answers 4xx JSON and writes nothing."""

import base64
import io

import pytest
from django.test import Client
from PIL import Image

from conftest import api_client_for
from sinergi.aspirations.models import Aspiration, Photo
from sinergi.aspirations.services.intake import CONSENT_VERSION, aspiration_submit
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.test_intake import CANARY_EMAIL, CANARY_NIK, CANARY_PHONE, submission

pytestmark = pytest.mark.django_db
URL = "/api/v1/aspirations/"


def payload(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "kind": "pengaduan",
        "title": "Sampah menumpuk di TPS Sananwetan",
        "text": "Sampah di TPS belum diangkut tiga hari, baunya sampai ke sekolah.",
        "privacy": "anonymous",
        "reporter_name": "Budi Canary",
        "nik": CANARY_NIK,
        "phone": CANARY_PHONE,
        "email": CANARY_EMAIL,
        "consent_version": CONSENT_VERSION,
    }
    body.update(overrides)
    return body


def jpeg_base64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def post(client: Client, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_anonymous_submit_with_photo_and_replay() -> None:
    client = Client()
    body = payload(photos=[{"filename": "jalan.jpg", "content_base64": jpeg_base64()}])
    first = post(client, body, **{"Idempotency-Key": "api-key-000001"})
    assert first.status_code == 201, first.content
    data = first.json()
    assert len(data["tracking_code"]) == 12 and data["created"] is True
    assert Photo.objects.count() == 1
    again = post(client, body, **{"Idempotency-Key": "api-key-000001"})
    assert again.status_code == 200
    assert again.json()["tracking_code"] == data["tracking_code"]
    assert Aspiration.objects.count() == 1
    for text in (first.content, again.content):
        for canary in (CANARY_NIK, "+6281234567890", CANARY_EMAIL):
            assert canary.encode() not in text


def test_token_links_the_case_and_a_bad_token_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    client = api_client_for(personas["citizen"])
    response = post(client, payload())
    assert response.status_code == 201
    assert Aspiration.objects.get().reporter == personas["citizen"].user
    bad = Client(HTTP_AUTHORIZATION="Bearer ss_nonsense")
    refused = post(bad, payload())
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert Aspiration.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"text": "   "}, 400, "text_required"),
        ({"text": "x" * 5001}, 422, "invalid"),
        ({"nik": "3572011234"}, 400, "invalid_nik"),
        ({"phone": "12345"}, 400, "invalid_phone"),
        ({"email": "bukan-email"}, 400, "invalid_email"),
        ({"kind": "curhat"}, 400, "invalid_kind"),
        ({"consent_version": ""}, 400, "consent_required"),
        ({"latitude": -7.2575, "longitude": 112.7521}, 400, "outside_city"),
        ({"region": "35.05.01.2001"}, 400, "invalid_region"),
        (
            {"photos": [{"filename": "x.jpg", "content_base64": base64.b64encode(b"not an image").decode()}]},
            400,
            "invalid_photo",
        ),
        ({"photos": [{"filename": "x.jpg", "content_base64": "@@@"}]}, 400, "invalid_photo"),
        ({"category": "tidak-ada"}, 400, "invalid_category"),
    ],
)
def test_bad_input_is_a_4xx_json_and_writes_nothing(overrides: dict[str, object], status: int, code: str) -> None:
    response = post(Client(), payload(**overrides))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert Aspiration.objects.count() == 0


def test_bad_idempotency_key_is_refused() -> None:
    response = post(Client(), payload(), **{"Idempotency-Key": "short"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_reads_apply_privacy(privacy: str) -> None:
    result = aspiration_submit(
        submission=submission(privacy=privacy, reporter_name="Budi Canary", nik=CANARY_NIK, phone=CANARY_PHONE),
        actor=None,
    )
    client = Client()
    listing = client.get(URL)
    detail = client.get(f"{URL}{result.aspiration.uid}")
    tracker = client.get(f"{URL}track/{result.tracking_code}")
    for response in (listing, detail, tracker):
        assert response.status_code == 200
        for canary in (CANARY_NIK, "+6281234567890", "081234567890"):
            assert canary.encode() not in response.content
    assert tracker["Cache-Control"] == "private, no-store"
    shown = detail.json()
    assert (shown["reporter_name"] == "Budi Canary") == (privacy == Privacy.PUBLIC)
    assert tracker.json()["reporter_name"] == ""
    if privacy == Privacy.CONFIDENTIAL:
        assert shown["text"] == "" and shown["title"] == "Isi dirahasiakan atas permintaan pelapor"
        assert listing.json()["items"][0]["title"] == "Isi dirahasiakan atas permintaan pelapor"
    else:
        assert shown["text"] == submission().text


def test_list_filters_and_pagination() -> None:
    for index in range(3):
        aspiration_submit(submission=submission(title=f"Kasus {index}"), actor=None)
    client = Client()
    page = client.get(URL, {"limit": 2, "offset": 0}).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert client.get(URL, {"status": "open"}).json()["count"] == 3
    assert client.get(URL, {"status": "resolved"}).json()["count"] == 0
    assert client.get(URL, {"limit": 10**6}).status_code == 422


def test_tracker_actions_and_their_state_checks() -> None:
    result = aspiration_submit(submission=submission(), actor=None)
    client = Client()
    base = f"{URL}track/{result.tracking_code.lower()}"
    early = client.post(f"{base}/confirm", content_type="application/json")
    assert early.status_code == 409 and early.json()["code"] == "not_resolved"
    added = client.post(f"{base}/information", {"text": "Tambahan: dekat pasar."}, content_type="application/json")
    assert added.status_code == 200
    assert any(e["text"] == "Tambahan: dekat pasar." for e in added.json()["events"])
    Aspiration.objects.filter(pk=result.aspiration.pk).update(status=AspirationStatus.RESOLVED)
    rated = client.post(f"{base}/rate", {"rating": 4, "comment": "Cepat"}, content_type="application/json")
    assert rated.status_code == 200 and rated.json()["rating"] == 4
    twice = client.post(f"{base}/rate", {"rating": 5}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_rated"
    assert client.post(f"{base}/rate", {"rating": 9}, content_type="application/json").status_code == 422
    assert client.get(f"{URL}track/ZZZZZZZZZZZZ").status_code == 404


def test_random_bytes_as_a_photo_are_a_400_not_a_500() -> None:
    """(A body over the path's size limit is test_api_photo_size.py's.)"""
    import os

    big = base64.b64encode(os.urandom(3_000_000)).decode()
    response = post(Client(), payload(photos=[{"filename": "besar.jpg", "content_base64": big}]))
    assert response.status_code == 400
    assert response.json()["code"]
    assert Aspiration.objects.count() == 0
