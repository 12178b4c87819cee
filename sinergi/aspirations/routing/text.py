"""Text normalisation for Bahasa Indonesia aspirations: slang, Javanese, Sastrawi stemming.

``normalise(text)`` lowercases, tokenises, spells out chat abbreviations ("jln", "gk", "tdk") and maps
common Javanese words to Indonesian ("dalane" → "jalan", "ora" → "tidak"), so the same complaint in
three registers lands on the same tokens. ``stem_tokens`` then applies the Sastrawi stemmer.

Sastrawi is slow (dozens of dictionary look-ups per word, and its dictionary is a list: see
``_stemmer``) but a citizen's vocabulary is small, so stems are cached per token: after warm-up,
stemming a text is a few dictionary look-ups. The cache is bounded so that adversarial input (random
strings) cannot grow memory without limit.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from Sastrawi.Stemmer.Stemmer import Stemmer

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# "anak2", "rusak2" — the digit 2 marks reduplication in chat Indonesian; the stem is the word itself.
_REDUPLICATION_DIGIT = re.compile(r"^([a-z]{2,})2$")

# Chat abbreviations and common misspellings → standard Indonesian. Keys are single tokens.
SLANG: dict[str, str] = {
    "jln": "jalan",
    "jl": "jalan",
    "gk": "tidak",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "ndak": "tidak",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "blm": "belum",
    "krn": "karena",
    "karna": "karena",
    "tlg": "tolong",
    "tolongin": "tolong",
    "utk": "untuk",
    "untk": "untuk",
    "dr": "dari",
    "bgt": "banget",
    "bngt": "banget",
    "skrg": "sekarang",
    "kalo": "kalau",
    "klo": "kalau",
    "pdhl": "padahal",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "knp": "kenapa",
    "sy": "saya",
    "aja": "saja",
    "doang": "saja",
    "trs": "terus",
    "hrs": "harus",
    "tp": "tapi",
    "ortu": "orang tua",
    "perpus": "perpustakaan",
    "pemkot": "pemerintah kota",
    "alun2": "alun alun",
    "ujan": "hujan",
    "mampet": "tersumbat",
    "kepotong": "terpotong",
    "nunggak": "tunggak",
    "nyala": "menyala",
    "ngalir": "alir",
    "ngurus": "urus",
    "nongkrong": "tongkrong",
}

# Javanese (ngoko, as typed in Blitar) → Indonesian. Enclitic -e/-ne forms ("dalane", "lampune") are
# listed whole: a generic suffix rule would also cut Indonesian words ("pinggire" is fine, "tape" not).
JAVANESE: dict[str, str] = {
    "dalan": "jalan",
    "dalane": "jalan",
    "lampune": "lampu",
    "sampahe": "sampah",
    "pasare": "pasar",
    "banyu": "air",
    "banyune": "air",
    "kalen": "selokan",
    "got": "selokan",
    "gote": "selokan",
    "omah": "rumah",
    "omahe": "rumah",
    "omahku": "rumah",
    "sekolahan": "sekolah",
    "ora": "tidak",
    "gak": "tidak",
    "durung": "belum",
    "wis": "sudah",
    "uwis": "sudah",
    "wes": "sudah",
    "mambu": "bau",
    "ambune": "bau",
    "numpuk": "tumpuk",
    "peteng": "gelap",
    "udan": "hujan",
    "deres": "deras",
    "luber": "luap",
    "bolong": "lubang",
    "bolong2": "lubang",
    "dandani": "perbaiki",
    "didandani": "perbaiki",
    "tulung": "tolong",
    "tulungi": "tolong",
    "mbok": "mohon",
    "nek": "kalau",
    "lek": "kalau",
    "neng": "di",
    "ning": "di",
    "nang": "ke",
    "seko": "dari",
    "ambek": "dengan",
    "karo": "dengan",
    "lan": "dan",
    "bocah": "anak",
    "cah": "anak",
    "wong": "orang",
    "wedok": "perempuan",
    "bojone": "suami",
    "nggebuki": "pukul",
    "wit": "pohon",
    "gedhe": "besar",
    "ambruk": "roboh",
    "asu": "anjing",
    "pari": "padi",
    "gawean": "kerja",
    "golek": "cari",
    "tuku": "beli",
    "larang": "mahal",
    "regane": "harga",
    "akeh": "banyak",
    "mbah": "nenek",
    "mbahku": "nenek",
    "sepuh": "tua",
    "bal": "bola",
    "balan": "bola",
    "dolanan": "main",
    "turu": "tidur",
    "mendem": "mabuk",
    "bengi": "malam",
    "esuk": "pagi",
    "dino": "hari",
    "sasi": "bulan",
    "sesasi": "sebulan",
    "mulih": "pulang",
    "wedi": "takut",
    "adus": "mandi",
    "angel": "sulit",
    "saiki": "sekarang",
    "podo": "sama",
    "kudu": "harus",
    "ilang": "hilang",
    "teko": "datang",
    "metu": "keluar",
    "kebak": "penuh",
    "endhut": "lumpur",
    "cilik": "kecil",
    "nggonggong": "gonggong",
    "ditegor": "tebang",
    "payone": "atap",
    "gedheg": "dinding",
    "nduwe": "punya",
    "carane": "cara",
    "ditanggap": "tanggap",
    "sing": "yang",
    "iki": "ini",
    "kuwi": "itu",
    "opo": "apa",
    "piye": "bagaimana",
    "endi": "mana",
}

TOKEN_MAP: dict[str, str] = {**SLANG, **JAVANESE}


def tokenise(text: str) -> list[str]:
    """Lowercased word tokens with slang and Javanese spelled out as Indonesian (may add tokens)."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(text.lower()):
        match = _REDUPLICATION_DIGIT.match(raw)
        token = match.group(1) if match else raw
        mapped = TOKEN_MAP.get(token)
        if mapped is None:
            tokens.append(token)
        else:
            tokens.extend(mapped.split())
    return tokens


def normalise(text: str) -> str:
    return " ".join(tokenise(text))


@cache
def _stemmer() -> Stemmer:
    """Sastrawi's stemmer over a hashed dictionary.

    Sastrawi 1.0.1 keeps its 30,000 root words in a Python *list* and tests membership with ``in``:
    a linear scan, dozens of them per word, which made stemming the training set take over a minute.
    The same words in a frozenset give the same stems at O(1) per look-up. Imported lazily.
    """
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    dictionary = ArrayDictionary()
    dictionary.words = frozenset(StemmerFactory().get_words())  # only ``in`` and ``len`` are used on it
    return Stemmer(dictionary)


@lru_cache(maxsize=50_000)
def stem(token: str) -> str:
    """Sastrawi stem of one token (cached). Numbers and very short tokens are kept as they are."""
    if len(token) <= 3 or token.isdigit():
        return token
    stemmed = _stemmer().stem(token)
    # Sastrawi drops hyphenated tokens it does not know ("e-ktp" → ""): keep the token then.
    return stemmed or token


def stem_tokens(tokens: list[str]) -> list[str]:
    return [stem(token) for token in tokens]


def stemmed(text: str) -> str:
    return " ".join(stem_tokens(tokenise(text)))
