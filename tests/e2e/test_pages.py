"""The quality bars of DESIGN.md §5, measured in a real browser on the main pages.

Pages are discovered by following links from /forum/, /rapat/ and /direktori/, and picked by the
Django view they resolve to, so the tests follow the site as it changes. For each page:
- HTML ≤ 30 KB, and all responses of the page together ≤ 100 KB compressed (gzip of each body);
- no request to a host other than the server;
- 0 serious or critical axe violations (axe-core bundled with axe-playwright-python);
- at 360×740 no horizontal overflow, with a full-page screenshot in test-results/.
"""

import gzip
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.crawl import crawl
from tests.e2e.conftest import RESULTS_DIR, LiveSite

pytestmark = pytest.mark.e2e

MAX_HTML_BYTES = 30 * 1024
MAX_PAGE_COMPRESSED_BYTES = 100 * 1024
# Page kind -> the Django view name it resolves to.
PAGE_VIEWS = {
    "home": "web:home",
    "forum_list": "forums:list",
    "forum_detail": "forums:detail",
    "meeting_list": "meetings:list",
    "meeting_detail": "meetings:detail",
    "organisation_list": "actors:organisation_list",
    "organisation_detail": "actors:organisation_detail",
}
_discovered: dict[str, str] = {}


def _fetch(site: LiveSite) -> Any:
    def fetch(path: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(site.url(path), timeout=20) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), b""

    return fetch


def page_path(site: LiveSite, kind: str) -> str:
    """The first page of this kind reached from the section pages."""
    if not _discovered:
        from django.urls import Resolver404, resolve

        pages = crawl(_fetch(site), ["/", "/forum/", "/rapat/", "/direktori/"], max_pages=60, per_pattern=3)
        for page in pages:
            if page.status != 200 or not page.content_type.startswith("text/html"):
                continue
            try:
                view_name = resolve(urlsplit(page.url).path).view_name
            except Resolver404:
                continue
            for found_kind, wanted in PAGE_VIEWS.items():
                if view_name == wanted and "?" not in page.url:
                    _discovered.setdefault(found_kind, page.url)
    if kind not in _discovered:
        pytest.fail(f"no {kind} page ({PAGE_VIEWS[kind]}) is linked from the section pages")
    return _discovered[kind]


def _open(browser: Any, site: LiveSite, path: str, *, width: int = 1280, height: int = 800) -> tuple[Any, Any, list]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    exchanges: list[tuple[Any, Any]] = []
    page.on("requestfinished", lambda request: exchanges.append((request, request.response())))
    page.on("requestfailed", lambda request: exchanges.append((request, None)))
    response = page.goto(site.url(path), wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
    return context, page, exchanges


@pytest.mark.parametrize("kind", list(PAGE_VIEWS))
def test_page_weight_and_no_other_hosts(kind: str, live_site: LiveSite, browser: Any) -> None:
    path = page_path(live_site, kind)
    context, _, exchanges = _open(browser, live_site, path)
    try:
        foreign = [request.url for request, _ in exchanges if urlsplit(request.url).netloc != live_site.host]
        assert not foreign, f"{path} requested other hosts: {foreign}"
        sizes = {}
        html_size = 0
        for request, response in exchanges:
            if response is None or not 200 <= response.status < 300:
                continue
            body = response.body()
            sizes[request.url] = len(gzip.compress(body, compresslevel=6))
            if request.resource_type == "document":
                html_size = max(html_size, len(body))
        total = sum(sizes.values())
        detail = ", ".join(f"{urlsplit(u).path} {s / 1024:.1f} KB" for u, s in sorted(sizes.items()))
        assert 0 < html_size <= MAX_HTML_BYTES, f"{path}: HTML {html_size / 1024:.1f} KB > 30 KB"
        assert total <= MAX_PAGE_COMPRESSED_BYTES, f"{path}: {total / 1024:.1f} KB compressed > 100 KB ({detail})"
    finally:
        context.close()


@pytest.mark.parametrize("kind", list(PAGE_VIEWS))
def test_page_has_no_serious_accessibility_violations(kind: str, live_site: LiveSite, browser: Any) -> None:
    path = page_path(live_site, kind)
    context, page, _ = _open(browser, live_site, path)
    try:
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious
        )
        assert not serious, f"{path}: axe found serious/critical violations:\n{report}"
    finally:
        context.close()


@pytest.mark.parametrize("kind", list(PAGE_VIEWS))
def test_page_is_usable_at_360_px(kind: str, live_site: LiveSite, browser: Any) -> None:
    path = page_path(live_site, kind)
    context, page, _ = _open(browser, live_site, path, width=360, height=740)
    try:
        page.screenshot(path=str(RESULTS_DIR / f"{kind}-360.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 361)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        assert scroll_width <= 360, f"{path} is {scroll_width} px wide at a 360 px viewport; too wide: {wide}"
    finally:
        context.close()


def test_home_page_is_indonesian(live_site: LiveSite, browser: Any) -> None:
    context, page, _ = _open(browser, live_site, "/")
    try:
        assert page.evaluate("document.documentElement.lang") == "id"
        assert page.locator("main").count() == 1
    finally:
        context.close()
