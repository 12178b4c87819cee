"""Photos are served by a view that hides a confidential case's photos from everyone but its officers."""

import io
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from conftest import client_for
from sinergi.aspirations.categories import aspiration_categories_load
from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit
from sinergi.aspirations.states import AspirationKind, Privacy
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (320, 240), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraKanari"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _case_with_photo(privacy: str) -> Any:
    result = aspiration_submit(
        submission=AspirationSubmission(
            kind=AspirationKind.PENGADUAN,
            title="Trotoar rusak di depan sekolah",
            text="Trotoar di depan sekolah dasar pecah dan berlubang, anak-anak harus turun ke jalan.",
            privacy=privacy,
            consent_version=CONSENT_VERSION,
            photos=(("trotoar.jpg", _jpeg_with_exif()),),
        ),
        actor=None,
    )
    return result.aspiration.photos.get()


@pytest.fixture
def desk(personas: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    aspiration_categories_load()
    return build_desk()


@pytest.mark.django_db
def test_a_public_photo_is_served_without_its_exif(desk: Any) -> None:
    photo = _case_with_photo(Privacy.ANONYMOUS)
    response = Client().get(f"/aspirasi/foto/{photo.uid}/")
    assert response.status_code == 200
    assert response["Content-Type"] == photo.content_type
    assert "public" in response["Cache-Control"]
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (320, 240)
    assert not served.getexif()


@pytest.mark.django_db
def test_a_confidential_photo_reaches_only_the_officers(desk: Any, personas: Any) -> None:
    photo = _case_with_photo(Privacy.CONFIDENTIAL)
    url = f"/aspirasi/foto/{photo.uid}/"
    assert Client().get(url).status_code == 404
    assert client_for(personas["citizen"]).get(url).status_code == 403
    coordinator = type("Persona", (), {"user": desk.coordinator})()
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_an_unknown_photo_is_a_404(desk: Any) -> None:
    assert Client().get("/aspirasi/foto/00000000-0000-0000-0000-000000000000/").status_code == 404
