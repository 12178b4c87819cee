"""With English chosen, the public pages read as English.

The main public pages are crawled with the language cookie set, and every visible text (and the
texts a screen reader or a tooltip shows) is searched for tell-tale Indonesian words: date words,
status labels and the interface's own words. Proper nouns (regions, organisations, people, legal
titles) and what people wrote stay as they are, so the data set below avoids those words in names.

Reference data (sectors, aspiration categories) is stored in Indonesian and shown through the
catalogue (sinergi/core/reference_labels.py); the test supplies English names for the few rows
it uses, so it checks that every page passes them through the catalogue whatever the catalogue
currently holds.
"""

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from sinergi.aspirations.states import AspirationStatus, EventKind
from sinergi.aspirations.tests.factories import AspirationEventFactory, AspirationFactory, CategoryFactory
from sinergi.core import reference_labels
from sinergi.meetings import services as meeting_services
from tests.crawl import Page, crawl
from tests.sample_data import build_sample_data

pytestmark = pytest.mark.django_db

# Monday 3 August 2026, 10.00 in Blitar: Indonesian and English name the day and month differently.
AUGUST_MONDAY = dt.datetime(2026, 8, 3, 3, 0, tzinfo=dt.UTC)

ENGLISH_REFERENCE_NAMES = {
    "Pemerintah": "Government",
    "Legislatif": "Legislature",
    "Swasta": "Private sector",
    "Masyarakat": "Civil society",
    "Pemuda": "Youth",
    "Akademisi": "Academia",
    "Media": "Media",
    "Jalan, jembatan dan trotoar": "Roads, bridges and pavements",
}

DATE_WORDS = [
    "pukul",
    "Januari",
    "Februari",
    "Maret",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "Oktober",
    "Desember",
    "Senin",
    "Selasa",
    "Rabu",
    "Kamis",
    "Jumat",
    "Sabtu",
    "Minggu",
]
STATUS_WORDS = ["Diterima", "Dijadwalkan", "Dibatalkan", "Ditolak", "Disahkan", "Selesai", "Agenda diumumkan"]
INTERFACE_WORDS = [
    *["Sistem", "dukungan", "Sebelumnya", "Berikutnya", "Langsung ke isi", "Rapat mendatang", "anggota aktif"],
    *["Belum ada", "hari kerja", "kursi", "Unduh", "Lihat"],
]
# Known exceptions (page prefix, word): none at present.
NOT_YET_ENGLISH: set[tuple[str, str]] = set()
REFERENCE_WORDS = [name for name, english in ENGLISH_REFERENCE_NAMES.items() if name != english]
TELLTALE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(word) for word in DATE_WORDS + STATUS_WORDS + INTERFACE_WORDS) + r")(?![\w-])"
)
REFERENCE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in REFERENCE_WORDS) + r")(?![\w-])")


class VisibleText(HTMLParser):
    """Text a reader sees or hears: element text plus titles, labels, placeholders and alt texts."""

    SPOKEN_ATTRIBUTES: ClassVar[set[str]] = {"title", "alt", "aria-label", "placeholder"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1
        self.texts += [value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def visible_texts(page: Page) -> list[str]:
    parser = VisibleText()
    parser.feed(page.body.decode("utf-8", "replace"))
    return parser.texts


@pytest.fixture
def english_reference_names(monkeypatch: pytest.MonkeyPatch) -> None:
    real = reference_labels.pgettext
    other_defaults = [str(name) for name in reference_labels.DEFAULT_NAMES]

    def pgettext(context: str, message: str) -> str:
        from django.utils import translation

        if translation.get_language() == "en" and message in ENGLISH_REFERENCE_NAMES:
            return ENGLISH_REFERENCE_NAMES[message]
        if translation.get_language() == "en" and message in other_defaults:
            return f"Reference name {other_defaults.index(message)}"
        return real(context, message)

    monkeypatch.setattr(reference_labels, "pgettext", pgettext)


@pytest.fixture
def site(personas: Any, english_reference_names: None) -> dict[str, str]:
    data = build_sample_data(personas)
    forum = data.forums[0]
    upcoming = next(m for m in data.meetings if m.starts_at > timezone.now())
    cancelled = meeting_services.meeting_schedule(
        forum=forum,
        title="Rapat koordinasi PKL",
        starts_at=upcoming.starts_at + dt.timedelta(days=7),
        ends_at=upcoming.starts_at + dt.timedelta(days=7, hours=2),
        location="Ruang Rapat Bappeda Kota Blitar",
        actor=None,
    )
    meeting_services.meeting_cancel(meeting=cancelled, reason="Bentrok dengan kegiatan lain", actor=None)
    road = CategoryFactory(slug="jalan_jembatan", name="Jalan, jembatan dan trotoar")
    aspiration = AspirationFactory(
        category=road, received_at=AUGUST_MONDAY, status=AspirationStatus.RECEIVED, title="Jalan berlubang"
    )
    AspirationEventFactory(
        aspiration=aspiration, kind=EventKind.SUBMITTED, to_status=AspirationStatus.RECEIVED, created_at=AUGUST_MONDAY
    )
    return {
        "forum": f"/forum/{forum.slug}/",
        "meeting": f"/rapat/{upcoming.uid}/",
        "cancelled": f"/rapat/{cancelled.uid}/",
        "past": f"/rapat/{data.meetings[0].uid}/",
        "aspiration": f"/aspirasi/{aspiration.uid}/",
    }


def main_pages(site: dict[str, str]) -> list[str]:
    return [
        "/",
        "/aspirasi/",
        "/forum/",
        "/rapat/",
        "/rapat/?waktu=lalu",
        "/konsultasi/",
        "/perencanaan/",
        "/direktori/",
        "/direktori/sektor/",
        "/log/",
        *site.values(),
    ]


def english_crawl(starts: list[str]) -> Iterator[Page]:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def fetch(url: str) -> tuple[int, str, bytes]:
        if url.startswith("/bahasa/"):  # the language link would switch the crawl back to Indonesian
            return 204, "", b""
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Content-Type", ""), body

    pages = crawl(fetch, starts, max_pages=70, per_pattern=1)
    yield from pages
    # The crawl visits one page per kind; the start pages are each wanted (e.g. a cancelled meeting).
    visited = {page.url for page in pages}
    for url in starts:
        if url not in visited:
            yield Page(url, url, *fetch(url), None)


def test_public_pages_read_as_english(site: dict[str, str]) -> None:
    pages = list(english_crawl(main_pages(site)))
    visited = {page.url: page for page in pages}
    for url in main_pages(site):
        assert visited[url].status == 200, f"{url} answered {visited[url].status}"
    assert len(pages) >= 25, "the crawl should reach well beyond the start pages"

    problems = []
    for page in pages:
        if not page.is_html:
            continue
        assert b'<html lang="en">' in page.body, f"{page.url} is not in English mode"
        for text in visible_texts(page):
            for pattern in (TELLTALE, REFERENCE):
                problems += [
                    f"{page.url}: {match.group(0)!r} in {text[:120]!r}"
                    for match in pattern.finditer(text)
                    if not any(page.url.startswith(url) and match.group(0) == word for url, word in NOT_YET_ENGLISH)
                ]
    assert not problems, "Indonesian on English pages:\n" + "\n".join(sorted(set(problems)))


def test_dates_on_english_pages_are_english(site: dict[str, str]) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(site["aspiration"]).content.decode()
    assert "3 August 2026" in detail
    assert "Agustus" not in detail
    indonesian = Client().get(site["aspiration"]).content.decode()
    assert "3 Agustus 2026" in indonesian
