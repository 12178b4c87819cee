"""Full-size photos through the API: `POST /api/v1/aspirations/` takes what the web form takes (3 photos
of up to 5 MB, as base64 in JSON, about 21 MB of body); a larger body is a 413 in the API's JSON error
contract; the tracker's added information takes the same; every other endpoint keeps Django's 2.5 MB
limit."""

import base64
import io
import json
import os
from typing import Any

import numpy as np
import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from sinergi.aspirations.models import TEXT_MAX, TITLE_MAX, Aspiration, Photo
from sinergi.aspirations.photos import MAX_PHOTO_BYTES, MAX_PHOTOS
from sinergi.aspirations.services.intake import ADDRESS_MAX
from sinergi.aspirations.tests.test_api_public import URL, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def camera_jpegs() -> list[bytes]:
    """Three real JPEGs of about 4 MB each (noise does not compress: a phone photo of foliage is similar)."""
    rng = np.random.default_rng(2026)
    photos = []
    for _index in range(MAX_PHOTOS):
        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (1750, 2600, 3), dtype=np.uint8)).save(buffer, "JPEG", quality=90)
        photos.append(buffer.getvalue())
    return photos


def as_photos(contents: list[bytes]) -> list[dict[str, str]]:
    return [
        {"filename": f"foto-{index}.jpg", "content_base64": base64.b64encode(content).decode()}
        for index, content in enumerate(contents)
    ]


def post_json(body: dict[str, object] | bytes, url: str = URL) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Client().post(url, data, content_type="application/json")


def assert_too_large(response: Any) -> None:
    assert response.status_code == 413
    error = response.json()
    assert error["code"] == "too_large"
    assert "terlalu besar" in error["detail"]


def test_three_photos_of_about_4_mb_each_go_through_the_api(media: None, camera_jpegs: list[bytes]) -> None:
    assert all(3_800_000 < len(photo) <= MAX_PHOTO_BYTES for photo in camera_jpegs)
    body = json.dumps(payload(photos=as_photos(camera_jpegs))).encode()
    assert len(body) > 5 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # far beyond Django's default limit

    response = post_json(body)

    assert response.status_code == 201, response.content[:300]
    case = Aspiration.objects.get(uid=response.json()["uid"])
    stored = list(Photo.objects.filter(aspiration=case))
    assert len(stored) == MAX_PHOTOS
    assert all(max(photo.width, photo.height) <= 2048 for photo in stored)


def test_the_limit_covers_the_largest_submission_the_web_form_accepts(media: None) -> None:
    """Three photos of exactly 5 MB and every text field at its maximum (as escaped JSON) get past the size
    gate: the answer comes from photo validation (these bytes are no image), not from the body limit."""
    longest = {"title": "é" * TITLE_MAX, "text": "é" * TEXT_MAX, "address": "é" * ADDRESS_MAX}
    body = json.dumps(payload(photos=as_photos([os.urandom(MAX_PHOTO_BYTES)] * MAX_PHOTOS), **longest)).encode()
    assert len(body) > 21_000_000

    response = post_json(body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_photo"


def test_a_body_above_the_limit_is_a_413_in_json_and_writes_nothing(media: None) -> None:
    limit = settings.API_BODY_LIMITS[URL]
    oversized = json.dumps(payload(padding="x" * limit)).encode()

    response = post_json(oversized)

    assert_too_large(response)
    assert response.json()["limit_bytes"] == limit
    assert "21 MB" in response.json()["detail"]
    assert Aspiration.objects.count() == 0


def test_other_endpoints_keep_djangos_limit_and_answer_413_too(media: None) -> None:
    three_megabytes = json.dumps({"text": "x" * 3_000_000}).encode()
    assert len(three_megabytes) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_json(three_megabytes, url=f"{URL}track/ABCDEFGHJKLM/reopen")
    assert_too_large(response)
    assert response.json()["limit_bytes"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert "2,5 MB" in response.json()["detail"]


def test_a_multipart_body_with_oversized_text_fields_is_a_413_in_json(media: None) -> None:
    response = Client().post(URL, {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    assert_too_large(response)


def test_the_nul_guard_still_reads_a_large_body(media: None, camera_jpegs: list[bytes]) -> None:
    body = payload(photos=as_photos(camera_jpegs[:1]), text="Jalan berlubang\u0000 di depan pasar.")
    response = post_json(body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert Aspiration.objects.count() == 0


def test_the_limit_applies_to_its_path_only(media: None, settings: Any) -> None:
    settings.API_BODY_LIMITS = {"/api/v1/elsewhere/": 50 * 1024 * 1024}
    big = json.dumps(payload(photos=as_photos([os.urandom(2_000_000)]))).encode()
    assert_too_large(post_json(big))


def test_the_tracker_takes_full_size_photos_too(media: None, camera_jpegs: list[bytes]) -> None:
    """Photos added through the tracker travel like those of a submission: two ~4 MB photos (a ~11 MB body)."""
    created = post_json(payload())
    assert created.status_code == 201
    code = created.json()["tracking_code"]
    body = {"text": "Foto lubangnya dari dekat.", "photos": as_photos(camera_jpegs[:2])}
    assert len(json.dumps(body)) > 2 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_json(body, url=f"{URL}track/{code}/information")

    assert response.status_code == 200, response.content[:300]
    assert Photo.objects.filter(aspiration__tracking_code=code).count() == 2
