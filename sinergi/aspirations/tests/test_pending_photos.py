"""Photos waiting between the web form's preview and its final submit: abandoned ones are purged
(command, task, the view's occasional sweep); nothing outside the pending folder is touched; a visitor
whose submit is under way keeps their photos, and one whose photos were purged is told so."""

import io
import os
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from sinergi.aspirations import photos
from sinergi.aspirations.models import Aspiration, Photo
from sinergi.aspirations.photos import PENDING_DIR, pending_folder, purge_pending_photos, purge_pending_photos_task
from sinergi.aspirations.tests.test_public_views import form_data

pytestmark = pytest.mark.django_db

OLD = time.time() - 30 * 3600  # older than the default 24 hours
FRESH_TOKEN = "web-fresh-000000000000000001"
STALE_TOKEN = "web-stale-000000000000000001"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def pending(media: Path, token: str, *names: str, age: float | None = None) -> Path:
    folder = media / PENDING_DIR / token
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"jpeg")
        if age is not None:
            os.utime(folder / name, (age, age))
    if age is not None:
        os.utime(folder, (age, age))
    return folder


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_pending_photos", *args, stdout=out)
    return out.getvalue().strip()


def jpeg_upload(name: str = "lampu.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "yellow").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_stale_folders_go_fresh_ones_stay_and_a_second_run_finds_nothing(media: Path) -> None:
    stale = pending(media, STALE_TOKEN, "0.jpg", "1.jpg", age=OLD)
    stale_empty = pending(media, "web-empty-000000000000000001", age=OLD)
    fresh = pending(media, FRESH_TOKEN, "0.jpg")
    fresh_empty = pending(media, "web-fresh-empty-0000000000001")

    assert purge() == "folders=2 files=2"
    assert not stale.exists() and not stale_empty.exists()
    assert (fresh / "0.jpg").exists() and fresh_empty.exists()
    assert purge() == "folders=0 files=0"
    assert purge("--older-than-hours", "1") == "folders=0 files=0"


def test_the_threshold_is_an_option(media: Path) -> None:
    three_hours_old = time.time() - 3 * 3600
    folder = pending(media, STALE_TOKEN, "0.jpg", age=three_hours_old)
    assert purge() == "folders=0 files=0"
    assert purge("--older-than-hours", "2") == "folders=1 files=1"
    assert not folder.exists()
    with pytest.raises(CommandError):
        purge("--older-than-hours", "0")


def test_no_pending_folder_at_all_is_fine(media: Path) -> None:
    assert purge() == "folders=0 files=0"
    assert purge_pending_photos_task.enqueue(older_than_hours=1).return_value == {"folders": 0, "files": 0}


def test_the_task_purges_too(media: Path) -> None:
    folder = pending(media, STALE_TOKEN, "0.jpg", age=OLD)
    assert purge_pending_photos_task.enqueue().return_value == {"folders": 1, "files": 1}
    assert not folder.exists()


def test_nothing_outside_the_pending_folder_is_touched(media: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.jpg").write_bytes(b"keep")
    os.utime(outside / "precious.jpg", (OLD, OLD))
    stored_photo = media / "aspirations" / "2026" / "kept.jpg"
    stored_photo.parent.mkdir(parents=True)
    stored_photo.write_bytes(b"keep")
    os.utime(stored_photo, (OLD, OLD))
    (media / PENDING_DIR).mkdir(parents=True)
    # A link named like a token that points elsewhere, and a folder whose name is not a token.
    os.symlink(outside, media / PENDING_DIR / "web-symlink-0000000000000001")
    odd = pending(media, "not-a-token", "0.jpg", age=OLD)

    assert purge() == "folders=0 files=0"
    assert (outside / "precious.jpg").exists()
    assert stored_photo.exists()
    assert (odd / "0.jpg").exists()


@pytest.mark.parametrize(
    "token", ["web-../../../../etc/passwd0000", "web-..%2F..%2Fsecret000000", "../web-aaaaaaaaaaaaaaaaaaaa", ""]
)
def test_a_token_cannot_point_outside_the_pending_folder(media: Path, token: str) -> None:
    with pytest.raises(ValueError):
        pending_folder(token)
    response = Client().post(reverse("aspirations:submit"), {**form_data(token=token), "photos": jpeg_upload()})
    assert response.status_code == 400
    assert Aspiration.objects.count() == 0
    written = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert written == []


def _preview_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force the preview step (it is shown only when similar open cases exist)."""
    similar = SimpleNamespace(
        uid=uuid.uuid4(), title="Lampu mati", status_label="Diterima", distance_m=None, support_count=2
    )
    monkeypatch.setattr("sinergi.aspirations.views.public._find_similar", lambda data: [similar])


def test_a_submit_in_progress_keeps_its_photos_through_a_purge(media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _preview_always(monkeypatch)
    client = Client()
    preview = client.post(
        reverse("aspirations:submit"), {**form_data(step="", token=FRESH_TOKEN), "photos": jpeg_upload()}
    )
    assert preview.status_code == 200
    assert 'name="pending_photos" value="1"' in preview.content.decode()
    assert purge() == "folders=0 files=0"  # the visitor is reading the preview right now

    confirmed = client.post(reverse("aspirations:submit"), {**form_data(token=FRESH_TOKEN), "pending_photos": "1"})
    assert confirmed.status_code == 201
    assert Photo.objects.filter(aspiration__idempotency_key=FRESH_TOKEN).count() == 1
    assert not (media / PENDING_DIR / FRESH_TOKEN).exists()  # the folder goes with the submit


def test_a_confirm_after_the_photos_were_purged_says_so_and_submits_nothing(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _preview_always(monkeypatch)
    client = Client()
    url = reverse("aspirations:submit")
    client.post(url, {**form_data(step="", token=STALE_TOKEN), "photos": jpeg_upload()})
    folder = media / PENDING_DIR / STALE_TOKEN
    for kept in folder.iterdir():
        os.utime(kept, (OLD, OLD))
    assert purge() == "folders=1 files=1"

    late = client.post(url, {**form_data(token=STALE_TOKEN), "pending_photos": "1"})
    assert late.status_code == 400
    assert "terlalu lama menunggu" in late.content.decode()
    assert Aspiration.objects.count() == 0

    again = client.post(url, {**form_data(token=STALE_TOKEN), "photos": jpeg_upload()})
    assert again.status_code == 201
    assert Photo.objects.filter(aspiration__idempotency_key=STALE_TOKEN).count() == 1


def test_the_view_sweeps_abandoned_folders_at_most_once_per_interval(
    media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(photos, "_next_sweep_at", 0.0)
    _preview_always(monkeypatch)
    abandoned = pending(media, STALE_TOKEN, "0.jpg", age=OLD)
    client = Client()
    url = reverse("aspirations:submit")
    client.post(url, {**form_data(step="", token=FRESH_TOKEN), "photos": jpeg_upload()})
    assert not abandoned.exists()
    assert (media / PENDING_DIR / FRESH_TOKEN).exists()

    abandoned_later = pending(media, "web-later-000000000000000001", "0.jpg", age=OLD)
    client.post(url, {**form_data(step="", token=FRESH_TOKEN), "photos": jpeg_upload()})
    assert abandoned_later.exists()  # within the interval: no second sweep

    monkeypatch.setattr(photos, "_next_sweep_at", 0.0)
    client.post(url, {**form_data(step="", token=FRESH_TOKEN), "photos": jpeg_upload()})
    assert not abandoned_later.exists()


def test_a_failing_sweep_never_fails_the_visitor(media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "_next_sweep_at", 0.0)

    def broken(**kwargs: Any) -> None:
        raise PermissionError("read-only media")

    monkeypatch.setattr(photos, "purge_pending_photos", broken)
    response = Client().post(
        reverse("aspirations:submit"), {**form_data(step="", token=FRESH_TOKEN), "photos": jpeg_upload()}
    )
    assert response.status_code in {200, 201}


def test_purge_judges_each_file_by_its_own_age(media: Path) -> None:
    folder = pending(media, STALE_TOKEN, "0.jpg", age=OLD)
    (folder / "1.jpg").write_bytes(b"new")  # uploaded again just now
    run = purge_pending_photos()
    assert (run.folders, run.files) == (0, 1)
    assert (folder / "1.jpg").exists()
