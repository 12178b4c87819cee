"""Photos: content decides (not the name), size/pixel limits, re-encoding strips metadata and applies
the EXIF orientation, fakes and truncated files are refused with "invalid_photo"."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from sinergi.aspirations.models import Aspiration, Photo
from sinergi.aspirations.photos import MAX_PHOTO_BYTES, prepare_photo, prepare_photos
from sinergi.aspirations.services.intake import aspiration_submit
from sinergi.aspirations.tests.test_intake import submission
from sinergi.core.errors import RuleViolation


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (80, 60), **save: object) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" and save.pop("alpha", False) else "RGB"
    Image.new(mode, size, "red").save(buffer, format=fmt, **save)
    return buffer.getvalue()


def with_gps_and_rotation() -> bytes:
    image = Image.new("RGB", (80, 40), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "KameraWarga"  # make
    exif[0x8825] = {1: "S", 2: (8.0, 5.0, 30.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_reencoded(fmt: str) -> None:
    prepared = prepare_photo("foto.bin", image_bytes(fmt))
    assert prepared.content_type in {"image/jpeg", "image/png"}
    assert Image.open(io.BytesIO(prepared.content)).format in {"JPEG", "PNG"}
    assert len(prepared.sha256) == 64


def test_png_with_transparency_stays_png() -> None:
    prepared = prepare_photo("denah.png", image_bytes("PNG", alpha=True))
    assert prepared.content_type == "image/png"


def test_exif_removed_and_orientation_applied() -> None:
    prepared = prepare_photo("jalan.jpg", with_gps_and_rotation())
    result = Image.open(io.BytesIO(prepared.content))
    assert (result.width, result.height) == (40, 80)
    assert dict(result.getexif()) == {}
    assert b"KameraWarga" not in prepared.content


def test_large_image_downscaled() -> None:
    prepared = prepare_photo("besar.jpg", image_bytes("JPEG", (3000, 1000), quality=30))
    assert max(prepared.width, prepared.height) == 2048


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"ini bukan gambar, cuma teks"),
        ("foto.jpg", image_bytes("JPEG")[:200]),  # truncated
        ("foto.png", image_bytes("PNG")[:60]),
        ("foto.gif", image_bytes("GIF")),  # a real image of a format we do not take
        ("foto.jpg", b""),
        ("foto.jpg", b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_BYTES + 1)),  # too big
    ],
)
def test_fakes_and_oversize_refused(name: str, content: bytes) -> None:
    with pytest.raises(RuleViolation) as caught:
        prepare_photo(name, content)
    assert caught.value.code == "invalid_photo"


def test_decompression_bomb_refused_before_decoding() -> None:
    # A small PNG that claims 10,000 × 10,000 pixels (100 MP).
    bomb = image_bytes("PNG", (10000, 10000), optimize=True)
    assert len(bomb) < MAX_PHOTO_BYTES
    with pytest.raises(RuleViolation) as caught:
        prepare_photo("bom.png", bomb)
    assert caught.value.code == "invalid_photo"


def test_more_than_three_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        prepare_photos([("a.jpg", image_bytes())] * 4)
    assert caught.value.code == "too_many_photos"


@pytest.mark.django_db
def test_submission_stores_photos_and_a_bad_one_stores_nothing() -> None:
    result = aspiration_submit(submission=submission(photos=(("a.jpg", image_bytes()),)), actor=None)
    photo = Photo.objects.get(aspiration=result.aspiration)
    assert default_storage.exists(photo.image.name)
    assert photo.size_bytes == default_storage.size(photo.image.name)
    with pytest.raises(RuleViolation):
        aspiration_submit(submission=submission(photos=(("a.jpg", image_bytes()), ("b.jpg", b"teks"))), actor=None)
    assert Aspiration.objects.count() == 1
    assert Photo.objects.count() == 1


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_photo_files_are_written_before_the_transaction_and_a_repeat_keeps_only_the_first(media_root) -> None:
    """The files are written before the write lock is taken; a repeated submission (same key) answers
    with the first case and removes the files it wrote meanwhile."""
    photos = (("a.jpg", image_bytes()),)
    first = aspiration_submit(submission=submission(photos=photos), actor=None, idempotency_key="foto-ulang-0001")
    kept = stored_files(media_root)
    assert kept == [Photo.objects.get(aspiration=first.aspiration).image.name]
    again = aspiration_submit(submission=submission(photos=photos), actor=None, idempotency_key="foto-ulang-0001")
    assert not again.created and again.aspiration.pk == first.aspiration.pk
    assert stored_files(media_root) == kept
    assert Photo.objects.count() == 1


@pytest.mark.django_db
def test_a_transaction_that_fails_after_the_files_were_written_leaves_no_file_and_no_row(
    media_root, monkeypatch
) -> None:
    from sinergi.aspirations.services import intake

    def failing_log(prepared):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "ledger_append", failing_log)
    with pytest.raises(RuntimeError):
        aspiration_submit(submission=submission(photos=(("a.jpg", image_bytes()),)), actor=None)
    assert stored_files(media_root) == []
    assert (Aspiration.objects.count(), Photo.objects.count()) == (0, 0)
