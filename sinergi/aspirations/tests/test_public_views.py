"""Public pages: intake form (two steps, idempotent), tracker with reporter actions, list and detail
with privacy applied (a canary NIK/phone/e-mail never appears)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.aspirations.categories import aspiration_categories_load
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.services.intake import CONSENT_VERSION, aspiration_submit
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.test_intake import CANARY_EMAIL, CANARY_NIK, CANARY_PHONE, submission

pytestmark = pytest.mark.django_db

CANARIES = (CANARY_NIK, "+6281234567890", CANARY_PHONE, CANARY_EMAIL, "0812-3456")


def assert_no_canary(content: bytes) -> None:
    text = content.decode()
    for canary in CANARIES:
        assert canary not in text


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "pengaduan",
        "category": "",
        "title": "Lampu PJU mati di Jl. Kalimantan",
        "text": "Sudah seminggu lampu jalan mati, gelap sekali kalau malam.",
        "region": "",
        "latitude": "",
        "longitude": "",
        "address": "",
        "privacy": "anonymous",
        "reporter_name": "Siti Canary",
        "phone": CANARY_PHONE,
        "email": CANARY_EMAIL,
        "nik": CANARY_NIK,
        "wants_updates": "on",
        "consent": "on",
        "consent_version": CONSENT_VERSION,
        "token": "web-abcdefghijklmnopqrstuvwx",
        "step": "confirm",
    }
    data.update(overrides)
    return data


def test_form_renders_with_consent_text_and_token() -> None:
    aspiration_categories_load()
    response = Client().get(reverse("aspirations:submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "UU 27/2022" in html
    assert 'name="token"' in html
    assert "<optgroup" in html


def test_submit_then_resend_gives_one_case_and_the_tracking_code() -> None:
    client = Client()
    first = client.post(reverse("aspirations:submit"), form_data())
    assert first.status_code == 201, first.content[:2000]
    code = Aspiration.objects.get().tracking_code
    assert code in first.content.decode()
    assert first["Cache-Control"] == "private, no-store"
    again = client.post(reverse("aspirations:submit"), form_data())
    assert again.status_code == 200
    assert code in again.content.decode()
    assert Aspiration.objects.count() == 1


def test_submit_without_consent_is_refused() -> None:
    response = Client().post(reverse("aspirations:submit"), form_data(consent=""))
    assert response.status_code == 400
    assert Aspiration.objects.count() == 0


def test_bad_nik_message_on_the_form() -> None:
    response = Client().post(reverse("aspirations:submit"), form_data(nik="1234"))
    assert response.status_code == 400
    assert "16 angka" in response.content.decode()
    assert Aspiration.objects.count() == 0


def test_html_in_text_is_escaped_on_every_page() -> None:
    result = aspiration_submit(
        submission=submission(
            title="<script>alert(1)</script>", text="<b>tebal</b> <img src=x onerror=alert(1)>", privacy=Privacy.PUBLIC
        ),
        actor=None,
    )
    client = Client()
    for url in (
        reverse("aspirations:detail", args=[result.aspiration.uid]),
        reverse("aspirations:list"),
        reverse("aspirations:track", args=[result.tracking_code]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL])
def test_public_pages_never_show_contact(privacy: str) -> None:
    result = aspiration_submit(
        submission=submission(
            privacy=privacy, reporter_name="Siti Canary", nik=CANARY_NIK, phone=CANARY_PHONE, email=CANARY_EMAIL
        ),
        actor=None,
    )
    client = Client()
    detail = client.get(reverse("aspirations:detail", args=[result.aspiration.uid]))
    listing = client.get(reverse("aspirations:list"))
    tracker = client.get(reverse("aspirations:track", args=[result.tracking_code]))
    for response in (detail, listing, tracker):
        assert response.status_code == 200
        assert_no_canary(response.content)
    detail_html = detail.content.decode()
    assert ("Siti Canary" in detail_html) == (privacy == Privacy.PUBLIC)
    assert "Siti Canary" not in tracker.content.decode()
    hidden = privacy == Privacy.CONFIDENTIAL
    assert (submission().text in detail_html) != hidden
    assert (submission().text in listing.content.decode()) is False
    if hidden:
        assert "Isi dirahasiakan atas permintaan pelapor" in detail_html


def test_tracker_lookup_normalises_the_code() -> None:
    result = aspiration_submit(submission=submission(), actor=None)
    typed = "-".join(re.findall("....", result.tracking_code.lower()))
    response = Client().get(reverse("aspirations:track_start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/lacak/{result.tracking_code}/")
    missing = Client().get(reverse("aspirations:track_start"), {"code": "ZZZZZZZZZZZZ"})
    assert "tidak ditemukan" in missing.content.decode()


def test_tracker_add_information_returns_case_to_the_desk() -> None:
    result = aspiration_submit(submission=submission(), actor=None)
    Aspiration.objects.filter(pk=result.aspiration.pk).update(status=AspirationStatus.NEEDS_INFORMATION)
    client = Client()
    response = client.post(
        reverse("aspirations:track_add_information", args=[result.tracking_code]), {"text": "Lokasinya depan masjid."}
    )
    assert response.status_code == 302
    result.aspiration.refresh_from_db()
    assert result.aspiration.status == AspirationStatus.RECEIVED
    page = client.get(reverse("aspirations:track", args=[result.tracking_code])).content.decode()
    assert "Lokasinya depan masjid." in page


def test_list_filters_and_bounded_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    aspiration_categories_load()
    for index in range(25):
        aspiration_submit(
            submission=submission(title=f"Jalan rusak {index}", category_slug="jalan_jembatan"), actor=None
        )
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("aspirations:list"))
    assert response.status_code == 200
    assert "25 aspirasi" in response.content.decode()
    filtered = client.get(reverse("aspirations:list"), {"category": "jalan_jembatan", "status": "open", "page": "2"})
    assert filtered.status_code == 200
    assert "Jalan rusak 0" in filtered.content.decode()
    bad = client.get(reverse("aspirations:list"), {"status": "bogus"})
    assert bad.status_code == 200


def test_similar_open_cases_shown_before_the_final_submit() -> None:
    pytest.importorskip("sinergi.aspirations.similar")
    aspiration_categories_load()
    first = aspiration_submit(
        submission=submission(
            title="Lampu PJU mati di Jl. Kalimantan", text="Lampu jalan mati seminggu, gelap sekali kalau malam."
        ),
        actor=None,
    )
    client = Client()
    preview = client.post(reverse("aspirations:submit"), form_data(step="", token="web-similar-token-000000001"))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert reverse("aspirations:detail", args=[first.aspiration.uid]) in html
    assert 'name="step" value="confirm"' in html
    assert Aspiration.objects.count() == 1
    confirmed = client.post(reverse("aspirations:submit"), form_data(token="web-similar-token-000000001"))
    assert confirmed.status_code == 201
    assert Aspiration.objects.count() == 2


def test_photo_kept_between_preview_and_confirmation() -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sinergi.aspirations.models import Photo

    aspiration_submit(submission=submission(title="Lampu PJU mati", text="Lampu jalan mati, gelap sekali."), actor=None)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "yellow").save(buffer, format="JPEG")
    upload = SimpleUploadedFile("lampu.jpg", buffer.getvalue(), content_type="image/jpeg")
    client = Client()
    token = "web-photo-token-0000000000001"
    preview = client.post(reverse("aspirations:submit"), {**form_data(step="", token=token), "photos": upload})
    assert preview.status_code == 200
    if "1 foto sudah tersimpan" not in preview.content.decode():
        pytest.skip("no similar case found, so there was no preview step")
    confirmed = client.post(reverse("aspirations:submit"), form_data(token=token))
    assert confirmed.status_code == 201
    assert Photo.objects.filter(aspiration__idempotency_key=token).count() == 1


def test_pages_stay_under_30_kb_and_load_nothing_from_elsewhere() -> None:
    from sinergi.regions.services import region_import_kota_blitar

    region_import_kota_blitar()
    aspiration_categories_load()
    long_text = "Jalan rusak parah di depan sekolah. " * 130
    last = None
    for index in range(PAGE_ROWS):
        last = aspiration_submit(
            submission=submission(title=f"Jalan rusak nomor {index} " + "x" * 100, text=long_text[:4900]),
            actor=None,
        )
    assert last is not None
    client = Client()
    for url in (
        reverse("aspirations:submit"),
        reverse("aspirations:list"),
        reverse("aspirations:detail", args=[last.aspiration.uid]),
        reverse("aspirations:track", args=[last.tracking_code]),
        reverse("aspirations:track_start"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) <= 30 * 1024, (url, len(response.content))
        html = response.content.decode()
        assert 'src="http' not in html and 'href="http' not in html.split("<body", 1)[0], url


PAGE_ROWS = 21


def test_double_click_without_confirm_step_shows_the_code_again() -> None:
    client = Client()
    first = client.post(reverse("aspirations:submit"), form_data(step="", token="web-double-click-00000001"))
    assert first.status_code == 201
    code = Aspiration.objects.get().tracking_code
    second = client.post(reverse("aspirations:submit"), form_data(step="", token="web-double-click-00000001"))
    assert second.status_code == 200
    assert code in second.content.decode()
    assert Aspiration.objects.count() == 1
