"""Benchmark of the similar-aspiration look-up (`sinergi.aspirations.similar.find_similar`) with 100,000 cases.

    .venv/bin/python bench/aspirations_similar.py [--aspirations 100000] [--lookups 1000] [--workdir DIR]

1. A fresh SQLite file (or `--workdir` to reuse one): `migrate`, the Kota Blitar regions, the categories of the
   routing data, then `--aspirations` cases written with `bulk_create`: texts from the shipped labelled set
   (`routing/data/labelled.csv`) varied with a street, RT/RW, a landmark and an opening/closing phrase, spread over
   the 21 kelurahan with points inside their shipped boundaries; about 55 % open, the rest closed or merged.
   `search_terms` is written as intake writes it (`routing.text.stemmed(title + text)`).
2. `--lookups` queries, each a paraphrase of a stored open case (words dropped, a different opening, chat
   spelling, a point within ~80 m of the original, its kelurahan and category — what the intake form sends).
   Timed one by one after a warm-up (wall time, and this thread's CPU time, which leaves out waiting for a
   core on a busy machine); p50/p95/p99 are printed next to two same-run baselines: the plain indexed
   `filter(category, status__in=open)[:5]` list query and a primary-key fetch of one case. Target: p95 ≤ 20 ms.
3. Recall: how often the original case is among the top 5 for its paraphrase (with place and category, and
   text only — the router's suggested category is then the only pre-filter).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/http.py would shadow the standard library's `http` when this directory leads sys.path.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 20.0
STREETS = [
    "Jl. Kenari", "Jl. Merdeka", "Jl. Sudanco Supriyadi", "Jl. Anjasmoro", "Jl. Kalimantan", "Jl. Mastrip",
    "Jl. Tanjung", "Jl. Cemara", "Jl. Bali", "Jl. Ciliwung", "Jl. Kelud", "Jl. Veteran", "Jl. Borobudur",
    "Jl. Jati", "Jl. Manggar", "Jl. Sodanco", "Jl. Musi", "Jl. Lawu", "Jl. Slamet", "Jl. Semeru",
]  # fmt: skip
LANDMARKS = [
    "dekat masjid", "depan SDN", "samping pos kamling", "belakang pasar", "dekat makam", "depan balai RW",
    "sebelah musala", "dekat lapangan", "ujung gang", "depan toko kelontong", "dekat jembatan", "samping TPQ",
]  # fmt: skip
OPENINGS = ["Mohon perhatian,", "Lapor,", "Assalamualaikum,", "Tolong ditindaklanjuti:", "Warga mengeluhkan", ""]
CLOSINGS = ["Terima kasih.", "Mohon segera.", "Sudah lama dibiarkan.", "Warga resah.", ""]
PARAPHRASE_OPENINGS = ["Pak, mau lapor", "Minta tolong", "Permisi admin,", "Sekadar info:", ""]
CHAT = {"jalan": "jln", "tidak": "gak", "yang": "yg", "sudah": "udah", "dengan": "dgn", "untuk": "utk"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def setup_django(workdir: Path) -> bool:
    """Point Django at the benchmark database; True when it has to be built."""
    database = workdir / "similar.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SINERGI_VAR_DIR", str(workdir))
    import django

    django.setup()
    return not database.exists()


def kelurahan_points(rng: random.Random, per_region: int) -> dict[str, list[tuple[float, float]]]:
    from sinergi.regions.geometry import geometry_bbox, geometry_contains
    from sinergi.regions.models import Region, RegionLevel

    points: dict[str, list[tuple[float, float]]] = {}
    regions = Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith="35.72.", boundary__isnull=False)
    for region in regions:
        bbox = geometry_bbox(region.boundary)
        assert bbox is not None
        found: list[tuple[float, float]] = []
        while len(found) < per_region:
            lng, lat = rng.uniform(bbox[0], bbox[2]), rng.uniform(bbox[1], bbox[3])
            if geometry_contains(region.boundary, lng, lat):
                found.append((lat, lng))
        points[region.code] = found
    return points


def case_text(rng: random.Random, base: str) -> tuple[str, str]:
    street = rng.choice(STREETS)
    place = f"{street} RT {rng.randint(1, 12):02d} RW {rng.randint(1, 8):02d} {rng.choice(LANDMARKS)}"
    text = " ".join(part for part in (rng.choice(OPENINGS), base, f"Lokasi {place}.", rng.choice(CLOSINGS)) if part)
    title = " ".join(base.split()[:7]).rstrip(",.") + f" di {street}"
    return title[:140], text[:5000]


def build(count: int, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from sinergi.aspirations.models import Aspiration, Category
    from sinergi.aspirations.routing import load_categories, load_labelled
    from sinergi.aspirations.routing.text import stemmed
    from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus, Privacy
    from sinergi.regions.services import region_import_kota_blitar

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    region_import_kota_blitar()
    for order, item in enumerate(load_categories()):
        Category.objects.get_or_create(slug=item.slug, defaults={"name": item.label, "order": order})
    categories = {category.slug: category.pk for category in Category.objects.all()}
    examples = load_labelled()
    points = kelurahan_points(rng, per_region=400)
    region_codes = sorted(points)
    open_statuses = sorted(OPEN_STATUSES)
    closed = [AspirationStatus.RESOLVED, AspirationStatus.REJECTED, AspirationStatus.ARCHIVED]
    now = timezone.now()
    batch: list[Aspiration] = []
    for number in range(count):
        example = rng.choice(examples)
        title, text = case_text(rng, example.text)
        region = rng.choice(region_codes)
        lat, lng = rng.choice(points[region])
        lat, lng = lat + rng.gauss(0, 0.0002), lng + rng.gauss(0, 0.0002)
        status = rng.choice(open_statuses) if rng.random() < 0.55 else rng.choice(closed)
        batch.append(
            Aspiration(
                uid=uuid.uuid4(),
                tracking_code=f"B{number:011d}",
                kind="pengaduan",
                category_id=categories[example.category],
                title=title,
                text=text,
                search_terms=stemmed(f"{title} {text}"),
                status=status,
                privacy=Privacy.CONFIDENTIAL if rng.random() < 0.05 else Privacy.PUBLIC,
                region_id=region,
                latitude=lat,
                longitude=lng,
                received_at=now - (count - number) * timezone.timedelta(minutes=3),
                support_count=rng.randint(0, 30),
            )
        )
        if len(batch) == 5000:
            Aspiration.objects.bulk_create(batch)
            batch = []
    Aspiration.objects.bulk_create(batch)
    # Merged cases point at an open one, as aspiration_merge leaves them.
    target = Aspiration.objects.filter(status__in=OPEN_STATUSES).order_by("pk").first()
    Aspiration.objects.filter(status=AspirationStatus.ARCHIVED, pk__lt=count // 4).update(
        status=AspirationStatus.MERGED, merged_into=target
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database: {count} aspirations written in {time.monotonic() - started:.0f} s")


def paraphrase(rng: random.Random, case: dict) -> str:
    words = case["text"].split()
    kept = [word for word in words if rng.random() > 0.2]  # drop a fifth of the words
    kept = [CHAT.get(word.lower(), word) for word in kept]
    return " ".join(part for part in (rng.choice(PARAPHRASE_OPENINGS), *kept) if part)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aspirations", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--recall-sample", type=int, default=300)
    parser.add_argument("--workdir", default="", help="keep the database here and reuse it on the next run")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="bench-similar-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    if setup_django(workdir):
        build(args.aspirations, rng)
    else:
        print(f"database: reusing {workdir / 'similar.sqlite3'}")

    from sinergi.aspirations.models import Aspiration
    from sinergi.aspirations.routing import default_router
    from sinergi.aspirations.similar import find_similar
    from sinergi.aspirations.states import OPEN_STATUSES

    total = Aspiration.objects.count()
    open_count = Aspiration.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"stored: {total} aspirations, {open_count} open")
    sample_ids = rng.sample(list(Aspiration.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True)),
                            args.lookups)  # fmt: skip
    cases = list(
        Aspiration.objects.filter(pk__in=sample_ids).values(
            "pk", "uid", "text", "category_id", "region_id", "latitude", "longitude"
        )
    )
    rng.shuffle(cases)
    queries = []
    for case in cases:
        jitter = 80 / 111_320
        queries.append(
            {
                "text": paraphrase(rng, case),
                "category_id": case["category_id"],
                "region_code": case["region_id"],
                "latitude": case["latitude"] + rng.uniform(-jitter, jitter) * 0.7,
                "longitude": case["longitude"] + rng.uniform(-jitter, jitter) * 0.7,
            }
        )
    default_router()  # trained once per process (the server does it at the first request)

    def baseline(query: dict) -> list:
        # The plain indexed list query (no ordering, so no sort): what any list page of the app costs.
        return list(
            Aspiration.objects.filter(category_id=query["category_id"], status__in=OPEN_STATUSES).order_by()[:5]
        )

    for query in queries[:50]:  # warm-up: stem cache, SQLite page cache
        find_similar(**query)
        baseline(query)

    timings, cpu_timings, base_timings, pk_timings, hits = [], [], [], [], 0
    for case, query in zip(cases, queries, strict=True):
        start, cpu_start = time.perf_counter(), time.thread_time()
        results = find_similar(**query)
        timings.append((time.perf_counter() - start) * 1000)
        cpu_timings.append((time.thread_time() - cpu_start) * 1000)  # SQLite runs in this thread too
        start = time.perf_counter()
        baseline(query)
        base_timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        Aspiration.objects.filter(pk=case["pk"]).first()
        pk_timings.append((time.perf_counter() - start) * 1000)
        hits += any(item.uid == case["uid"] for item in results)

    text_only_timings, text_only_hits = [], 0
    sample = list(zip(cases, queries, strict=True))[: args.recall_sample]
    for case, query in sample:
        start = time.perf_counter()
        results = find_similar(text=query["text"])
        text_only_timings.append((time.perf_counter() - start) * 1000)
        text_only_hits += any(item.uid == case["uid"] for item in results)

    p50, p95, p99 = (percentile(timings, f) for f in (0.5, 0.95, 0.99))
    c50, c95, c99 = (percentile(cpu_timings, f) for f in (0.5, 0.95, 0.99))
    b50, b95 = percentile(base_timings, 0.5), percentile(base_timings, 0.95)
    print(f"look-ups: {len(timings)} (with kelurahan, point and category)")
    print(f"  find_similar          p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  p99 {p99:6.2f} ms  "
          f"mean {statistics.fmean(timings):.2f} ms")  # fmt: skip
    print(f"  find_similar CPU time p50 {c50:6.2f} ms  p95 {c95:6.2f} ms  p99 {c99:6.2f} ms  (this thread only)")
    print(f"  baseline filter()[:5] p50 {b50:6.2f} ms  p95 {b95:6.2f} ms")
    k50, k95 = percentile(pk_timings, 0.5), percentile(pk_timings, 0.95)
    print(f"  baseline pk fetch     p50 {k50:6.2f} ms  p95 {k95:6.2f} ms")
    print(f"  ratio p95 / baseline p95: {p95 / b95:.1f}× (list query), {p95 / k95:.1f}× (pk fetch)")
    print(f"  recall@5 (original among the top 5): {hits / len(cases):.1%}")
    t50, t95 = percentile(text_only_timings, 0.5), percentile(text_only_timings, 0.95)
    print(f"text only ({len(sample)} queries, router's category as pre-filter): p50 {t50:.2f} ms  p95 {t95:.2f} ms  "
          f"recall@5 {text_only_hits / len(sample):.1%}")  # fmt: skip
    print(f"{'PASS' if p95 <= TARGET_P95_MS else 'MISS'}: p95 {p95:.2f} ms against the target {TARGET_P95_MS:.0f} ms")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall time includes waiting)")


if __name__ == "__main__":
    main()
