"""Routing suggestions: which category, OPD and DPRD komisi an aspiration belongs to.

``Router`` = Sastrawi-stemmed word uni/bigrams (TF-IDF) + character 2–5-grams of the normalised text
(TF-IDF; robust to typos and Javanese suffixes) + the keyword rules' per-category scores as 25 extra
features → a linear SVM (liblinear), with probabilities calibrated by Platt scaling over 3 stratified
folds, as ``CalibratedClassifierCV(method="sigmoid")`` does; those probabilities are the scores.

Two choices that the numbers forced (``bench/routing.py``):
* The keyword features: with ~15 written examples per category the n-grams alone reach a macro-F1
  of about 0.65 on the held-back split (as do the rules alone); with the rules as features, 0.8.
* The sigmoids are fitted here by Newton's method (Lin, Lin & Weng 2007), not by
  ``CalibratedClassifierCV``, whose 75 L-BFGS fits of two-parameter sigmoids took 1.3–2 s (13 s on a
  loaded machine) where the whole training here takes ~0.6 s; and prediction evaluates the linear
  model with numpy (``_FastModel``) because scikit-learn's per-call input validation alone costs
  ~20 ms per text.

When the model is unsure (top probability below ``fallback_threshold``) and a keyword rule fires, the
keyword category is put first: a rule on a clear word ("banjir", "KTP") beats a hesitant model on a
text unlike its training set. ``KeywordRouter`` alone is that fallback and the bench baseline.

Suggestions are advice for an officer, never an automatic disposition: the officer confirms or corrects,
and corrections are merged into the training data (``data.merge_corrections``) for a later retrain.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from sinergi.aspirations.routing.data import (
    Category,
    LabelledExample,
    load_categories,
    load_labelled,
    training_data_hash,
)
from sinergi.aspirations.routing.text import stem_tokens, tokenise

MODEL_FORMAT = 1
DEFAULT_TOP_K = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One routing suggestion. ``score`` is in [0, 1]; ``reason`` says where it came from."""

    category: str
    opd: str
    komisi: str
    score: float
    reason: str


class KeywordRouter:
    """Keyword rules from ``categories.json``: a category scores the number of its keywords found.

    Keywords are matched as whole token sequences on both the normalised and the stemmed text, so
    "berlubang" matches the keyword "lubang" and "lampune" matches "lampu". Multi-word keywords count
    once per word (they are more specific).
    """

    def __init__(self, categories: Sequence[Category] | None = None) -> None:
        self.categories = tuple(categories or load_categories())
        self._by_slug = {category.slug: category for category in self.categories}
        self._patterns: list[tuple[str, str, int]] = []  # (" token sequence ", category, weight)
        for category in self.categories:
            seen: set[str] = set()
            for keyword in category.keywords:
                tokens = tokenise(keyword)
                for form in (" ".join(tokens), " ".join(stem_tokens(tokens))):
                    if form and form not in seen:
                        seen.add(form)
                        self._patterns.append((f" {form} ", category.slug, len(tokens)))
        # The same patterns keyed by their token sequence: matching looks up the text's n-grams instead of
        # searching the text for each of the ~300 patterns. Entries keep the pattern's position, so
        # keywords are reported in pattern order.
        self._by_sequence: dict[tuple[str, ...], list[tuple[int, str, str]]] = defaultdict(list)
        for index, (pattern, slug, _weight) in enumerate(self._patterns):
            keyword = pattern.strip()
            self._by_sequence[tuple(keyword.split(" "))].append((index, slug, keyword))
        self._longest = max((len(sequence) for sequence in self._by_sequence), default=0)

    def matches(self, text: str) -> dict[str, list[str]]:
        tokens = tokenise(text)
        return self.matches_tokens(tokens, stem_tokens(tokens))

    def matches_tokens(self, tokens: Sequence[str], stems: Sequence[str]) -> dict[str, list[str]]:
        """Category → its keywords found as whole token sequences in `tokens` or in `stems`."""
        hits: set[tuple[int, str, str]] = set()
        by_sequence = self._by_sequence
        for sequence in (tuple(tokens), tuple(stems)):
            length = len(sequence)
            for start in range(length):
                for end in range(start + 1, min(start + self._longest, length) + 1):
                    entries = by_sequence.get(sequence[start:end])
                    if entries:
                        hits.update(entries)
        found: dict[str, list[str]] = defaultdict(list)
        for _index, slug, keyword in sorted(hits):
            if keyword not in found[slug]:
                found[slug].append(keyword)
        return dict(found)

    def scores(self, text: str) -> dict[str, float]:
        """Category → share of keyword weight found (sums to 1 when anything matched, else empty)."""
        tokens = tokenise(text)
        return self.scores_tokens(tokens, stem_tokens(tokens))

    def scores_tokens(self, tokens: Sequence[str], stems: Sequence[str]) -> dict[str, float]:
        weights: Counter[str] = Counter()
        for slug, words in self.matches_tokens(tokens, stems).items():
            weights[slug] = sum(len(word.split()) for word in words)
        total = sum(weights.values())
        return {slug: weight / total for slug, weight in weights.items()} if total else {}

    def suggest(self, text: str, k: int = DEFAULT_TOP_K) -> list[Suggestion]:
        matches = self.matches(text)
        ranked = sorted(self.scores(text).items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Suggestion(
                category=slug,
                opd=self._by_slug[slug].opd,
                komisi=self._by_slug[slug].komisi,
                score=round(score, 4),
                reason="kata kunci: " + ", ".join(matches[slug]),
            )
            for slug, score in ranked
        ]


class Router:
    """Category/OPD/komisi suggestions from a linear model over stemmed words and character n-grams.

    Invariants: ``suggest`` returns at most ``k`` suggestions with distinct categories, scores in
    [0, 1] in non-increasing order, and every category, OPD and komisi is a slug of the shipped data.
    A router must be trained (``train``) or loaded (``load``) before ``suggest``.
    """

    def __init__(
        self,
        categories: Sequence[Category] | None = None,
        *,
        regularisation_c: float = 0.5,
        keyword_weight: float = 1.0,
        # Chosen by 5-fold cross-validation on the train split (0.0 and 0.2 tie at macro-F1 0.775, 0.3
        # gives 0.764): the keyword features already carry most of what the rules know.
        fallback_threshold: float = 0.20,
    ) -> None:
        self.categories = tuple(categories or load_categories())
        self.regularisation_c = regularisation_c
        self.keyword_weight = keyword_weight
        self.fallback_threshold = fallback_threshold
        self.keywords = KeywordRouter(self.categories)
        self._by_slug = {category.slug: category for category in self.categories}
        self._word_vectoriser: TfidfVectorizer | None = None
        self._char_vectoriser: TfidfVectorizer | None = None
        self._folds: list[_CalibratedFold] = []
        self._opd_by_category: dict[str, str] = {}
        self._fast: _FastModel | None = None
        self.data_hash: str | None = None
        self.trained_at: str | None = None
        self.n_examples = 0

    # --- training ------------------------------------------------------------------------------

    @staticmethod
    def _analyse(text: str) -> _Analysed:
        tokens = tokenise(text)
        return _Analysed(tokens, stem_tokens(tokens))

    def _keyword_row(self, analysed: _Analysed) -> list[float]:
        scores = self.keywords.scores_tokens(analysed.tokens, analysed.stems)
        return [scores.get(category.slug, 0.0) * self.keyword_weight for category in self.categories]

    def _features(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The model's input through scikit-learn (training, and the reference for the fast path)."""
        assert self._word_vectoriser is not None and self._char_vectoriser is not None
        analysed = [self._analyse(text) for text in texts]
        words = self._word_vectoriser.transform([item.stemmed for item in analysed])
        chars = self._char_vectoriser.transform([item.normalised for item in analysed])
        keywords = sp.csr_matrix(np.array([self._keyword_row(item) for item in analysed], dtype=np.float32))
        return sp.hstack([words, chars, keywords], format="csr")

    def train(self, examples: Sequence[LabelledExample]) -> Router:
        """Fit on ``examples`` (all of them: filter the split before). Returns self."""
        unknown = {example.category for example in examples} - set(self._by_slug)
        if unknown:
            raise ValueError(f"unknown categories in training data: {sorted(unknown)}")
        per_category = Counter(example.category for example in examples)
        if len(per_category) < 3:
            # With two classes LinearSVC has one decision column; routing always has many categories.
            raise ValueError("at least three categories are needed to train")
        if min(per_category.values()) < 2:
            raise ValueError("every category in the training data needs at least two examples (calibration)")
        analysed = [self._analyse(example.text) for example in examples]
        # Word n-grams carry the topic; character n-grams catch typos, slang and Javanese affixes.
        self._word_vectoriser = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",  # noqa: S106 (a regex, not a password)
            ngram_range=(1, 2),
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._char_vectoriser = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, dtype=np.float32
        )
        words = self._word_vectoriser.fit_transform([item.stemmed for item in analysed])
        chars = self._char_vectoriser.fit_transform([item.normalised for item in analysed])
        keywords = sp.csr_matrix(np.array([self._keyword_row(item) for item in analysed], dtype=np.float32))
        features = sp.hstack([words, chars, keywords], format="csr")
        labels = np.array([example.category for example in examples])
        weights = np.array([example.weight for example in examples], dtype=np.float64)
        # Each fold: an SVM trained on the other folds, sigmoids fitted on this fold's held-out decisions
        # (so the scores are calibrated on unseen text); prediction averages the folds.
        splitter = StratifiedKFold(n_splits=min(3, min(per_category.values())), shuffle=True, random_state=0)
        self._folds = []
        for train_rows, held_out_rows in splitter.split(features, labels):
            svm = LinearSVC(C=self.regularisation_c)
            svm.fit(features[train_rows], labels[train_rows], sample_weight=weights[train_rows])
            decisions = svm.decision_function(features[held_out_rows])
            slopes, shifts = [], []
            for column, label in enumerate(svm.classes_):
                slope, shift = platt_sigmoid(
                    decisions[:, column], labels[held_out_rows] == label, weights[held_out_rows]
                )
                slopes.append(slope)
                shifts.append(shift)
            self._folds.append(_CalibratedFold(svm, np.array(slopes), np.array(shifts)))
        # The OPD for a category is learned from the data (officers' corrections can move it), with
        # the category's default as the tie-breaker and for categories absent from the data.
        opd_votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for example in examples:
            opd_votes[example.category][example.opd] += example.weight
        self._opd_by_category = {}
        for category in self.categories:
            votes = opd_votes.get(category.slug)
            if votes:
                best = max(votes.values())
                winners = {opd for opd, count in votes.items() if count == best}
                self._opd_by_category[category.slug] = category.opd if category.opd in winners else min(winners)
            else:
                self._opd_by_category[category.slug] = category.opd
        self._fast = _FastModel.compile(self)
        self.data_hash = training_data_hash(examples)
        self.trained_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.n_examples = len(examples)
        return self

    @property
    def is_trained(self) -> bool:
        return bool(self._folds)

    # --- prediction ----------------------------------------------------------------------------

    def probabilities(self, text: str) -> dict[str, float]:
        """Calibrated probability per category (sums to 1)."""
        if self._fast is None:
            raise RuntimeError("the router is not trained: call train() or Router.load()")
        row = self._fast.predict_proba(self, self._analyse(text))
        return dict(zip(self._fast.labels, row.tolist(), strict=True))

    def reference_probabilities(self, text: str) -> dict[str, float]:
        """The same through scikit-learn's transform and decision_function (slow; tests the fast path)."""
        if not self._folds:
            raise RuntimeError("the router is not trained: call train() or Router.load()")
        features = self._features([text])
        labels = [str(label) for label in self._folds[0].svm.classes_]
        mean = np.zeros(len(labels))
        for fold in self._folds:
            decision = fold.svm.decision_function(features)[0]
            probabilities = expit(-(fold.slope * decision + fold.shift))
            mean += probabilities / probabilities.sum()
        return dict(zip(labels, (mean / len(self._folds)).tolist(), strict=True))

    def predict(self, text: str) -> str:
        """The top category only (for evaluation)."""
        return self.suggest(text, k=1)[0].category

    def suggest(self, text: str, k: int = DEFAULT_TOP_K) -> list[Suggestion]:
        """Top-``k`` suggestions for ``text``; keyword rules lead when the model is unsure."""
        probabilities = self.probabilities(text)
        ranked = sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))
        top_probability = ranked[0][1]
        suggestions: list[Suggestion] = []
        if top_probability < self.fallback_threshold:
            keyword_suggestions = self.keywords.suggest(text, k=1)
            if keyword_suggestions:
                rule = keyword_suggestions[0]
                # The rule's score is the model's own probability for that category, raised to the
                # top score so the list stays ordered; the reason says the rule decided.
                suggestions.append(
                    Suggestion(
                        category=rule.category,
                        opd=self._opd_by_category.get(rule.category, rule.opd),
                        komisi=rule.komisi,
                        score=round(max(probabilities.get(rule.category, 0.0), top_probability), 4),
                        reason=f"{rule.reason} (model ragu: p={top_probability:.2f})",
                    )
                )
        for slug, probability in ranked:
            if len(suggestions) >= k:
                break
            if any(existing.category == slug for existing in suggestions):
                continue
            category = self._by_slug[slug]
            suggestions.append(
                Suggestion(
                    category=slug,
                    opd=self._opd_by_category.get(slug, category.opd),
                    komisi=category.komisi,
                    score=round(min(probability, suggestions[-1].score) if suggestions else probability, 4),
                    reason=f"model: p={probability:.2f}",
                )
            )
        return suggestions

    # --- persistence ---------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the trained router with the hash of its training data; returns the path."""
        if not self._folds:
            raise RuntimeError("only a trained router can be saved")
        state: dict[str, Any] = {
            "format": MODEL_FORMAT,
            "sklearn_version": sklearn.__version__,
            "data_hash": self.data_hash,
            "trained_at": self.trained_at,
            "n_examples": self.n_examples,
            "categories": self.categories,
            "regularisation_c": self.regularisation_c,
            "keyword_weight": self.keyword_weight,
            "fallback_threshold": self.fallback_threshold,
            "word_vectoriser": self._word_vectoriser,
            "char_vectoriser": self._char_vectoriser,
            "folds": self._folds,
            "opd_by_category": self._opd_by_category,
        }
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(state, target, compress=3)
        return target

    @classmethod
    def load(cls, path: str | Path) -> Router:
        """Read a router written by ``save``. Only load files this project wrote: joblib unpickles."""
        state = joblib.load(Path(path))
        if not isinstance(state, dict) or state.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path}: not a routing model of format {MODEL_FORMAT}")
        if state["sklearn_version"] != sklearn.__version__:
            raise ValueError(
                f"{path}: trained with scikit-learn {state['sklearn_version']}, running {sklearn.__version__}; retrain"
            )
        router = cls(
            state["categories"],
            regularisation_c=state["regularisation_c"],
            keyword_weight=state["keyword_weight"],
            fallback_threshold=state["fallback_threshold"],
        )
        router._word_vectoriser = state["word_vectoriser"]
        router._char_vectoriser = state["char_vectoriser"]
        router._folds = state["folds"]
        router._opd_by_category = state["opd_by_category"]
        router.data_hash = state["data_hash"]
        router.trained_at = state["trained_at"]
        router.n_examples = state["n_examples"]
        router._fast = _FastModel.compile(router)
        return router


@dataclass(frozen=True, slots=True)
class _CalibratedFold:
    """One calibration fold: an SVM and, per class (in ``svm.classes_`` order), Platt's sigmoid
    p = 1 / (1 + exp(slope * decision + shift))."""

    svm: LinearSVC
    slope: np.ndarray
    shift: np.ndarray


def platt_sigmoid(decisions: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Fit Platt's sigmoid (A, B) on held-out decision values, with Platt's smoothed targets.

    Newton's method with backtracking on the weighted log loss (Lin, Lin & Weng 2007, "A note on
    Platt's probabilistic outputs"), the same model and targets as scikit-learn's sigmoid calibration.
    Invariant: the returned slope is finite; a class that is never or always positive still gets a
    valid (flat) sigmoid from the smoothed targets.
    """
    decisions = np.asarray(decisions, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    positives = float(weights[positive].sum())
    negatives = float(weights[~positive].sum())
    target = np.where(positive, (positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0))
    slope, shift = 0.0, float(np.log((negatives + 1.0) / (positives + 1.0)))

    def loss(a: float, b: float) -> float:
        margin = a * decisions + b
        # log(1 + exp(m)) - (1 - t) m, written stably for both signs of m
        return float(np.sum(weights * (np.logaddexp(0.0, margin) - (1.0 - target) * margin)))

    current = loss(slope, shift)
    for _ in range(100):
        margin = slope * decisions + shift
        p = expit(-margin)  # model probability of the positive class
        gradient_margin = weights * (target - p)  # d loss / d margin
        gradient = np.array([np.dot(gradient_margin, decisions), gradient_margin.sum()])
        curvature = weights * p * (1.0 - p)
        hessian = np.array(
            [
                [np.dot(curvature, decisions * decisions) + 1e-12, np.dot(curvature, decisions)],
                [np.dot(curvature, decisions), curvature.sum() + 1e-12],
            ]
        )
        if np.max(np.abs(gradient)) < 1e-6:
            break
        step = np.linalg.solve(hessian, -gradient)
        size = 1.0
        while size > 1e-10:
            candidate = loss(slope + size * step[0], shift + size * step[1])
            if candidate < current + 1e-4 * size * float(np.dot(gradient, step)):
                slope, shift, current = slope + size * step[0], shift + size * step[1], candidate
                break
            size /= 2.0
        else:
            break  # no decrease possible: at the optimum within floating-point precision
    return slope, shift


class _Analysed(NamedTuple):
    tokens: list[str]
    stems: list[str]

    @property
    def stemmed(self) -> str:
        return " ".join(self.stems)

    @property
    def normalised(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True, slots=True)
class _TfidfBlock:
    """One fitted TfidfVectorizer as plain data: analyser, vocabulary, idf, column offset."""

    analyser: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int
    # For character n-grams within word boundaries ("char_wb"): a word's n-grams never cross into the
    # next word, so the text's counts are the sum of its words' — and words recur from text to text.
    # Maps one word to the vocabulary columns of its n-grams (cached); None for word n-grams.
    columns_of_word: Callable[[str], tuple[int, ...]] | None = None
    split_words: Callable[[str], list[str]] | None = None

    @classmethod
    def char_wb(cls, vectoriser: TfidfVectorizer, offset: int) -> _TfidfBlock:
        vocabulary = dict(vectoriser.vocabulary_)
        ngrams = vectoriser._char_wb_ngrams  # the vectoriser's own n-gram rule, applied to one word
        preprocess = vectoriser.build_preprocessor()
        whitespace = vectoriser._white_spaces

        @lru_cache(maxsize=100_000)
        def columns_of_word(word: str) -> tuple[int, ...]:
            return tuple(vocabulary[gram] for gram in ngrams(word) if gram in vocabulary)

        def split_words(text: str) -> list[str]:
            return whitespace.sub(" ", preprocess(text)).split()

        return cls(
            vectoriser.build_analyzer(),
            vocabulary,
            vectoriser.idf_.astype(np.float64),
            offset,
            columns_of_word,
            split_words,
        )

    def add(self, text: str, columns: list[int], values: list[float]) -> None:
        # Same arithmetic as TfidfVectorizer.transform with sublinear_tf and l2 norm: tf = 1 + ln(count),
        # times idf, normalised to unit length within the block.
        if self.columns_of_word is not None and self.split_words is not None:
            by_column: Counter[int] = Counter()
            for word in self.split_words(text):
                by_column.update(self.columns_of_word(word))
            if not by_column:
                return
            indices = np.fromiter(by_column, dtype=np.int64, count=len(by_column))
            counts: Counter[Any] = by_column
        else:
            counts = Counter(gram for gram in self.analyser(text) if gram in self.vocabulary)
            if not counts:
                return
            indices = np.fromiter((self.vocabulary[gram] for gram in counts), dtype=np.int64, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[indices]
        weights /= np.sqrt(np.dot(weights, weights))
        columns.extend((indices + self.offset).tolist())
        values.extend(weights.tolist())


@dataclass(frozen=True, slots=True)
class _FastModel:
    """The calibrated linear model as numpy arrays, for single texts in well under a millisecond.

    scikit-learn validates its input on every call (tens of microseconds each, ~75 calls for one
    calibrated prediction over 25 classes), which costs ~20 ms per text; this evaluates the same
    formula directly: for each calibration fold, decision = x·Wᵀ + b, p = expit(-(a·decision + c)) per
    class, normalised to sum 1; then the mean over folds. A test checks it against ``predict_proba``.
    """

    labels: tuple[str, ...]
    word: _TfidfBlock
    char: _TfidfBlock
    keyword_offset: int
    weights_by_feature: np.ndarray  # (n_features, n_folds * n_fold_classes): rows gathered per text
    intercepts: np.ndarray
    slope: np.ndarray
    shift: np.ndarray
    fold_class_index: list[np.ndarray]  # per fold: its columns' positions in ``labels``
    fold_sizes: list[int]

    @classmethod
    def compile(cls, router: Router) -> _FastModel:
        word, char = router._word_vectoriser, router._char_vectoriser
        assert router._folds and word is not None and char is not None
        labels = tuple(sorted({str(label) for fold in router._folds for label in fold.svm.classes_}))
        position = {label: index for index, label in enumerate(labels)}
        weights, intercepts, slope, shift, class_index, sizes = [], [], [], [], [], []
        for fold in router._folds:
            weights.append(np.asarray(fold.svm.coef_, dtype=np.float64))
            intercepts.append(np.asarray(fold.svm.intercept_, dtype=np.float64))
            slope.append(fold.slope)
            shift.append(fold.shift)
            class_index.append(np.array([position[str(label)] for label in fold.svm.classes_]))
            sizes.append(len(fold.svm.classes_))
        word_block = _TfidfBlock(word.build_analyzer(), dict(word.vocabulary_), word.idf_.astype(np.float64), 0)
        char_offset = len(word.vocabulary_)
        char_block = (
            _TfidfBlock.char_wb(char, char_offset)
            if char.analyzer == "char_wb"
            else _TfidfBlock(char.build_analyzer(), dict(char.vocabulary_), char.idf_.astype(np.float64), char_offset)
        )
        return cls(
            labels=labels,
            word=word_block,
            char=char_block,
            keyword_offset=char_offset + len(char.vocabulary_),
            weights_by_feature=np.ascontiguousarray(np.vstack(weights).T),
            intercepts=np.concatenate(intercepts),
            slope=np.concatenate([np.asarray(values, dtype=np.float64) for values in slope]),
            shift=np.concatenate([np.asarray(values, dtype=np.float64) for values in shift]),
            fold_class_index=class_index,
            fold_sizes=sizes,
        )

    def predict_proba(self, router: Router, analysed: _Analysed) -> np.ndarray:
        columns: list[int] = []
        values: list[float] = []
        self.word.add(analysed.stemmed, columns, values)
        self.char.add(analysed.normalised, columns, values)
        for index, value in enumerate(router._keyword_row(analysed)):
            if value:
                columns.append(self.keyword_offset + index)
                values.append(value)
        decision = self.intercepts.copy()
        if columns:
            decision += np.asarray(values) @ self.weights_by_feature[columns]
        calibrated = expit(-(self.slope * decision + self.shift))
        mean = np.zeros(len(self.labels))
        start = 0
        for size, class_index in zip(self.fold_sizes, self.fold_class_index, strict=True):
            fold = np.zeros(len(self.labels))
            fold[class_index] = calibrated[start : start + size]
            total = fold.sum()
            mean += fold / total if total > 0 else np.full(len(self.labels), 1 / len(self.labels))
            start += size
        return mean / len(self.fold_sizes)


@cache
def default_router() -> Router:
    """A router trained on all shipped examples (both splits), built once per process (~1–2 s)."""
    return Router().train(load_labelled())
