"""A citizen registers, logs out, fails once with a wrong password, and logs in again."""

import re
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import RESULTS_DIR, LiveSite

pytestmark = pytest.mark.e2e


def test_register_logout_and_login(live_site: LiveSite, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    username = f"warga{uuid.uuid4().hex[:8]}"
    password = "Kopi-Tubruk-Blitar-2026"
    try:
        page.goto(live_site.url("/akun/daftar/"))
        page.fill("input[name=full_name]", "Siti Rahayu")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.fill("input[name=password_again]", "not the same")
        page.get_by_role("button", name="Daftar").click()
        # Validation fails in Indonesian and keeps what was typed.
        assert page.locator(".errorlist").first.is_visible()
        assert "tidak sama" in page.locator(".errorlist").first.inner_text()
        assert page.input_value("input[name=username]") == username

        page.fill("input[name=password]", password)
        page.fill("input[name=password_again]", password)
        page.get_by_role("button", name="Daftar").click()
        page.wait_for_url(re.compile(r"/akun/saya/"))
        assert page.get_by_role("button", name="Keluar").is_visible()

        page.get_by_role("button", name="Keluar").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Masuk").first.is_visible()

        page.goto(live_site.url("/akun/masuk/"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "salah-sandi")
        page.get_by_role("button", name="Masuk").click()
        assert page.locator("[role=alert]").first.is_visible()
        assert "/akun/masuk/" in page.url

        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/akun/masuk/" not in url)
        page.goto(live_site.url("/akun/saya/"))
        assert "/akun/saya/" in page.url, "a logged-in user reaches the profile page"
        assert username in page.content() or "Siti Rahayu" in page.content()
        page.screenshot(path=str(RESULTS_DIR / "login-profile-360.png"), full_page=True)
    finally:
        context.close()
