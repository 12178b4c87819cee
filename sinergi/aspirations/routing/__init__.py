"""Routing suggestions for aspirations (category → OPD and DPRD komisi) from Bahasa Indonesia text."""

from sinergi.aspirations.routing.data import (
    Category,
    Correction,
    LabelledExample,
    load_categories,
    load_labelled,
    merge_corrections,
    split_examples,
    training_data_hash,
)
from sinergi.aspirations.routing.router import KeywordRouter, Router, Suggestion, default_router

__all__ = [
    "Category",
    "Correction",
    "KeywordRouter",
    "LabelledExample",
    "Router",
    "Suggestion",
    "default_router",
    "load_categories",
    "load_labelled",
    "merge_corrections",
    "split_examples",
    "training_data_hash",
]
