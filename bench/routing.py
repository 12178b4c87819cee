"""Benchmark of aspiration routing on the shipped labelled set, with its baselines in the same run.

    .venv/bin/python bench/routing.py [--texts 1000] [--seed 0]

Trains the Router on the `train` split of `sinergi/aspirations/routing/data/labelled.csv` and reports on the
held-back `test` split: macro-F1 and accuracy of the top suggestion (category), and the OPD accuracy. Baselines, same
split and same run: the majority class (always the most frequent training category) and the keyword-only router
(`KeywordRouter`, the fallback; a text with no keyword counts as wrong); and, as an ablation, the same model without
the keyword features and fallback (stems and character n-grams only). Timing: `suggest(text)` (top 3) per text,
p50/p95 over `--texts` texts drawn from both splits, after one warm-up pass (the stem cache is then warm, as in a
long-running server) and separately the first, cold pass over the test texts. Target: p95 ≤ 5 ms per text.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from sinergi.aspirations.routing import KeywordRouter, Router, load_labelled, split_examples  # noqa: E402
from sinergi.aspirations.routing.text import stem  # noqa: E402

TARGET_MS = 5.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_per_text(function, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1000, help="texts to time (drawn with replacement)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    examples = load_labelled()
    train, test = split_examples(examples, "train"), split_examples(examples, "test")
    gold = [example.category for example in test]
    print(f"labelled set: {len(examples)} examples, {len(train)} train / {len(test)} test, {len(set(gold))} categories")

    stem.cache_clear()
    start = time.perf_counter()
    router = Router().train(train)
    train_seconds = time.perf_counter() - start

    cold_ms = time_per_text(router.suggest, [example.text for example in test])
    suggestions = [router.suggest(example.text) for example in test]
    predicted = [items[0].category for items in suggestions]
    opd_accuracy = sum(items[0].opd == ex.opd for items, ex in zip(suggestions, test, strict=True)) / len(test)
    top3 = sum(ex.category in {s.category for s in items} for items, ex in zip(suggestions, test, strict=True))

    # Ablation: the same model without the keyword features and without the keyword fallback.
    ngrams_only = Router(keyword_weight=0.0, fallback_threshold=0.0).train(train)
    ngram_predicted = [ngrams_only.predict(example.text) for example in test]

    majority = Counter(example.category for example in train).most_common(1)[0][0]
    keyword_router = KeywordRouter()
    keyword_predicted = []
    for example in test:
        found = keyword_router.suggest(example.text, k=1)
        keyword_predicted.append(found[0].category if found else "(none)")

    rng = random.Random(args.seed)
    texts = [rng.choice(examples).text for _ in range(args.texts)]
    for text in texts:  # warm-up: stems cached, as in a server that has seen these words
        router.suggest(text)
    router_ms = time_per_text(router.suggest, texts)
    keyword_ms = time_per_text(keyword_router.suggest, texts)

    def f1(labels: list[str]) -> float:
        return f1_score(gold, labels, average="macro", zero_division=0)

    rows = [
        ("Router (stems + n-grams + keywords, SVM)", f1(predicted), accuracy_score(gold, predicted), router_ms),
        ("ablation: n-grams only (no keyword rules)", f1(ngram_predicted), accuracy_score(gold, ngram_predicted), None),
        ("baseline: keyword rules only", f1(keyword_predicted), accuracy_score(gold, keyword_predicted), keyword_ms),
        ("baseline: majority class", f1([majority] * len(test)), accuracy_score(gold, [majority] * len(test)), None),
    ]
    print(f"training on {len(train)} examples: {train_seconds:.2f} s")
    print()
    print(f"{'router':44s} {'macro-F1':>8s} {'accuracy':>8s} {'p50 ms':>7s} {'p95 ms':>7s}")
    print("-" * 78)
    for name, macro_f1, accuracy, timings in rows:
        timing = (
            f"{statistics.median(timings):7.3f} {percentile(timings, 0.95):7.3f}" if timings else f"{'-':>7s} {'-':>7s}"
        )
        print(f"{name:44s} {macro_f1:8.3f} {accuracy:8.3f} {timing}")
    print()
    print(f"Router top-3 contains the right category: {top3 / len(test):.3f}; top OPD right: {opd_accuracy:.3f}")
    print(
        f"cold pass over the {len(test)} test texts (stems not cached yet): "
        f"p50 {statistics.median(cold_ms):.3f} ms, p95 {percentile(cold_ms, 0.95):.3f} ms, max {max(cold_ms):.1f} ms"
    )
    p95 = percentile(router_ms, 0.95)
    verdict = "PASS" if p95 <= TARGET_MS else "MISS"
    print(f"target: ≤ {TARGET_MS:.0f} ms per aspiration (p95 over {len(texts)} texts, warm): {p95:.3f} ms {verdict}")


if __name__ == "__main__":
    main()
