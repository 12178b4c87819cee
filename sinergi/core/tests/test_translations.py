"""The English translation: pages switch with the language cookie, and the catalogue is complete.

The .po file is the source; the compiled .mo is committed (fresh machines may lack gettext), so a
test checks that the .mo says exactly what the .po says.
"""

import ast
import html
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from sinergi.forums.states import ForumStatus
from sinergi.forums.tests.factories import forum_with_seats
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.tests.factories import MeetingFactory
from sinergi.regions.services import region_import_kota_blitar

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


# --- A tiny .po parser (no polib on the machines) ---------------------------------------------


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalogue: context, EOT, then the message."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file (the header included, obsolete `#~` entries left out)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if target is not None:
                finish()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if target is not None:
                finish()
        elif line.startswith("msgctxt "):
            if target is not None and target[0].startswith("msgstr"):
                finish()
            current.msgctxt = _unquote(line[len("msgctxt ") :])
            target = ("msgctxt", None)
        elif line.startswith("msgid_plural "):
            current.msgid_plural = _unquote(line[len("msgid_plural ") :])
            target = ("msgid_plural", None)
        elif line.startswith("msgid "):
            if target is not None and target[0].startswith("msgstr"):
                finish()
            current.msgid = _unquote(line[len("msgid ") :])
            current.line = number
            target = ("msgid", None)
        elif line.startswith("msgstr["):
            index = int(line[len("msgstr[") : line.index("]")])
            current.msgstr_plural[index] = _unquote(line[line.index("]") + 1 :])
            target = ("msgstr_plural", index)
        elif line.startswith("msgstr "):
            current.msgstr = _unquote(line[len("msgstr ") :])
            target = ("msgstr", None)
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation line outside an entry"
            text = _unquote(line)
            kind, index = target
            if kind == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + text
            elif kind == "msgid":
                current.msgid += text
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            elif kind == "msgstr":
                current.msgstr += text
            else:
                assert index is not None
                current.msgstr_plural[index] += text
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


def parse_mo(path: Path) -> dict[str, str]:
    """The original → translation table of a compiled GNU .mo file."""
    data = path.read_bytes()
    for order in ("<", ">"):
        magic, _revision, count, originals, translations = struct.unpack(f"{order}5I", data[:20])
        if magic == 0x950412DE:
            break
    else:
        raise AssertionError(f"{path} is not a GNU .mo file")
    table: dict[str, str] = {}
    for i in range(count):
        o_length, o_offset = struct.unpack(f"{order}2I", data[originals + 8 * i : originals + 8 * i + 8])
        t_length, t_offset = struct.unpack(f"{order}2I", data[translations + 8 * i : translations + 8 * i + 8])
        original = data[o_offset : o_offset + o_length].decode("utf-8")
        table[original] = data[t_offset : t_offset + t_length].decode("utf-8")
    return table


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return [entry for entry in parse_po(CATALOGUE / "django.po") if entry.msgid]


# --- The catalogue ----------------------------------------------------------------------------


def test_the_catalogue_is_complete(po_entries: list[Entry]) -> None:
    assert len(po_entries) > 500, "the catalogue holds the apps' strings"
    fuzzy = [entry.msgid for entry in po_entries if "fuzzy" in entry.flags]
    assert fuzzy == []
    empty = [
        entry.msgid
        for entry in po_entries
        if (not entry.msgstr_plural.get(0) or not entry.msgstr_plural.get(1))
        if entry.msgid_plural
    ] + [entry.msgid for entry in po_entries if entry.msgid_plural is None and not entry.msgstr]
    assert empty == []


def test_the_header_is_not_fuzzy_and_says_english() -> None:
    header = parse_po(CATALOGUE / "django.po")[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr


def test_the_compiled_catalogue_matches_the_po(po_entries: list[Entry]) -> None:
    """A .po edited without `compilemessages` fails here: the .mo must say exactly the same."""
    expected: dict[str, str] = {}
    for entry in po_entries:
        if entry.msgid_plural is not None:
            key = f"{entry.key}\0{entry.msgid_plural}"
            expected[key] = "\0".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            expected[entry.key] = entry.msgstr
    compiled = parse_mo(CATALOGUE / "django.mo")
    compiled.pop("", None)  # the header
    stale = {key: value for key, value in compiled.items() if expected.get(key) != value}
    missing = sorted(set(expected) - set(compiled))
    assert missing == [], "run `manage.py compilemessages` after editing the .po"
    assert stale == {}, "run `manage.py compilemessages` after editing the .po"


def test_django_serves_every_translation(po_entries: list[Entry]) -> None:
    with translation.override("en"):
        for entry in po_entries:
            if entry.msgid_plural is not None:
                assert translation.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
                assert translation.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgstr_plural[1]
            elif entry.msgctxt is not None:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid
    with translation.override("id"):
        assert translation.gettext("Rapat mendatang") == "Rapat mendatang"


def test_translations_keep_their_placeholders(po_entries: list[Entry]) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    for entry in po_entries:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural is not None else [entry.msgstr]
        for text in translations:
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry.msgid)), entry.msgid


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def site(reference_data: None) -> dict[str, str]:
    """Regions, an active forum with a meeting, and the public log entries they leave."""
    region_import_kota_blitar()
    forum = forum_with_seats(status=ForumStatus.ACTIVE)
    meeting = MeetingFactory(forum=forum)
    entry = LedgerEntry.objects.filter(event_type=LedgerEvent.REGION_IMPORTED).first()
    assert entry is not None, "loading the regions is recorded in the public log"
    return {
        "forum": f"/forum/{forum.slug}/",
        "meeting": f"/rapat/{meeting.uid}/",
        "entry": f"/log/{entry.sequence}/",
    }


def _english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


# path (or a key of the `site` fixture) → (English texts, Indonesian texts) that the page shows
PAGES: dict[str, tuple[list[str], list[str]]] = {
    "/": (
        [
            "Upcoming meetings",
            "Latest in the public log",
            "Directory",
            "Public log",
            'aria-label="Language"',
            "Skip to content",
        ],
        [
            "Rapat mendatang",
            "Terbaru di log publik",
            "Direktori",
            "Log publik",
            'aria-label="Bahasa"',
            "Langsung ke isi",
        ],
    ),
    "/forum/": (
        ["Collaborative forums", "Filter forums", "six criteria of collaborative governance"],
        ["Forum kolaborasi", "Saring forum", "enam kriteria tata kelola kolaboratif"],
    ),
    "forum": (
        ["All forums", "The six criteria of collaborative governance", "Legal basis", "Seats and members by sector"],
        ["Semua forum", "Enam kriteria tata kelola kolaboratif", "Dasar hukum", "Kursi dan anggota per sektor"],
    ),
    "/rapat/": (
        ["Forum meetings", "Upcoming meetings", "Calendar subscription (iCalendar)", "Time (WIB)"],
        ["Rapat forum", "Rapat yang akan datang", "Langganan kalender (iCalendar)", "Waktu (WIB)"],
    ),
    "meeting": (
        ["Download iCalendar (.ics)", "Quorum", "Not quorate", "Minutes are not available yet.", "Scheduled"],
        ["Unduh iCalendar (.ics)", "Kuorum", "Tidak kuorum", "Notulen belum tersedia.", "Dijadwalkan"],
    ),
    "/direktori/": (
        ["Organisation directory", "View by sector", "Search by name, abbreviation or former name"],
        ["Direktori organisasi", "Lihat per sektor", "Cari nama, singkatan, atau nama lama"],
    ),
    "/direktori/sektor/": (["Collaborative governance brings state institutions"], ["Tata kelola kolaboratif"]),
    "/wilayah/": (["Kemendagri code", "Population (Dukcapil 2025)"], ["Kode Kemendagri", "Penduduk (Dukcapil 2025)"]),
    "/wilayah/35.72/": (
        ["Kemendagri code", "Level", "Region boundary (GeoJSON)", "Subordinate regions"],
        ["Kode Kemendagri", "Tingkat", "Batas wilayah (GeoJSON)", "Wilayah di bawahnya"],
    ),
    "/log/": (
        ["Public log", "Event type", "Every public act on this platform is recorded here"],
        ["Log publik", "Jenis peristiwa", "Setiap tindakan publik di platform ini"],
    ),
    "entry": (
        ["Log entry", "Canonical document", "Previous entry's hash", "Regions loaded"],
        ["Entri log", "Dokumen kanonik", "Sidik entri sebelumnya", "Wilayah dimuat"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_render_in_english_with_the_language_cookie(page: str, site: dict[str, str]) -> None:
    path = site.get(page, page)
    english, indonesian = PAGES[page]
    content = _page(_english_client(), path)
    assert '<html lang="en">' in content
    for text in english:
        assert text in content, f"{path}: {text!r}"
    for text in indonesian:
        assert text not in content, f"{path} still says {text!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_stay_indonesian_without_the_cookie(page: str, site: dict[str, str]) -> None:
    path = site.get(page, page)
    english, indonesian = PAGES[page]
    content = _page(Client(), path)
    assert '<html lang="id">' in content
    for text in indonesian:
        assert text in content, f"{path}: {text!r}"
    for text in english:
        assert text not in content, f"{path} says {text!r} in Indonesian"


@pytest.mark.django_db
def test_the_language_form_offers_both_languages_by_their_own_names(site: dict[str, str]) -> None:
    content = _page(_english_client(), "/")
    assert '<strong aria-current="true" lang="en">English</strong>' in content
    assert 'lang="id" rel="nofollow">Bahasa Indonesia</a>' in content


@pytest.mark.django_db
def test_the_page_cache_keeps_the_languages_apart(site: dict[str, str], settings: Any) -> None:
    """Anonymous pages are cached; a page cached in one language is never served in the other."""
    from sinergi.core.page_cache import PAGES

    settings.SINERGI_PAGE_CACHE = True
    PAGES.clear()
    try:
        for _round in range(2):  # the second round is served from the cache
            assert '<html lang="id">' in _page(Client(), "/forum/")
            assert '<html lang="en">' in _page(_english_client(), "/forum/")
            assert "Collaborative forums" in _page(_english_client(), "/forum/")
    finally:
        PAGES.clear()
