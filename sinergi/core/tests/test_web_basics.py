import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sinergi.core.templatetags.indonesian import angka, hari_tanggal, jam, rupiah, tanggal

pytestmark = pytest.mark.django_db


def test_pages_are_indonesian_even_when_the_browser_asks_for_english(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()


def test_the_language_link_switches_to_english_and_back(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'href="/bahasa/en/?next=/"' in home
    response = client.get("/bahasa/en/?next=/forum/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/forum/"
    assert '<html lang="en">' in client.get("/").content.decode()
    client.get("/bahasa/id/")
    assert '<html lang="id">' in client.get("/").content.decode()


def test_the_language_link_never_redirects_to_another_site(client: Client) -> None:
    response = client.get("/bahasa/en/?next=https://contoh.example/")
    assert response.headers["Location"] == "/"
    assert client.get("/bahasa/xx/").status_code == 302


def test_every_page_forbids_loading_from_other_sites(client: Client) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_indonesian_formats() -> None:
    assert tanggal(dt.date(2026, 11, 27)) == "27 November 2026"
    assert hari_tanggal(dt.date(2026, 11, 27)) == "Jumat, 27 November 2026"
    assert jam(dt.datetime(2026, 11, 27, 2, 30, tzinfo=dt.UTC)) == "09.30 WIB"
    assert rupiah(1250000) == "Rp1.250.000"
    assert angka(1234) == "1.234"
    assert angka(Decimal("1234.5")) == "1.234,50"


def test_error_pages_speak_the_visitors_language(client: Client) -> None:
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/tidak-ada/").content.decode()


def test_one_indonesian_word_with_two_meanings_gets_two_english_ones() -> None:
    from django.utils import translation

    from sinergi.forums.states import ForumMemberStatus

    with translation.override("en"):
        assert str(ForumMemberStatus.LEFT.label) == "Left"
        assert translation.gettext("Keluar") == "Log out"
