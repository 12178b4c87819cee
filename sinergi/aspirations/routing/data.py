"""The shipped routing data: categories (with OPD/komisi and keywords) and the labelled set.

Invariants checked on load: every labelled example names a known category; every category's OPD and
komisi are slugs of the shipped Kota Blitar organisation list (``sinergi/actors/data/kota_blitar.json``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

from sinergi.aspirations.routing.text import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
CATEGORIES_PATH = DATA_DIR / "categories.json"
LABELLED_PATH = DATA_DIR / "labelled.csv"
ORGANISATIONS_PATH = Path(__file__).resolve().parents[2] / "actors" / "data" / "kota_blitar.json"

# Officer corrections are confirmed by a person who knows the OPD map; they outweigh a written example.
CORRECTION_WEIGHT = 3.0

Split = Literal["train", "test"]


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    label: str
    opd: str
    komisi: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelledExample:
    text: str
    category: str
    opd: str
    komisi: str
    split: Split = "train"
    weight: float = 1.0
    source: str = "shipped"  # "shipped" or "correction"


class Correction(NamedTuple):
    """An officer's confirmed routing of one aspiration text."""

    text: str
    category: str
    opd: str


@cache
def organisation_slugs() -> frozenset[str]:
    with ORGANISATIONS_PATH.open(encoding="utf-8") as handle:
        return frozenset(org["slug"] for org in json.load(handle)["organisations"])


@cache
def load_categories(path: Path = CATEGORIES_PATH) -> tuple[Category, ...]:
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)["categories"]
    categories = tuple(
        Category(
            slug=item["slug"],
            label=item["label"],
            opd=item["opd"],
            komisi=item["komisi"],
            keywords=tuple(item["keywords"]),
        )
        for item in raw
    )
    known = organisation_slugs()
    for category in categories:
        if category.opd not in known or category.komisi not in known:
            raise ValueError(f"category {category.slug}: {category.opd}/{category.komisi} not in the OPD list")
    if len({category.slug for category in categories}) != len(categories):
        raise ValueError("duplicate category slug")
    return categories


def categories_by_slug() -> dict[str, Category]:
    return {category.slug: category for category in load_categories()}


def load_labelled(path: Path = LABELLED_PATH) -> list[LabelledExample]:
    """All shipped examples, in file order (both splits)."""
    by_slug = categories_by_slug()
    known_orgs = organisation_slugs()
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["category"] not in by_slug:
                raise ValueError(f"row {row['id']}: unknown category {row['category']!r}")
            if row["opd"] not in known_orgs:
                raise ValueError(f"row {row['id']}: unknown OPD {row['opd']!r}")
            if row["split"] not in ("train", "test"):
                raise ValueError(f"row {row['id']}: split must be train or test")
            examples.append(
                LabelledExample(
                    text=row["text"],
                    category=row["category"],
                    opd=row["opd"],
                    komisi=row["komisi"],
                    split=row["split"],  # type: ignore[arg-type]  # checked above
                )
            )
    return examples


def split_examples(examples: Iterable[LabelledExample], split: Split) -> list[LabelledExample]:
    return [example for example in examples if example.split == split]


def training_data_hash(examples: Sequence[LabelledExample]) -> str:
    """Order-independent SHA-256 of what a model learns from (text, labels, weight)."""
    lines = sorted(f"{ex.text}\t{ex.category}\t{ex.opd}\t{ex.komisi}\t{ex.weight}" for ex in examples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def merge_corrections(
    examples: Sequence[LabelledExample], corrections: Iterable[Correction | tuple[str, str, str]]
) -> list[LabelledExample]:
    """Training data with officers' corrections folded in (input for the ``retrain`` command).

    A correction whose text matches an existing example (after normalisation) replaces that example's
    labels; otherwise it is appended. Corrections always go to the ``train`` split with
    ``CORRECTION_WEIGHT``; when the same text is corrected twice, the last correction wins. The komisi
    follows the corrected category. The input list is not modified.
    """
    by_slug = categories_by_slug()
    known_orgs = organisation_slugs()
    merged = list(examples)
    index_by_text = {normalise(example.text): position for position, example in enumerate(merged)}
    for text, category, opd in corrections:
        if category not in by_slug:
            raise ValueError(f"unknown category {category!r}")
        if opd not in known_orgs:
            raise ValueError(f"unknown OPD {opd!r}")
        corrected = LabelledExample(
            text=text,
            category=category,
            opd=opd,
            komisi=by_slug[category].komisi,
            split="train",
            weight=CORRECTION_WEIGHT,
            source="correction",
        )
        key = normalise(text)
        position = index_by_text.get(key)
        if position is None:
            index_by_text[key] = len(merged)
            merged.append(corrected)
        else:
            merged[position] = replace(corrected, text=merged[position].text)
    return merged
