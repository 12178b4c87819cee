"""A consultation from start to results, in a real browser.

An official of Bappeda (demo account) opens a consultation with eight statements; six anonymous browsers vote in
two opposing camps that agree on two statements; a participant on a 360 px phone votes through several statements
and submits one of their own; the official rejects it in the moderation queue, after which a new participant never
sees it; the official closes the consultation and the results page shows the SVG opinion map and the cross-sector
common-ground list, without the rejected statement.
"""

import datetime as dt
import re
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, RESULTS_DIR, LiveSite

pytestmark = pytest.mark.e2e

WIB = dt.timezone(dt.timedelta(hours=7))
COMMON = [
    "Trotoar alun-alun harus ramah difabel.",
    "Penerangan jalan menuju makam perlu ditambah.",
]
DIVISIVE = [
    "PKL dipindah ke sentra kuliner.",
    "PKL ditata di tempat tanpa dipindah.",
    "Jalan utara alun-alun ditutup setiap akhir pekan.",
    "Parkir di tepi jalan alun-alun tetap diizinkan.",
    "Retribusi PKL dinaikkan untuk kebersihan.",
    "Retribusi PKL dihapus selama penataan.",
]
STATEMENTS = COMMON + DIVISIVE
VOTE_BUTTON = {1: "Setuju", -1: "Tidak setuju", 0: "Lewati"}


def _context(browser: Any, width: int = 1280, height: int = 900) -> Any:
    return browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")


def _login(page: Any, site: LiveSite, username: str) -> None:
    page.goto(site.url("/akun/masuk/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def _card_text(page: Any) -> str | None:
    card = page.locator(".statement-card .statement-text")
    return card.inner_text().strip() if card.count() else None


def _vote(page: Any, value: int) -> None:
    page.locator(".statement-card").get_by_role("button", name=VOTE_BUTTON[value], exact=True).click()
    page.wait_for_load_state()


def _camp_vote(camp: int, text: str) -> int:
    if text in COMMON:
        return 1
    position = DIVISIVE.index(text)
    return 1 if (position % 2 == 0) == (camp == 0) else -1


def _vote_all(page: Any, choose: Any, limit: int = 20) -> list[str]:
    seen: list[str] = []
    for _ in range(limit):
        text = _card_text(page)
        if text is None:
            break
        seen.append(text)
        _vote(page, choose(text))
    return seen


def _open_consultation(page: Any, site: LiveSite, title: str) -> str:
    page.goto(site.url("/konsultasi/buat/"))
    host = page.locator("select[name=host]")
    values = host.locator("option").evaluate_all("options => options.map(o => o.value)")
    host.select_option(next(value for value in values if value.startswith("org:")))
    page.fill("input[name=title]", title)
    page.fill("textarea[name=question]", "Bagaimana sebaiknya alun-alun ditata untuk pejalan kaki dan PKL?")
    now = dt.datetime.now(WIB)
    page.fill("input[name=opens_at]", (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=closes_at]", (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=audience]", "public")
    page.fill("textarea[name=seed_statements]", "\n".join(STATEMENTS))
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_url(re.compile(r"/konsultasi/[-\w]+/$"))
    page.get_by_role("button", name="Buka konsultasi").click()
    page.wait_for_load_state()
    assert page.locator(".statement-card").count() == 1, "the official sees the first statement once it is open"
    return str(page.url)


def test_vote_submit_moderate_and_results(live_site: LiveSite, browser: Any) -> None:
    if live_site.data_kind != "demo":
        pytest.skip("needs the demo accounts (seed_demo)")
    title = f"Penataan alun-alun uji {uuid.uuid4().hex[:6]}"
    own_text = f"Ada bangku teduh setiap 50 meter di jalur makam ({uuid.uuid4().hex[:4]})."
    official = _context(browser)
    contexts = [official]
    try:
        manager = official.new_page()
        _login(manager, live_site, "bappeda")
        detail_url = _open_consultation(manager, live_site, title)
        path = detail_url.removeprefix(live_site.base_url)

        # Six anonymous participants in two camps.
        for voter in range(6):
            context = _context(browser)
            contexts.append(context)
            page = context.new_page()
            page.goto(live_site.url(path))
            seen = _vote_all(page, lambda text, camp=voter % 2: _camp_vote(camp, text))
            assert sorted(seen) == sorted(STATEMENTS)
            assert "Anda sudah menanggapi semua pernyataan" in page.content()

        # A participant on a phone votes through several statements and submits one.
        phone = _context(browser, 360, 740)
        contexts.append(phone)
        page = phone.new_page()
        page.goto(live_site.url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert "0 dari 8 pernyataan" in page.content()
        first = _card_text(page)
        for expected_done in (1, 2, 3):
            _vote(page, 1 if expected_done != 2 else -1)
            assert f"{expected_done} dari 8 pernyataan" in page.content()
        assert _card_text(page) not in (None, first)
        page.fill("textarea[name=text]", own_text)
        page.get_by_role("button", name="Kirim pernyataan").click()
        page.wait_for_load_state()
        assert "menunggu moderasi" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(RESULTS_DIR / "consultation-vote-360.png"), full_page=True)

        # The official rejects it.
        manager.goto(live_site.url(path + "moderasi/"))
        card = manager.locator("li.card", has_text=own_text)
        assert card.count() == 1
        card.locator("input[name=decision][value=reject]").check()
        card.locator("input[name=reason]").fill("Sudah tercakup pernyataan lain.")
        card.get_by_role("button", name="Simpan keputusan").click()
        manager.wait_for_load_state()
        assert manager.locator("li.card", has_text=own_text).count() == 0

        # A new participant never sees the rejected statement.
        fresh = _context(browser, 360, 740)
        contexts.append(fresh)
        page = fresh.new_page()
        page.goto(live_site.url(path))
        assert "0 dari 8 pernyataan" in page.content()
        seen = _vote_all(page, lambda text: 0)
        assert own_text not in seen and sorted(seen) == sorted(STATEMENTS)

        # Closing computes the final result; the results page shows the map and the common ground.
        manager.goto(live_site.url(path))
        manager.get_by_role("button", name="Tutup konsultasi").click()
        manager.wait_for_load_state()
        results = _context(browser, 360, 740)
        contexts.append(results)
        page = results.new_page()
        response = page.goto(live_site.url(path + "hasil/"))
        assert response is not None and response.status == 200
        assert page.locator("figure.map-figure svg").count() == 1
        assert page.locator("figure.map-figure svg path.dots").count() >= 1
        assert page.locator("figure.map-figure svg text.glabel").count() >= 1
        common_ground = page.locator("section[aria-labelledby=titik-temu] ol li.card")
        assert common_ground.count() >= 1
        listed = common_ground.all_inner_texts()
        assert any(text in item for item in listed for text in COMMON)
        assert own_text not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(RESULTS_DIR / "consultation-results-360.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
