"""Every public page stays light and self-contained, even with a lot of data (DESIGN.md §5).

The site is crawled from its main pages on a database with hundreds of organisations and
meetings; each HTML page must be ≤ 30 KB and must not load anything from another host.
Links (`<a href>`) to other sites are allowed: they are navigation the reader chooses, not a
request the page makes. The browser tests (tests/e2e) measure the compressed size of all assets.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.seed import seed_bulk
from sinergi.forums.models import Forum
from sinergi.forums.states import ForumStatus
from sinergi.meetings.models import Meeting
from tests.crawl import Page, crawl, is_local

MAX_HTML_BYTES = 30 * 1024


@pytest.fixture
def big_site(db: None) -> Any:
    return seed_bulk(organisations=300, forums=25, meetings_per_forum=30, ledger_share=0.2, prefix="pw")


def _url(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def main_pages() -> list[str]:
    """The pages the quality bar names, with the busiest objects of the data set."""
    forum = Forum.objects.filter(status=ForumStatus.ACTIVE).order_by("pk").first()
    meeting = Meeting.objects.filter(forum=forum, status="closed").order_by("-starts_at").first()
    organisation = forum.convener if forum else None
    candidates = [
        _url("web:home"),
        _url("forums:list"),
        _url("forums:detail", slug=forum.slug) if forum else None,
        _url("meetings:list"),
        _url("meetings:detail", uid=meeting.uid) if meeting else None,
        _url("actors:organisation_list"),
        _url("actors:organisation_detail", slug=organisation.slug) if organisation else None,
        _url("ledger:timeline"),
    ]
    return [url for url in candidates if url]


def crawl_site(client: Client) -> list[Page]:
    def fetch(url: str) -> tuple[int, str, bytes]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Content-Type", ""), body

    return crawl(fetch, main_pages(), max_pages=60, per_pattern=2)


def test_main_pages_are_light_and_self_contained(big_site: Any, client: Client) -> None:
    pages = crawl_site(client)
    by_url = {page.url: page for page in pages}
    for url in main_pages():
        assert by_url[url].status == 200, f"{url} answered {by_url[url].status}"

    problems = [f"{page.url}: server error {page.status}" for page in pages if page.status >= 500]
    html_pages = [page for page in pages if page.is_html]
    for page in html_pages:
        if len(page.body) > MAX_HTML_BYTES:
            problems.append(f"{page.url}: HTML is {len(page.body) / 1024:.1f} KB (limit 30 KB; paginate)")
        assert page.parsed is not None
        problems += [
            f"{page.url}: <{tag} {attribute}={url!r}> loads from another host"
            for tag, attribute, url in page.parsed.resources
            if not is_local(url)
        ]
    assert not problems, "\n".join(problems)
    assert len(html_pages) >= len(main_pages())


def test_the_crawler_catches_heavy_and_external_pages() -> None:
    """The checks above must be able to fail: an external script and a big page are both seen."""
    from tests.crawl import parse_page

    parsed = parse_page(
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"><script src="//cdn.example.com/x.js"></script>'
        '<img src="/static/a.png"><a href="https://example.org/">situs</a>'
    )
    external = [url for _, _, url in parsed.resources if not is_local(url)]
    assert external == ["https://cdn.example.com/x.css", "//cdn.example.com/x.js"]
    assert parsed.links == ["https://example.org/"]
