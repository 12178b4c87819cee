"""Discover the site's pages by following its links, so cross-cutting tests (page weight, form
fuzzing, browser tests) keep working as apps add and change pages.

Pages are grouped by their URL pattern (Django's `resolve(path).route` plus the query keys), and
only a few pages of each pattern are visited: every kind of page is seen, the crawl stays small.
"""

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/akun/keluar/")
LOCAL_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type ("text", "select", ...)
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> option values


@dataclass
class ParsedPage:
    links: list[str] = field(default_factory=list)
    # (tag, attribute, url) of everything the browser would fetch or submit to.
    resources: list[tuple[str, str, str]] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


class _PageParser(HTMLParser):
    RESOURCE_ATTRS: ClassVar[dict[str, str]] = {
        "img": "src",
        "script": "src",
        "iframe": "src",
        "audio": "src",
        "video": "src",
        "source": "src",
        "embed": "src",
        "object": "data",
        "form": "action",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.page.links.append(values["href"])
        if tag == "link" and values.get("href"):
            self.page.resources.append((tag, "href", values["href"]))
        attribute = self.RESOURCE_ATTRS.get(tag)
        if attribute and values.get(attribute):
            self.page.resources.append((tag, attribute, values[attribute]))
        for name in ("srcset", "poster"):
            if values.get(name):
                self.page.resources.append((tag, name, values[name].split()[0]))
        if tag == "form":
            self.page.forms.append(Form(action=values.get("action", ""), method=values.get("method", "get").lower()))
        elif tag in {"input", "textarea", "select", "button"} and self.page.forms and values.get("name"):
            kind = values.get("type", "text").lower() if tag == "input" else tag
            if tag == "button":
                kind = "submit"
            self.page.forms[-1].fields[values["name"]] = kind
            if tag == "select":
                self._select = values["name"]
                self.page.forms[-1].options[values["name"]] = []
        elif tag == "option" and self._select and self.page.forms:
            self.page.forms[-1].options[self._select].append(values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def parse_page(html: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(html)
    return parser.page


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"mailto", "tel"}:
        return True
    return parts.scheme in {"", "http", "https", "data"} and (parts.scheme == "data" or parts.netloc in LOCAL_HOSTS)


def page_pattern(path_and_query: str) -> str:
    parts = urlsplit(path_and_query)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return route + ("?" + "&".join(keys) if keys else "")


@dataclass
class Page:
    url: str
    pattern: str
    status: int
    content_type: str
    body: bytes
    parsed: ParsedPage | None

    @property
    def is_html(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")


def crawl(
    fetch: Callable[[str], tuple[int, str, bytes]],
    starts: Iterable[str],
    *,
    max_pages: int = 80,
    per_pattern: int = 2,
) -> list[Page]:
    """Breadth-first from `starts`; `fetch(url)` returns (status, content type, body)."""
    queue = deque(starts)
    seen: set[str] = set()
    per_pattern_count: dict[str, int] = {}
    pages: list[Page] = []
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP_PREFIXES):
            continue
        seen.add(url)
        pattern = page_pattern(url)
        if per_pattern_count.get(pattern, 0) >= per_pattern:
            continue
        per_pattern_count[pattern] = per_pattern_count.get(pattern, 0) + 1
        status, content_type, body = fetch(url)
        parsed = None
        if status == 200 and content_type.startswith("text/html"):
            parsed = parse_page(body.decode("utf-8", "replace"))
            for link in parsed.links:
                absolute = urljoin(url, link)
                parts = urlsplit(absolute)
                if parts.netloc in LOCAL_HOSTS and parts.scheme in {"", "http", "https"}:
                    local = parts.path + (f"?{parts.query}" if parts.query else "")
                    if local not in seen:
                        queue.append(local)
        pages.append(Page(url, pattern, status, content_type, body, parsed))
    return pages
