"""Whole-response cache for anonymous reads, invalidated by the public log.

Every change of public state writes a public log entry (the one write path), so the log's head
sequence number is a version of everything a visitor can see. Keying cached responses by it
makes invalidation exact: the next public act changes the key. Time also changes what pages show
("upcoming meetings"), so the key carries a minute as well; a page is at most a minute behind the
clock and never behind the data.

Only requests that carry no identity are served from the cache (no session cookie, no pending
messages, no API token), and only responses that hold nothing personal are stored: status 200,
no cookies set, no CSRF token rendered. The cache is per process (app servers stay stateless).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sinergi.ledger.selectors import ledger_head_sequence

MAX_ENTRIES = 2000
# Paths whose answer must be computed each time: sign-in and account pages, the back office,
# and the benchmark's baseline view.
UNCACHED_PREFIXES = ("/admin/", "/akun/", "/ping/", "/i18n/", "/bahasa/", "/static/")


@dataclass(frozen=True)
class StoredPage:
    """What a response is made of; kept as-is (no pickling), so a hit builds a new response
    around the same bytes instead of decoding a copy."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes


class PageStore:
    """A small thread-safe LRU of stored pages for this process."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: str) -> StoredPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: StoredPage) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


PAGES = PageStore()


def _now_minute() -> int:
    from django.utils import timezone

    return int(timezone.now().timestamp() // 60)


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (getattr(settings, "SINERGI_PAGE_CACHE", True) and self._is_anonymous_read(request)):
            return self.get_response(request)
        key = self._key(request)
        stored = PAGES.get(key)
        if stored is not None:
            response = HttpResponse(stored.content, status=stored.status)
            for name, value in stored.headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if self._holds_nothing_personal(request, response):
            PAGES.put(key, StoredPage(response.status_code, tuple(response.headers.items()), response.content))
        return response

    @staticmethod
    def _is_anonymous_read(request: HttpRequest) -> bool:
        cookies = request.COOKIES
        return (
            request.method == "GET"
            and not request.path.startswith(UNCACHED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in cookies
            and "messages" not in cookies
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def _holds_nothing_personal(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _key(request: HttpRequest) -> str:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        raw = f"{ledger_head_sequence()}|{_now_minute()}|{language}|{request.get_host()}|{request.get_full_path()}"
        return "page:" + hashlib.sha256(raw.encode()).hexdigest()
