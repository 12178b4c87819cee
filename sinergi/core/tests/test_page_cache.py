import pytest
from django.db import transaction
from django.test import Client

from sinergi.core.page_cache import PAGES
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):  # type: ignore[no-untyped-def]
    settings.SINERGI_PAGE_CACHE = True
    PAGES.clear()
    yield
    PAGES.clear()


def _public_act(name: str) -> None:
    with transaction.atomic():
        ledger_record(event=LedgerEvent.FORUM_CONVENED, actor=None, subject_type="forum", subject_id=name)


def test_an_anonymous_page_is_served_from_the_cache_until_the_next_public_act(
    page_cache, client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _public_act("pertama")
    first = client.get("/log/")
    assert "pertama" in first.content.decode()
    # A cache hit costs one query: the public log's head.
    with django_assert_num_queries(1):
        again = client.get("/log/")
    assert again.content == first.content
    _public_act("kedua")
    assert "kedua" in client.get("/log/").content.decode()


def test_signed_in_visitors_and_api_tokens_are_never_served_from_the_cache(
    page_cache, client: Client, personas
) -> None:  # type: ignore[no-untyped-def]
    from conftest import client_for

    client.get("/log/")
    signed_in = client_for(personas["citizen"])
    assert "Akun saya" in signed_in.get("/log/").content.decode()
    assert len(PAGES) == 1
    bearer = Client(HTTP_AUTHORIZATION="Bearer ss_tidak-sah")
    assert bearer.get("/api/v1/accounts/me").status_code == 401


def test_pages_with_a_csrf_token_or_cookies_are_not_stored(page_cache, client: Client) -> None:  # type: ignore[no-untyped-def]
    login = client.get("/akun/masuk/")
    assert login.cookies
    client.get("/direktori/?q=x")
    assert len(PAGES) == 1


def test_the_baseline_view_is_never_cached(page_cache, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.get("/ping/")
    assert len(PAGES) == 0


def test_a_cached_page_keeps_its_headers(page_cache, client: Client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/rapat/kalender.ics")
    again = client.get("/rapat/kalender.ics")
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.content == first.content


def test_the_store_forgets_the_least_recently_used_page() -> None:
    from sinergi.core.page_cache import PageStore, StoredPage

    store = PageStore(max_entries=2)
    page = StoredPage(200, (), b"x")
    store.put("a", page)
    store.put("b", page)
    store.get("a")
    store.put("c", page)
    assert store.get("b") is None
    assert store.get("a") is page


def test_each_language_has_its_own_cached_page(page_cache, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert '<html lang="id">' in client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()
