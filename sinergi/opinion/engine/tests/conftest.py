"""Fixtures for the engine tests: the shipped Polis conversations (no database, no network, no shared folder)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from sinergi.opinion.engine.polis_export import PolisConversation, load_polis_export

DATA = Path(__file__).parent / "data"
RECENT_CONVERSATIONS = {
    "austria-climate.5twd2jsnkf.2022-08-08": 0.95,
    "scoop-hivemind.biodiversity": 0.95,
    "bg2050-volunteers": 0.95,
    "vtaiwan.uberx": 0.90,
}

_cache: dict[str, PolisConversation] = {}


def conversation(name: str) -> PolisConversation:
    if name not in _cache:
        _cache[name] = load_polis_export(DATA / name)
    return _cache[name]


@pytest.fixture(scope="session")
def biodiversity() -> PolisConversation:
    return conversation("scoop-hivemind.biodiversity")


@pytest.fixture(scope="session")
def reddwarf_biodiversity() -> dict[str, Any]:
    with gzip.open(DATA / "reddwarf_stats_biodiversity.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)
