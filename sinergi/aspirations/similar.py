"""Similar open aspirations: "is this already reported nearby?" at intake, and duplicate candidates for officers.

The look-up must stay fast with 100,000 stored cases (bench/aspirations_similar.py: p95 ≤ 20 ms), so it never
scores the whole table. It gathers a few small candidate pools, each answered by an index and capped:

* near the point — a ±``RADIUS_M`` bounding box on the ``(latitude, longitude)`` index;
* the same kelurahan — the ``(region, status)`` index, narrowed to the category when one is known;
* the same category — the ``(category, status)`` index (the router's top suggestion when the caller gives no
  category and no place, so a text alone still finds its duplicates).

Only open cases (``OPEN_STATUSES``; merged and closed cases are out) are fetched, as plain values (no model
instances). The candidates are then scored in Python: text similarity is an IDF-weighted cosine over the Sastrawi
stems that intake writes to ``Aspiration.search_terms`` (the query goes through the same
``routing.text.stemmed``), with document frequencies from the shipped labelled set, so common words
("jalan", "mohon", "yang") weigh little and specific ones ("lubang", "pju", "banjir") much. Proximity (haversine
distance within ``RADIUS_M``, or the same kelurahan) and the same category add to the score.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.db.models import Q

from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.routing.text import stemmed
from sinergi.aspirations.states import OPEN_STATUSES, Privacy

RADIUS_M = 500.0
# Degrees of latitude per metre; a degree of longitude is shorter by cos(latitude) (Blitar: ≈ 8.1° S).
_DEGREE_M = 111_320.0
NEAR_CAP = 150
NEAR_OTHER_CAP = 40
REGION_CAP = 150
CATEGORY_CAP = 200
RECENT_CAP = 100
QUERY_MAX_CHARS = 2000
LIMIT_MAX = 20
# Below this text similarity a case is not shown as "similar", however close it is.
MIN_TEXT_SIMILARITY = 0.12
TEXT_WEIGHT, PROXIMITY_WEIGHT, CATEGORY_WEIGHT = 0.65, 0.25, 0.10


@dataclass(frozen=True)
class SimilarAspiration:
    uid: Any
    title: str  # empty for a confidential (rahasia) case
    status: str
    support_count: int
    distance_m: float | None
    score: float
    region_name: str

    @property
    def status_label(self) -> str:
        from sinergi.aspirations.states import AspirationStatus

        return str(AspirationStatus(self.status).label)


@cache
def _document_frequencies() -> tuple[dict[str, int], int]:
    """Document frequency of each stem in the shipped labelled set (built once per process)."""
    from sinergi.aspirations.routing import load_labelled

    examples = load_labelled()
    frequencies: Counter[str] = Counter()
    for example in examples:
        frequencies.update(set(stemmed(example.text).split()))
    return dict(frequencies), len(examples)


_CACHE_MAX = 100_000


def _idf_uncached(term: str) -> float:
    frequencies, total = _document_frequencies()
    return math.log((total + 1) / (frequencies.get(term, 0) + 1)) + 1.0


class _SquaredIdf(dict[str, float]):
    """idf(term)² by term, filled on first use, so a sum over a set runs as `map(dict.__getitem__)`."""

    def __missing__(self, term: str) -> float:
        value = _idf_uncached(term) ** 2
        if len(self) < _CACHE_MAX:  # bounded: random strings must not grow memory forever
            self[term] = value
        return value


_squared_idf = _SquaredIdf()


def idf(term: str) -> float:
    """Inverse document frequency over the labelled set; unseen (specific) words weigh most."""
    return math.sqrt(_squared_idf[term])


@lru_cache(maxsize=4096)
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(stemmed(text).split())


def _squared_weights(terms: frozenset[str]) -> float:
    return sum(map(_squared_idf.__getitem__, terms))


def text_similarity(
    query_terms: frozenset[str],
    document_terms: frozenset[str],
    query_weight: float = 0.0,
    document_weight: float = 0.0,
) -> float:
    """IDF-weighted cosine of two stem sets, in [0, 1] (the squared norms may be passed in when known)."""
    shared = query_terms & document_terms
    if not shared:
        return 0.0
    query_weight = query_weight or _squared_weights(query_terms)
    document_weight = document_weight or _squared_weights(document_terms)
    return _squared_weights(shared) / math.sqrt(query_weight * document_weight)


@lru_cache(maxsize=50_000)
def _document(search_terms: str) -> tuple[frozenset[str], float]:
    """A stored case's stem set and its squared norm; cached, since nearby look-ups meet the same cases."""
    terms = frozenset(search_terms.split())
    return terms, _squared_weights(terms)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    radius = 6_371_000.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(a)))


def _valid_point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    if latitude is None or longitude is None:
        return None
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


def _suggested_category_ids(text: str) -> list[int]:
    """The router's top suggestion as a category id (a text alone still finds its duplicates)."""
    from sinergi.aspirations.routing import default_router

    slugs = [suggestion.category for suggestion in default_router().suggest(text, k=1)]
    return list(Category.objects.filter(slug__in=slugs).values_list("pk", flat=True))


_CANDIDATE_FIELDS = ("pk", "latitude", "longitude", "category_id", "region_id", "search_terms")
_DISPLAY_FIELDS = ("pk", "uid", "title", "privacy", "status", "support_count", "region__name")


def _candidates(
    *,
    category_id: int | None,
    region_code: str,
    point: tuple[float, float] | None,
    text: str,
    exclude_uid: Any,
    query_terms: frozenset[str] = frozenset(),
) -> dict[int, tuple[Any, ...]]:
    """Candidate rows as plain tuples (fields: `_CANDIDATE_FIELDS`), keyed by pk."""
    # `.order_by()` drops the model's default ordering: a sort would read every match before the cap.
    open_cases = Aspiration.objects.filter(status__in=OPEN_STATUSES).order_by()
    if exclude_uid is not None:
        open_cases = open_cases.exclude(uid=exclude_uid)
    pools = []
    if point is not None:
        lat, lng = point
        d_lat = RADIUS_M / _DEGREE_M
        d_lng = RADIUS_M / (_DEGREE_M * max(0.01, math.cos(math.radians(lat))))
        near = open_cases.filter(
            latitude__range=(lat - d_lat, lat + d_lat), longitude__range=(lng - d_lng, lng + d_lng)
        )
        if category_id is not None:
            # (category, latitude, longitude) index: only this category's points in the box are read.
            pools.append(near.filter(category_id=category_id)[:NEAR_CAP])
        # Nearby cases filed under another category (the reporter's or the router's choice may differ).
        pools.append(near[:NEAR_OTHER_CAP])
    elif region_code:
        in_region = open_cases.filter(region_id=region_code)
        if category_id is not None:
            in_region = in_region.filter(category_id=category_id)
        pools.append(in_region[:REGION_CAP])
    else:
        category_ids = [category_id] if category_id is not None else _suggested_category_ids(text)
        # No place to narrow by: the category's cases that share one of the query's two most specific
        # stems (a substring test on the category's rows), then the latest of the category.
        specific = sorted((term for term in query_terms if len(term) >= 4), key=lambda term: (-idf(term), term))[:2]
        if specific:
            shares = Q()
            for term in specific:
                shares |= Q(search_terms__contains=term)
            pools.extend(open_cases.filter(shares, category_id=pk)[:CATEGORY_CAP] for pk in category_ids)
        pools.extend(open_cases.filter(category_id=pk).order_by("-pk")[:CATEGORY_CAP] for pk in category_ids)
        if category_id is None:  # the router may be wrong: the latest cases of any category too
            pools.append(open_cases.order_by("-pk")[:RECENT_CAP])
    found: dict[int, tuple[Any, ...]] = {}
    for pool in pools:
        for row in pool.values_list(*_CANDIDATE_FIELDS):
            found.setdefault(row[0], row)
    unstemmed = [pk for pk, row in found.items() if not row[5]]
    if unstemmed:  # rows written before intake stored stems (or by factories): stem title and text here
        for pk, title, body in Aspiration.objects.filter(pk__in=unstemmed).values_list("pk", "title", "text"):
            found[pk] = (*found[pk][:5], " ".join(_terms_of(f"{title} {body}")))
    return found


def find_similar(
    *,
    text: str,
    category_id: int | None = None,
    region_code: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    limit: int = 5,
    exclude_uid: Any = None,
) -> list[SimilarAspiration]:
    """Open, unmerged aspirations that look like ``text`` (and lie near the place given), best first."""
    text = (text or "")[:QUERY_MAX_CHARS]
    query_terms = _terms_of(text)
    limit = max(1, min(int(limit), LIMIT_MAX))
    if not query_terms:
        return []
    region_code = (region_code or "")[:13]
    point = _valid_point(latitude, longitude)
    rows = _candidates(
        category_id=category_id,
        region_code=region_code,
        point=point,
        text=text,
        exclude_uid=exclude_uid,
        query_terms=query_terms,
    )
    query_weight = _squared_weights(query_terms)
    scored: list[tuple[float, float | None, int]] = []
    for pk, row_lat, row_lng, row_category, row_region, terms in rows.values():
        document_terms, document_weight = _document(terms)
        similarity = text_similarity(query_terms, document_terms, query_weight, document_weight)
        if similarity < MIN_TEXT_SIMILARITY:
            continue
        distance = None
        proximity = 0.0
        if point is not None and row_lat is not None and row_lng is not None:
            distance = haversine_m(point[0], point[1], row_lat, row_lng)
            proximity = max(0.0, 1.0 - distance / RADIUS_M)
        elif region_code and row_region == region_code:
            proximity = 0.5
        same_category = 1.0 if category_id is not None and row_category == category_id else 0.0
        score = TEXT_WEIGHT * similarity + PROXIMITY_WEIGHT * proximity + CATEGORY_WEIGHT * same_category
        scored.append((round(min(1.0, score), 4), distance, pk))
    scored.sort(key=lambda item: (-item[0], item[2]))
    best = scored[:limit]
    display = {
        row["pk"]: row for row in Aspiration.objects.filter(pk__in=[pk for *_, pk in best]).values(*_DISPLAY_FIELDS)
    }
    return [
        SimilarAspiration(
            uid=display[pk]["uid"],
            title="" if display[pk]["privacy"] == Privacy.CONFIDENTIAL else display[pk]["title"],
            status=display[pk]["status"],
            support_count=display[pk]["support_count"],
            distance_m=round(distance, 1) if distance is not None else None,
            score=score,
            region_name=display[pk]["region__name"] or "",
        )
        for score, distance, pk in best
        if pk in display
    ]
