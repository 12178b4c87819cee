"""An aspiration from a phone to its end, on a 360 px screen: a citizen submits anonymously with a
photo and gets a tracking code; the coordinator desk verifies and routes it; the OPD responds and
resolves it without ever seeing who reported it; the citizen confirms and rates; the tracker's
timeline shows each step and the public log holds each public step."""

import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import DEMO_PASSWORD, RESULTS_DIR, LiveSite

pytestmark = pytest.mark.e2e

REPORTER_NAME = "Kanari Pelapor Anonim"
REPORTER_PHONE = "081234567321"
KELURAHAN = "Sentul"


def _photo_with_location(path: Path) -> Path:
    """A JPEG carrying EXIF (camera make and a GPS block) that the upload must strip."""
    image = Image.new("RGB", (640, 480), (90, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "KameraKanari"  # Make
    exif[0x8825] = {1: "S", 2: (8.0, 5.0, 53.0), 3: "E", 4: (112.0, 10.0, 5.0)}  # GPSInfo
    image.save(path, "JPEG", exif=exif)
    return path


def _login(context: Any, live_site: LiveSite, username: str) -> Any:
    page = context.new_page()
    page.goto(live_site.url("/akun/masuk/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)
    return page


def _run_action(page: Any, live_site: LiveSite, uid: str, action: str, fields: dict[str, str]) -> None:
    page.goto(live_site.url(f"/aspirasi/kelola/{uid}/{action}/"))
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(rf"/aspirasi/kelola/{uid}/$"))


def test_anonymous_aspiration_from_submission_to_rating(live_site: LiveSite, browser: Any, tmp_path: Path) -> None:
    if live_site.data_kind != "demo":
        pytest.skip("needs the demo accounts")
    phone = {"viewport": {"width": 360, "height": 740}, "locale": "id-ID"}
    citizen = browser.new_context(**phone)
    coordinator = browser.new_context(**phone)
    officer = browser.new_context(**phone)
    try:
        # 1. The citizen submits anonymously, with a photo, without an account.
        page = citizen.new_page()
        page.goto(live_site.url("/aspirasi/kirim/"))
        page.check("input[name=kind][value=pengaduan]")
        page.fill("input[name=title]", "Sampah menumpuk di TPS dekat pasar")
        page.fill(
            "textarea[name=text]",
            "Sampah di TPS dekat pasar Sentul sudah tiga hari tidak diangkut, baunya menyengat dan "
            "mulai dikerubungi lalat. Mohon segera diangkut.",
        )
        page.select_option("select[name=region]", label=f"{KELURAHAN} (Kepanjenkidul)")
        page.set_input_files("input[name=photos]", str(_photo_with_location(tmp_path / "tps.jpg")))
        page.check("input[name=privacy][value=anonymous]")
        page.fill("input[name=reporter_name]", REPORTER_NAME)
        page.fill("input[name=phone]", REPORTER_PHONE)
        page.check("input[name=consent]")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        if page.get_by_role("button", name="Tetap kirim aspirasi saya").count():
            page.get_by_role("button", name="Tetap kirim aspirasi saya").click()
            page.wait_for_load_state()
        code = page.locator("p.tracking-code, p[style*=monospace]").first.inner_text().strip()
        assert re.fullmatch(r"[0-9A-Z]{12}", code), code
        public_link = page.get_by_role("link", name="Halaman publik aspirasi").get_attribute("href")
        uid = public_link.strip("/").split("/")[-1]
        page.screenshot(path=str(RESULTS_DIR / "aspiration-submitted-360.png"), full_page=True)

        # The stored photo carries no EXIF (camera, GPS).
        public_page = citizen.new_page()
        public_page.goto(live_site.url(f"/aspirasi/{uid}/"))
        assert REPORTER_NAME not in public_page.content()
        photo_src = public_page.locator("main img").first.get_attribute("src")
        with urllib.request.urlopen(live_site.url(photo_src), timeout=10) as response:
            stored = Image.open(io.BytesIO(response.read()))
        assert not stored.getexif(), "EXIF survived the upload"

        # 2. The coordinator desk verifies it and routes it to Dinas Lingkungan Hidup.
        desk = _login(coordinator, live_site, "koordinator")
        desk.goto(live_site.url("/aspirasi/kelola/verifikasi/"))
        assert desk.get_by_text("Sampah menumpuk di TPS dekat pasar").first.is_visible()
        _run_action(desk, live_site, uid, "verifikasi", {})
        _run_action(desk, live_site, uid, "disposisi", {"organisation": "dinas-lingkungan-hidup"})

        # 3. The OPD answers and resolves it, never seeing the reporter.
        opd = _login(officer, live_site, "opd")
        opd.goto(live_site.url("/aspirasi/kelola/antrean/"))
        opd.get_by_text("Sampah menumpuk di TPS dekat pasar").first.click()
        opd.wait_for_url(re.compile(rf"/aspirasi/kelola/{uid}/$"))
        case_html = opd.content()
        assert REPORTER_NAME not in case_html
        assert "1234567321" not in case_html
        opd.screenshot(path=str(RESULTS_DIR / "aspiration-opd-case-360.png"), full_page=True)
        _run_action(opd, live_site, uid, "tanggapi", {"text": "Petugas kebersihan dijadwalkan mengangkut besok pagi."})
        _run_action(opd, live_site, uid, "selesaikan", {"outcome": "Sampah sudah diangkut dan TPS disemprot."})
        assert REPORTER_NAME not in opd.content()

        # 4. The citizen confirms and rates on the tracker.
        page.goto(live_site.url("/aspirasi/lacak/"))
        page.fill("input[name=code]", code)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/aspirasi/lacak/[0-9A-Z]+/$"))
        page.locator(f"form[action$='/lacak/{code}/konfirmasi/'] button").click()
        page.wait_for_load_state()
        page.screenshot(path=str(RESULTS_DIR / "aspiration-confirmed-360.png"), full_page=True)
        page.check("input[name=rating][value='5']")
        page.fill("[name=comment]", "Cepat ditangani, terima kasih.")
        page.locator(f"form[action$='/lacak/{code}/nilai/'] button").click()
        page.wait_for_load_state()
        timeline = page.locator("main").inner_text()
        for step in ("Diterima", "Terverifikasi", "Didisposisikan", "Ditindaklanjuti", "Selesai", "Dikonfirmasi"):
            assert step in timeline, f"the timeline lacks {step}"
        assert "5" in timeline
        page.screenshot(path=str(RESULTS_DIR / "aspiration-tracker-360.png"), full_page=True)

        # 5. Each public step is in the public log, and the log names nobody who reported.
        with urllib.request.urlopen(live_site.url("/api/v1/ledger/entries?limit=200"), timeout=10) as response:
            entries = [e for e in json.load(response)["items"] if e["subject_id"] == uid]
        events = {e["event_type"] for e in entries}
        for expected in (
            "aspiration.submitted",
            "aspiration.verified",
            "aspiration.dispositioned",
            "aspiration.resolved",
            "aspiration.confirmed",
            "aspiration.rated",
        ):
            assert expected in events, f"{expected} missing from the public log"
        assert REPORTER_NAME not in json.dumps(entries)
    finally:
        for context in (citizen, coordinator, officer):
            context.close()
