"""Retrain the routing model on the shipped labelled set plus officers' confirmed and corrected
routings (RoutingCorrection), and write it where ``routing_model.current_router`` loads it from.

Prints macro-F1 on the held-back (test) split before and after: both models are trained on the train
split (the second with the corrections folded in), so the numbers compare like with like. The model
written is trained on every shipped example plus the corrections, as the default router is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from sklearn.metrics import f1_score

from sinergi.aspirations.models import RoutingCorrection
from sinergi.aspirations.routing import (
    Correction,
    LabelledExample,
    Router,
    load_labelled,
    merge_corrections,
    split_examples,
)
from sinergi.aspirations.routing.data import categories_by_slug, organisation_slugs
from sinergi.aspirations.routing_model import routing_model_path

CORRECTIONS_MAX = 50_000


def officer_corrections() -> tuple[list[Correction], int]:
    """(usable corrections, skipped count): the latest routing of each case; corrections naming a
    category or organisation outside the shipped lists are skipped (the model cannot learn them)."""
    categories, organisations = categories_by_slug(), organisation_slugs()
    latest: dict[int, Correction] = {}
    skipped = 0
    rows = (
        RoutingCorrection.objects.select_related("aspiration", "category", "organisation")
        .order_by("created_at", "pk")
        .only("aspiration__title", "aspiration__text", "category__slug", "organisation__slug")[:CORRECTIONS_MAX]
    )
    for row in rows:
        if row.category.slug not in categories or row.organisation.slug not in organisations:
            skipped += 1
            continue
        text = f"{row.aspiration.title}. {row.aspiration.text}"
        latest[row.aspiration_id] = Correction(text, row.category.slug, row.organisation.slug)
    return list(latest.values()), skipped


def macro_f1(router: Router, examples: list[LabelledExample]) -> float:
    truth = [example.category for example in examples]
    predicted = [router.predict(example.text) for example in examples]
    return float(f1_score(truth, predicted, average="macro", zero_division=0))


class Command(BaseCommand):
    help = "Latih ulang model rute aspirasi dengan koreksi petugas; tulis model dan cetak macro-F1."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="", help="path of the model file (default: the loaded location)")

    def handle(self, *args: Any, **options: Any) -> None:
        shipped = load_labelled()
        train, test = split_examples(shipped, "train"), split_examples(shipped, "test")
        corrections, skipped = officer_corrections()
        before = macro_f1(Router().train(train), test)
        after = macro_f1(Router().train(merge_corrections(train, corrections)), test)
        final = Router().train(merge_corrections(shipped, corrections))
        target = final.save(Path(options["output"]) if options["output"] else routing_model_path())
        self.stdout.write(f"corrections used={len(corrections)} skipped={skipped}")
        self.stdout.write(f"macro-F1 on held-back split ({len(test)} examples): before={before:.3f} after={after:.3f}")
        self.stdout.write(f"model written: {target} (trained on {final.n_examples} examples)")
